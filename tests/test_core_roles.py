"""The roles talk, speaker, event and rec, prefixed (``kb:talk``) and unprefixed.

Each item of the ``links`` page of ``test-core-myst`` / ``test-core-rst`` starts
with a label naming the case, then the role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from bs4 import Tag
    from tests.conftest import BuiltRoot

# The title as typed, with its apostrophe curled as Sphinx curls the page's text (smartquotes).
ETAT = "Médias sociaux : état des lieux sociétal et perspectives pour l’entreprise"


@pytest.fixture(params=["core-myst", "core-rst"])
def core(request: pytest.FixtureRequest, built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root(request.param)


def link(core: BuiltRoot, label: str) -> Tag:
    """The one link in the item labelled ``label`` of the links page."""
    for item in core.html("links").select("div.body li"):
        if item.get_text().startswith(f"{label}:"):
            links = item.select("a")
            assert len(links) == 1, item
            return links[0]
    raise AssertionError(f"no item {label!r}")


@pytest.mark.parametrize(
    ("label", "href", "text", "objtype"),
    [
        ("talk", "talks.html#talk-etat-des-lieux", ETAT, "talk"),
        ("kb-talk", "talks.html#talk-second-talk", "Deuxième exposé", "talk"),
        ("speaker", "speakers.html#speaker-stephane-hugon", "Stéphane Hugon", "speaker"),
        ("kb-speaker", "speakers.html#speaker-recap-author", "Auteur du récapitulatif", "speaker"),
        ("event", "events.html#event-ams-2011", "Assises des Médias Sociaux, 1re session", "event"),
        (
            "kb-event",
            "events.html#event-rencontre-sans-identifiant",
            "Rencontre sans identifiant",
            "event",
        ),
        (
            "rec",
            "talks.html#rec-integrer-digital",
            "Intégrer les médias sociaux dans une réflexion digitale large",
            "rec",
        ),
        ("kb-rec", "recs.html#rec-mesurer", "Mesurer l’engagement", "rec"),
        ("slug-rec", "talks.html#rec-ecouter-avant-de-parler", "Écouter avant de parler", "rec"),
    ],
)
def test_role_links_to_other_page_with_title(
    core: BuiltRoot, label: str, href: str, text: str, objtype: str
) -> None:
    anchor = link(core, label)
    assert anchor["href"] == href
    assert anchor.get_text() == text  # default link text: the object's title
    assert "kb-ref" in anchor["class"]
    assert f"kb-ref-{objtype}" in anchor["class"]
    # The target exists where the link points.
    page, _, fragment = href.partition("#")
    assert core.html(page.removesuffix(".html")).select_one(f"#{fragment}") is not None


@pytest.mark.parametrize(
    ("label", "href", "text"),
    [
        ("explicit", "talks.html#talk-etat-des-lieux", "the joint talk"),
        ("explicit-speaker", "speakers.html#speaker-stephane-hugon", "Hugon"),
    ],
)
def test_role_explicit_text(core: BuiltRoot, label: str, href: str, text: str) -> None:
    anchor = link(core, label)
    assert anchor["href"] == href
    assert anchor.get_text() == text


def test_role_target_nfc_finds_nfd_id(core: BuiltRoot) -> None:
    """``{event}`café-2012``` (NFC) finds ``:id: CAFÉ_2012`` written in NFD."""
    anchor = link(core, "nfc")
    assert anchor["href"] == "events.html#event-cafe-2012"
    assert anchor.get_text() == "Café numérique"


def test_links_from_options_use_titles(core: BuiltRoot) -> None:
    """``:speakers:``, ``:event:``, ``:talk:`` and ``:see:`` are links like roles."""
    recs = core.html("recs")
    talk_link = recs.select_one("#rec-mesurer dd.kb-field-talk a")
    assert talk_link is not None
    assert talk_link["href"] == "talks.html#talk-second-talk"
    assert talk_link.get_text() == "Deuxième exposé"

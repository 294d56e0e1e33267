"""``{term}`` finds a talkbase term by its text, alias, translation, other case or
folded accents, always linking to the one definition."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import BuiltRoot


@pytest.fixture(params=["core-myst", "core-rst"])
def core(request: pytest.FixtureRequest, built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root(request.param)


@pytest.mark.parametrize(
    ("label", "term_id"),
    [
        ("term-text", "proxemie"),  # {term}`proxémie`
        ("term-translation", "proxemie"),  # {term}`proxemics`
        ("term-alias", "proxemie"),  # {term}`distance sociale`
        ("term-case", "proxemie"),  # {term}`PROXÉMIE`
        ("term-folded", "proxemie"),  # {term}`proxemie`
        ("term-translation-case", "signaux-faibles"),  # {term}`Weak Signals`
        ("term-alias-folded", "whuffie-effect"),  # {term}`effet whuffie`
        ("term-kb", "proxemie"),  # {kb:term}`proxemie`
    ],
)
def test_term_resolves_to_definition(core: BuiltRoot, label: str, term_id: str) -> None:
    items = [
        item
        for item in core.html("links").select("div.body li")
        if item.get_text().startswith(f"{label}:")
    ]
    assert len(items) == 1
    links = items[0].select("a")
    assert len(links) == 1
    href = links[0]["href"]
    assert href == f"terms.html#term-{term_id}"
    assert href.endswith(f"#term-{term_id}")
    # One definition: the anchor exists exactly once.
    assert len(core.html("terms").select(f"#term-{term_id}")) == 1


def test_see_links_to_term(core: BuiltRoot) -> None:
    see = core.html("terms").select("#term-proxemie dd.kb-field-see a")
    assert [a["href"] for a in see] == ["#term-signaux-faibles"]


def test_terms_registered_as_glossary_terms(core: BuiltRoot) -> None:
    """Every name of a term is a ``std:term`` pointing at its anchor."""
    from sphinx.util.inventory import InventoryFile  # noqa: PLC0415

    inventory = InventoryFile.loads((core.outdir / "objects.inv").read_bytes(), uri="")
    terms = {name: item.uri for name, item in inventory.data["std:term"].items()}
    assert terms == {
        "proxémie": "terms.html#term-proxemie",
        "proxemics": "terms.html#term-proxemie",
        "Proxemik": "terms.html#term-proxemie",
        "distance sociale": "terms.html#term-proxemie",
        "signaux faibles": "terms.html#term-signaux-faibles",
        "weak signals": "terms.html#term-signaux-faibles",
        "Whuffie effect": "terms.html#term-whuffie-effect",
        "Effet Whuffie": "terms.html#term-whuffie-effect",
    }

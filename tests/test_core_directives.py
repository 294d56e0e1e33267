"""Each directive and each of its options, in MyST and in reStructuredText.

The roots ``test-core-myst`` and ``test-core-rst`` hold the same knowledge base in
both syntaxes; every test runs on both, and one test checks that they give the
same objects, anchors and page bodies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from bs4 import BeautifulSoup, Tag
    from tests.conftest import BuiltRoot

ROOTS = ["core-myst", "core-rst"]
PAGES = ["events", "speakers", "talks", "recs", "terms", "links"]
# The title as typed, with its apostrophe curled as Sphinx curls the page's text (smartquotes).
ETAT = "Médias sociaux : état des lieux sociétal et perspectives pour l’entreprise"


@pytest.fixture(params=ROOTS)
def core(request: pytest.FixtureRequest, built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root(request.param)


def obj(soup: BeautifulSoup, anchor: str) -> Tag:
    found = soup.select_one(f"div.kb-object#{anchor}")
    assert found is not None, f"no object #{anchor}"
    return found


def own(node: Tag, selector: str) -> list[Tag]:
    """Elements matching ``selector`` in ``node`` but not in an object nested in it."""
    return [
        found
        for found in node.select(selector)
        if found.find_parent("div", class_="kb-object") is node
    ]


def field(node: Tag, name: str) -> Tag | None:
    """The ``<dd>`` of field ``name`` of the object ``node`` itself."""
    found = own(node, f"dd.kb-field-{name}")
    assert len(found) <= 1
    return found[0] if found else None


def field_text(node: Tag, name: str) -> str:
    found = field(node, name)
    assert found is not None, f"no field {name}"
    return " ".join(found.get_text().split())


def title(node: Tag) -> str:
    found = node.select_one(".kb-title-text")
    assert found is not None
    return found.get_text()


def test_builds_without_warnings(core: BuiltRoot) -> None:
    assert core.warnings == ""


def test_event_options(core: BuiltRoot) -> None:
    event = obj(core.html("events"), "event-ams-2011")
    assert event["data-kb-type"] == "event"
    assert event["data-kb-id"] == "ams-2011"
    assert title(event) == "Assises des Médias Sociaux, 1re session"
    # :date: and :end: as one range, CLDR's French interval format (Babel).
    assert field_text(event, "date") == "5–6 sept. 2011"
    assert field_text(event, "place") == "Paris"
    assert field_text(event, "hashtag") == "#InnoNapo"
    assert field_text(event, "series") == "Assises des médias sociaux"
    url = event.select("dd.kb-field-url a.kb-link-website")
    assert [a["href"] for a in url] == ["https://example.org/assises"]
    body = event.select_one(".kb-body")
    assert body is not None
    assert "Une journée pour réunir" in body.get_text()


def test_event_without_end_shows_single_date(core: BuiltRoot) -> None:
    event = obj(core.html("events"), "event-rencontre-sans-identifiant")
    assert field_text(event, "date") == "1 mars 2012"
    for name in ("place", "hashtag", "series", "url"):
        assert field(event, name) is None


def test_speaker_options(core: BuiltRoot) -> None:
    speaker = obj(core.html("speakers"), "speaker-stephane-hugon")
    assert title(speaker) == "Stéphane Hugon"
    assert field_text(speaker, "affiliation") == "Eranos"
    links = {a["href"] for a in speaker.select("dd.kb-field-links a.reference.external")}
    assert links == {"https://example.org/hugon", "https://orcid.org/0000-0002-1825-0097"}
    orcid = speaker.select_one("a.kb-link-orcid")
    assert orcid is not None
    assert orcid.get_text() == "ORCID 0000-0002-1825-0097"
    photo = speaker.select_one("img.kb-photo")
    assert photo is not None
    assert photo["src"] == "https://example.org/hugon.jpg"
    assert photo["alt"] == "Stéphane Hugon"
    body = speaker.select_one(".kb-body")
    assert body is not None
    assert "éclairage sociétal" in body.get_text()


def test_speaker_without_options(core: BuiltRoot) -> None:
    speaker = obj(core.html("speakers"), "speaker-recap-author")
    assert title(speaker) == "Auteur du récapitulatif"
    assert field(speaker, "affiliation") is None
    assert field(speaker, "links") is None
    assert speaker.select_one("img") is None


def test_talk_options(core: BuiltRoot) -> None:
    talk = obj(core.html("talks"), "talk-etat-des-lieux")
    assert title(talk) == ETAT
    speakers = talk.select("dd.kb-field-speakers a.kb-ref-speaker")
    assert [a["href"] for a in speakers] == [
        "speakers.html#speaker-recap-author",
        "speakers.html#speaker-stephane-hugon",
    ]
    assert [a.get_text() for a in speakers] == ["Auteur du récapitulatif", "Stéphane Hugon"]
    events = talk.select("dd.kb-field-event a.kb-ref-event")
    assert [a["href"] for a in events] == ["events.html#event-ams-2011"]
    assert events[0].get_text() == "Assises des Médias Sociaux, 1re session"
    assert field_text(talk, "language") == "français"  # project language is fr
    tags = [t.get_text() for t in own(talk, "dd.kb-field-tags .kb-tag")]
    assert tags == ["médias sociaux", "entreprise"]
    assert [a["href"] for a in talk.select("a.kb-link-slides")] == [
        "https://www.slideshare.net/example"
    ]
    assert [a["href"] for a in talk.select("a.kb-link-video")] == ["https://example.org/video"]
    body = talk.select_one(".kb-body")
    assert body is not None
    assert "Présentation conjointe en cinq parties." in body.get_text()


def test_talk_date_defaults_to_event_date_from_other_page(core: BuiltRoot) -> None:
    talk = obj(core.html("talks"), "talk-etat-des-lieux")
    # No :date:; ams-2011 (events page) starts on 2011-09-05.
    assert field_text(talk, "date") == "5 septembre 2011"


def test_talk_own_date_and_language(core: BuiltRoot) -> None:
    talk = obj(core.html("talks"), "talk-second-talk")
    assert field_text(talk, "date") == "6 septembre 2011"
    assert field_text(talk, "language") == "anglais"
    assert [a["href"] for a in talk.select("dd.kb-field-speakers a")] == [
        "speakers.html#speaker-zoe-eluard"
    ]
    assert field(talk, "tags") is None
    assert talk.select("a.kb-link-slides, a.kb-link-video") == []


def test_talk_shows_its_recommendations(core: BuiltRoot) -> None:
    soup = core.html("talks")
    first = obj(soup, "talk-etat-des-lieux")
    recs = first.select("dd.kb-field-recommendations a.kb-ref-rec")
    assert [a["href"] for a in recs] == ["#rec-integrer-digital", "#rec-ecouter-avant-de-parler"]
    second = obj(soup, "talk-second-talk")
    recs = second.select("dd.kb-field-recommendations a.kb-ref-rec")
    assert [a["href"] for a in recs] == ["recs.html#rec-mesurer"]
    assert recs[0].get_text() == "Mesurer l’engagement"


def test_recommendation_nested_in_talk(core: BuiltRoot) -> None:
    soup = core.html("talks")
    talk = obj(soup, "talk-etat-des-lieux")
    nested = obj(talk, "rec-integrer-digital")  # rendered inside the talk
    assert title(nested) == "Intégrer les médias sociaux dans une réflexion digitale large"
    assert [t.get_text() for t in nested.select("dd.kb-field-tags .kb-tag")] == ["stratégie"]
    assert "aspects techniques" in nested.get_text()
    # Nested: no link back to the talk around it is needed.
    assert field(nested, "talk") is None


def test_recommendation_after_talk_attaches_to_last_talk(core: BuiltRoot) -> None:
    rec = obj(core.html("talks"), "rec-ecouter-avant-de-parler")  # slug of its title
    assert title(rec) == "Écouter avant de parler"
    links = rec.select("dd.kb-field-talk a.kb-ref-talk")
    assert [a["href"] for a in links] == ["#talk-etat-des-lieux"]
    assert links[0].get_text() == ETAT


def test_recommendation_explicit_talk_on_other_page(core: BuiltRoot) -> None:
    rec = obj(core.html("recs"), "rec-mesurer")
    links = rec.select("dd.kb-field-talk a.kb-ref-talk")
    assert [a["href"] for a in links] == ["talks.html#talk-second-talk"]
    assert links[0].get_text() == "Deuxième exposé"
    assert "Compter les conversations" in rec.get_text()


def test_term_options(core: BuiltRoot) -> None:
    term = obj(core.html("terms"), "term-proxemie")
    dt = term.select_one("dl.glossary > dt")
    assert dt is not None
    lang = dt.select_one(".kb-term-lang")
    assert lang is not None
    assert lang.get_text() == "fr"  # no :lang: -> the project's language
    assert dt.get_text().startswith("proxémie")
    translations = term.select("dd.kb-field-translations span[lang]")
    assert [(s["lang"], s.get_text()) for s in translations] == [
        ("en", "proxemics"),
        ("de", "Proxemik"),
    ]
    assert field_text(term, "aliases") == "distance sociale"
    see = term.select("dd.kb-field-see a.kb-ref-term")
    assert [a["href"] for a in see] == ["#term-signaux-faibles"]
    assert see[0].get_text() == "signaux faibles"
    assert "Nouvel ancrage local." in term.get_text()


def test_term_explicit_lang(core: BuiltRoot) -> None:
    soup = core.html("terms")
    whuffie = obj(soup, "term-whuffie-effect")
    lang = whuffie.select_one(".kb-term-lang")
    assert lang is not None
    assert lang.get_text() == "en"
    # A term in another language than the page is marked up as such.
    assert whuffie.select_one("dt span[lang=en]") is not None
    explicit = obj(soup, "term-signaux-faibles")
    lang = explicit.select_one(".kb-term-lang")
    assert lang is not None
    assert lang.get_text() == "fr"


@pytest.mark.parametrize(
    ("page", "anchor"),
    [
        ("events", "event-ams-2011"),
        ("events", "event-rencontre-sans-identifiant"),  # slug of the title
        ("events", "event-cafe-2012"),  # explicit NFD id 'CAFÉ_2012', normalised
        ("speakers", "speaker-stephane-hugon"),
        ("speakers", "speaker-recap-author"),
        ("speakers", "speaker-zoe-eluard"),  # 'Zoë Éluard' folded
        ("talks", "talk-etat-des-lieux"),
        ("talks", "talk-second-talk"),
        ("talks", "rec-integrer-digital"),
        ("talks", "rec-ecouter-avant-de-parler"),
        ("recs", "rec-mesurer"),
        ("terms", "term-proxemie"),  # 'proxémie' folded
        ("terms", "term-signaux-faibles"),
        ("terms", "term-whuffie-effect"),
    ],
)
def test_anchors(core: BuiltRoot, page: str, anchor: str) -> None:
    soup = core.html(page)
    assert len(soup.select(f"#{anchor}")) == 1
    node = obj(soup, anchor)
    objtype, _, objid = anchor.partition("-")
    assert node["data-kb-type"] == objtype
    assert node["data-kb-id"] == objid


def test_prefixed_directives_are_the_same(core: BuiltRoot) -> None:
    """``kb:event``, ``kb:speaker``, ``kb:talk``, ``kb:recommendation``, ``kb:term``."""
    assert obj(core.html("events"), "event-rencontre-sans-identifiant")
    assert obj(core.html("speakers"), "speaker-recap-author")
    assert obj(core.html("talks"), "talk-second-talk")
    assert obj(core.html("talks"), "rec-ecouter-avant-de-parler")
    assert obj(core.html("terms"), "term-signaux-faibles")


def _body(soup: BeautifulSoup) -> str:
    body = soup.select_one("div.body")
    assert body is not None
    return str(body)


@pytest.mark.parametrize("page", PAGES)
def test_myst_and_rst_give_the_same_page(built_root: Callable[..., BuiltRoot], page: str) -> None:
    myst, rst = built_root("core-myst"), built_root("core-rst")
    assert _body(myst.html(page)) == _body(rst.html(page))

"""Page metadata: citation meta tags, OpenGraph and JSON-LD (talkbase.metadata).

The root ``test-metadata`` has a page with one talk by two speakers with accented
names (``talk``), a page with two talks, an event page, a speaker page, a term page
and a page of hostile text (``hostile.rst``: reStructuredText, where ``</script>``
in a paragraph is text, not raw HTML).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from tests.conftest import build_copy

from talkbase.metadata import meta_html, script_json

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bs4 import BeautifulSoup
    from tests.conftest import BuiltRoot

BASE = "https://kb.example.org/recap/"
TITLE = "Médias sociaux : état des lieux"
SCRIPT = "</script><script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_TITLE = f"{SCRIPT} &amp; {IMG}"
OBJECT_PAGES = ["talk", "two-talks", "event", "speakers", "terms", "hostile"]
FORBIDDEN = {"citation_author", "citation_authors", "citation_conference_title", "citation_conference", "DC.creator"}


@pytest.fixture
def root(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("metadata")


def metas(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(name or property, content) of every ``<meta>`` in ``<head>``, in order."""
    assert soup.head is not None
    found = []
    for meta in soup.head.find_all("meta"):
        key = meta.get("name") or meta.get("property")
        if key and key != "viewport":
            found.append((str(key), str(meta.get("content"))))
    return found


def values(soup: BeautifulSoup, key: str) -> list[str]:
    return [content for name, content in metas(soup) if name == key]


def graph(soup: BeautifulSoup) -> list[dict[str, Any]]:
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return list(data["@graph"])


def theme_scripts(soup: BeautifulSoup) -> list[tuple[object, object, object]]:
    found = soup.find_all("script")
    return [(s.get("src"), s.get("type"), s.string) for s in found if s.get("type") != "application/ld+json"]


def test_builds_without_warnings(root: BuiltRoot) -> None:
    assert root.warnings == ""


def test_talk_page_citation_tags(root: BuiltRoot) -> None:
    tags = [(name, content) for name, content in metas(root.html("talk")) if not name.startswith("og:")]
    assert tags == [
        ("eprints.type", "conference_item"),
        ("eprints.ispublished", "unpub"),
        ("eprints.title", TITLE),
        ("eprints.creators_name", "Hugon, Stéphane"),
        ("eprints.creators_name", "Dupré, Élodie"),
        ("eprints.event_title", "Assises des Médias Sociaux"),
        ("eprints.event_location", "Paris"),
        ("eprints.event_type", "conference"),
        ("eprints.date", "2011-09-05"),
        ("citation_title", TITLE),
        ("citation_publication_date", "2011/09/05"),
        ("citation_language", "fr"),
        ("citation_keywords", "médias sociaux"),
        ("citation_keywords", "entreprise"),
        ("citation_abstract", "Présentation conjointe en cinq parties."),
        ("DC.title", TITLE),
        ("DC.date", "2011-09-05"),
        ("DC.language", "fr"),
    ]


@pytest.mark.parametrize("page", ["index", *OBJECT_PAGES])
def test_no_tag_changes_the_item_type(root: BuiltRoot, page: str) -> None:
    found = metas(root.html(page))
    assert not {name for name, _content in found} & FORBIDDEN
    assert all(content == "website" for name, content in found if name == "og:type")


def test_citation_tags_only_for_exactly_one_talk(root: BuiltRoot) -> None:
    for page in ["two-talks", "event", "speakers", "terms", "index"]:
        names = {name for name, _content in metas(root.html(page))}
        assert not {name for name in names if name.startswith(("eprints.", "citation_", "DC."))}, page


@pytest.mark.parametrize(
    ("page", "title", "description"),
    [
        # The talk is defined before the recommendation nested in it: it is the main object.
        ("talk", TITLE, "Présentation conjointe en cinq parties."),
        ("two-talks", "Premier exposé", "Le premier."),
        ("event", "Assises des Médias Sociaux", "Une journée pour réunir les acteurs des médias sociaux."),
        ("speakers", "Stéphane Hugon", "Sociologue."),
        ("terms", "proxémie", "Étude de la distance entre les personnes."),
    ],
)
def test_opengraph_of_the_main_object(root: BuiltRoot, page: str, title: str, description: str) -> None:
    soup = root.html(page)
    og = [(name, content) for name, content in metas(soup) if name.startswith("og:")]
    assert og == [
        ("og:site_name", "metadata"),
        ("og:locale", "fr_FR"),
        ("og:type", "website"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", f"{BASE}{page}.html"),
    ]
    assert soup.head is not None
    assert len(soup.head.select('meta[property^="og:"]')) == 6


def test_page_without_objects_gets_only_the_site_tags(root: BuiltRoot) -> None:
    soup = root.html("index")
    og = [(name, content) for name, content in metas(soup) if name.startswith("og:")]
    assert og == [("og:site_name", "metadata"), ("og:locale", "fr_FR")]
    assert not soup.find_all("script", type="application/ld+json")


def test_talk_json_ld(root: BuiltRoot) -> None:
    talk, rec = graph(root.html("talk"))
    url = f"{BASE}talk.html#talk-etat-des-lieux"
    assert talk["@type"] == "Event"
    assert talk["@id"] == talk["url"] == url
    assert talk["name"] == TITLE
    assert talk["startDate"] == "2011-09-05"
    assert talk["inLanguage"] == "fr"
    assert talk["keywords"] == ["médias sociaux", "entreprise"]
    assert talk["description"] == "Présentation conjointe en cinq parties."
    assert [(p["@type"], p["name"], p["@id"]) for p in talk["performer"]] == [
        ("Person", "Stéphane Hugon", f"{BASE}speakers.html#speaker-stephane-hugon"),
        ("Person", "Élodie Dupré", f"{BASE}speakers.html#speaker-elodie-dupre"),
    ]
    event = talk["superEvent"]
    assert event["@type"] == "Event"
    assert event["@id"] == f"{BASE}event.html#event-ams-2011"
    assert event["name"] == "Assises des Médias Sociaux"
    assert (event["startDate"], event["endDate"]) == ("2011-09-05", "2011-09-06")
    assert event["location"] == {"@type": "Place", "name": "Paris"}
    assert talk["subjectOf"] == [{"@type": "PresentationDigitalDocument", "url": "https://example.org/slides"}]
    assert rec["@type"] == "CreativeWork"
    assert rec["name"] == "Écouter avant de parler"
    assert rec["isBasedOn"] == url
    assert rec["keywords"] == ["stratégie"]


def test_two_talks_json_ld(root: BuiltRoot) -> None:
    first, second = graph(root.html("two-talks"))
    assert (first["@type"], first["name"], first["startDate"]) == ("Event", "Premier exposé", "2011-09-05")
    assert first["superEvent"]["name"] == "Assises des Médias Sociaux"
    assert (second["@type"], second["name"], second["startDate"]) == ("Event", "Second exposé", "2012-01-10")
    assert second["inLanguage"] == "en"
    assert "superEvent" not in second


def test_event_json_ld_lists_its_talks(root: BuiltRoot) -> None:
    (event,) = graph(root.html("event"))
    assert event["@type"] == "Event"
    assert event["location"] == {"@type": "Place", "name": "Paris"}
    assert event["sameAs"] == "https://example.org/assises"
    assert [(talk["@type"], talk["@id"], talk["name"]) for talk in event["subEvent"]] == [
        ("Event", f"{BASE}talk.html#talk-etat-des-lieux", TITLE),
        ("Event", f"{BASE}two-talks.html#talk-premier", "Premier exposé"),
    ]


def test_speaker_json_ld(root: BuiltRoot) -> None:
    hugon, dupre = graph(root.html("speakers"))
    assert hugon["@type"] == "Person"
    assert hugon["name"] == "Stéphane Hugon"
    assert hugon["affiliation"] == {"@type": "Organization", "name": "Eranos"}
    assert hugon["sameAs"] == ["https://example.org/hugon", "https://orcid.org/0000-0002-1825-0097"]
    assert dupre == {
        "@type": "Person",
        "@id": f"{BASE}speakers.html#speaker-elodie-dupre",
        "name": "Élodie Dupré",
        "url": f"{BASE}speakers.html#speaker-elodie-dupre",
    }


def test_term_json_ld(root: BuiltRoot) -> None:
    (term,) = graph(root.html("terms"))
    assert term["@type"] == "DefinedTerm"
    assert term["name"] == "proxémie"
    assert term["inLanguage"] == "fr"
    assert term["alternateName"] == ["proxemics", "Proxemik", "distance sociale"]
    assert term["description"] == "Étude de la distance entre les personnes."
    assert term["inDefinedTermSet"] == {"@type": "DefinedTermSet", "@id": f"{BASE}terms.html", "name": "Glossaire"}


def test_hostile_text_stays_inert(root: BuiltRoot) -> None:
    raw = root.text("hostile.html")
    head = raw.split("</head>")[0]
    assert "<script>alert" not in raw
    assert "<img" not in raw
    soup = root.html("hostile")
    # The theme's scripts, as on a harmless page, and our one JSON-LD block: nothing more.
    assert theme_scripts(soup) == theme_scripts(root.html("speakers"))
    (json_ld,) = soup.find_all("script", type="application/ld+json")
    assert not {"<", ">", "&"} & set(json_ld.string)
    assert soup.head is not None
    assert head.count("</script>") == len(soup.head.find_all("script"))
    assert not soup.find_all("img")


def test_hostile_text_round_trips(root: BuiltRoot) -> None:
    soup = root.html("hostile")
    assert values(soup, "citation_title") == [HOSTILE_TITLE]
    assert values(soup, "og:title") == [HOSTILE_TITLE]
    assert values(soup, "citation_keywords") == [SCRIPT, IMG, "&amp;"]
    assert values(soup, "eprints.event_title") == [f"Event {SCRIPT}"]
    assert values(soup, "eprints.event_location") == [f"{IMG} &amp;"]
    # Not a person's name: kept as written.
    # A one-field name ends with a comma, so Zotero keeps it whole (test_cite_edge.py).
    assert values(soup, "eprints.creators_name") == ['<b>Bob</b> & "Co" </script>,']
    assert values(soup, "citation_abstract") == [f'Résumé {SCRIPT} & "guillemets" &amp; fin.']
    talk, speaker, event = graph(soup)
    assert talk["name"] == HOSTILE_TITLE
    assert talk["keywords"] == [SCRIPT, IMG, "&amp;"]
    assert talk["performer"][0]["name"] == speaker["name"] == '<b>Bob</b> & "Co" </script>'
    assert talk["superEvent"]["name"] == event["name"] == f"Event {SCRIPT}"
    assert event["location"]["name"] == f"{IMG} &amp;"


def test_relative_urls_without_base_url(copy_root: Callable[[str], Path]) -> None:
    """Without ``html_baseurl``: no og:url, and URLs relative to the page (dirhtml here)."""
    built = build_copy(copy_root("metadata"), "dirhtml", confoverrides={"html_baseurl": ""})
    assert built.warnings == ""
    soup = built.html("talk/index")
    assert values(soup, "og:url") == []
    assert values(soup, "eprints.creators_name") == ["Hugon, Stéphane", "Dupré, Élodie"]
    talk, _rec = graph(soup)
    assert talk["@id"] == "#talk-etat-des-lieux"
    assert talk["performer"][0]["@id"] == "../speakers/#speaker-stephane-hugon"
    assert talk["superEvent"]["@id"] == "../event/#event-ams-2011"
    (term,) = graph(built.html("terms/index"))
    assert term["inDefinedTermSet"] == {"@type": "DefinedTermSet", "name": "Glossaire"}


def test_escaping_helpers() -> None:
    text = script_json({"a": "</script>\u2028\u2029&<!--"})
    assert text == '{"a":"\\u003c/script\\u003e\\u2028\\u2029\\u0026\\u003c!--"}'
    assert json.loads(text) == {"a": "</script>\u2028\u2029&<!--"}
    assert meta_html([("name", "x", '"><b>&'), ("name", "empty", "")]) == (
        '<meta name="x" content="&quot;&gt;&lt;b&gt;&amp;" />\n'
    )


def test_metadata_follows_other_pages_in_incremental_builds(copy_root: Callable[[str], Path]) -> None:
    """A talk page's tags show its event and speakers: editing those pages rewrites it."""
    srcdir = copy_root("metadata")
    build_copy(srcdir)
    event = srcdir / "event.md"
    event.write_text(event.read_text(encoding="utf-8").replace(":place: Paris", ":place: Lyon"), encoding="utf-8")
    speakers = srcdir / "speakers.md"
    text = speakers.read_text(encoding="utf-8").replace("{speaker} Élodie Dupré", "{speaker} Élodie Dupré-Roux")
    speakers.write_text(text, encoding="utf-8")
    built = build_copy(srcdir)
    assert built.warnings == ""
    soup = built.html("talk")
    assert values(soup, "eprints.event_location") == ["Lyon"]
    assert values(soup, "eprints.creators_name") == ["Hugon, Stéphane", "Dupré-Roux, Élodie"]
    talk, _rec = graph(soup)
    assert talk["superEvent"]["location"] == {"@type": "Place", "name": "Lyon"}
    assert talk["performer"][1]["name"] == "Élodie Dupré-Roux"

"""The index pages as the talkbase theme draws them (issue 17 §3), and as other themes still do.

Root ``test-indices`` (events, talks, speakers, terms in several languages, an
event titled ``Autumn Meetup & <Friends>``) built with ``html_theme = "talkbase"``
in French and in English, and with ``basic`` and ``alabaster``.  The browser half
(axe in both schemes, the font of the names) is ``tests/test_index_pages_browser.py``.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from tests.conftest import ROOTS, BuiltRoot, build_copy

from talkbase.indices import group_ids

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bs4 import BeautifulSoup, Tag

INDICES = ("kb-talkindex", "kb-speakerindex", "kb-termindex")
TITLES = {
    "fr": ("Index des interventions", "Index des intervenants", "Index des termes"),
    "en": ("Talk Index", "Speaker Index", "Term Index"),
}


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., BuiltRoot]:
    """``build(theme, language)``: root ``test-indices`` built once per pair for this module."""
    cache: dict[tuple[str, str], BuiltRoot] = {}

    def built(theme: str, language: str) -> BuiltRoot:
        if (theme, language) not in cache:
            srcdir = tmp_path_factory.mktemp(f"index-pages-{theme}-{language}") / "src"
            shutil.copytree(ROOTS / "test-indices", srcdir)
            overrides = {"html_theme": theme, "language": language}
            cache[theme, language] = build_copy(srcdir, confoverrides=overrides)
        return cache[theme, language]

    return built


def squash(node: Tag) -> str:
    return " ".join(node.get_text().split())


def entries(page: BeautifulSoup) -> dict[str, list[tuple[str, str, str]]]:
    """``{heading: [(name, href, details)]}`` of a page drawn by the theme's domainindex.html."""
    result = {}
    for group in page.select("section.tb-index-group"):
        heading = group.select_one("h2.tb-index-heading")
        assert heading is not None
        rows = []
        for entry in group.select("li.tb-index-entry"):
            name = entry.select_one(".tb-index-name")
            meta = entry.select_one(".tb-index-meta")
            assert name is not None
            rows.append((squash(name), str(name.get("href", "")), squash(meta) if meta else ""))
        result[squash(heading)] = rows
    return result


@pytest.mark.parametrize("language", ["fr", "en"])
def test_titles_are_translated(build: Callable[..., BuiltRoot], language: str) -> None:
    built = build("talkbase", language)
    assert built.warnings == ""
    for page, title in zip(INDICES, TITLES[language], strict=True):
        soup = built.html(page)
        assert soup.find("html")["lang"] == language
        assert squash(soup.select_one("article h1")) == title
        assert soup.title is not None
        assert squash(soup.title).startswith(title)
    # The links Sphinx labels for each index ({ref}`kb-speakerindex`) say it too.
    links = {a["href"]: squash(a) for a in built.html("index").select("article a.reference.internal")}
    assert [links[f"{page}.html"] for page in INDICES] == list(TITLES[language])


def test_names_are_text_with_their_details(build: Callable[..., BuiltRoot]) -> None:
    built = build("talkbase", "fr")
    talks = built.html("kb-talkindex")
    speakers = built.html("kb-speakerindex")
    terms = built.html("kb-termindex")
    for page in (talks, speakers, terms):
        # Names are prose, not code chips.
        assert page.select("article code") == []
        assert page.select("article table") == []
        assert page.select_one('link[href="_static/talkbase-index.css"]') is not None
    assert entries(talks)["Autumn Meetup & <Friends>"] == [
        ("Opening keynote", "talks/day2.html#talk-opening", "Émile Zola · 5 octobre 2023")
    ]
    assert entries(talks)["Journées Été 2024"][0] == (
        "Accessible forms",
        "talks/day1.html#talk-forms",
        "Alice Martin, Bob Dupont · 1 juin 2024",
    )
    hallway = ("Hallway track", "talks/day2.html#talk-hallway", "Émile Zola · 1 janvier 2022")
    assert entries(talks)["Sans événement"] == [hallway]
    by_letter = entries(speakers)
    assert by_letter["A"] == [("Alice Martin", "speakers.html#speaker-alice", "Acme · 2 interventions")]
    assert by_letter["E"] == [
        ("Émile Zola", "speakers.html#speaker-emile", "3 interventions"),
        ("Eve Adams", "speakers.html#speaker-eve", "0 intervention"),
    ]
    assert entries(terms)["P"] == [
        ("proxemics", "terms.html#term-proxemie", "en → proxémie"),
        ("proxémie", "terms.html#term-proxemie", "fr"),
        ("Proxemik", "terms.html#term-proxemie", "de → proxémie"),
    ]
    # An event's title is text, never markup.
    assert talks.find("friends") is None


@pytest.mark.parametrize("page", INDICES)
def test_headings_have_ids_and_a_navigation(build: Callable[..., BuiltRoot], page: str) -> None:
    soup = build("talkbase", "en").html(page)
    headings = soup.select("section.tb-index-group > h2.tb-index-heading")
    ids = [str(heading.get("id", "")) for heading in headings]
    assert len(headings) >= 3
    assert all(ident and not any(c.isspace() for c in ident) for ident in ids), ids
    assert len(set(ids)) == len(ids)
    nav = soup.select_one("nav.tb-index-nav")
    assert nav is not None
    assert nav["aria-label"] == "Sections of the index"
    links = [(str(a["href"]), squash(a)) for a in nav.select("a")]
    assert links == [(f"#{ident}", squash(heading)) for ident, heading in zip(ids, headings, strict=True)]


def test_heading_ids(build: Callable[..., BuiltRoot]) -> None:
    """Letters keep Sphinx's ``cap-A``; events get their slug (so a link to one survives a new event)."""
    fr = build("talkbase", "fr")
    assert [h["id"] for h in fr.html("kb-speakerindex").select("h2.tb-index-heading")] == [
        "cap-A",
        "cap-B",
        "cap-C",
        "cap-E",
    ]
    assert [h["id"] for h in fr.html("kb-talkindex").select("h2.tb-index-heading")] == [
        "cap-autumn-meetup-friends",
        "cap-journees-ete-2024",
        "cap-sans-evenement",
    ]
    assert fr.html("kb-talkindex").select_one("nav.tb-index-nav")["aria-label"] == "Sections de l’index"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", {"active listening": "en", "proxemics": "en", "Proxemik": "de", "Zeitgeist": "de"}),
        ("en", {"Écoute active": "fr", "proxémie": "fr", "Proxemik": "de", "Zeitgeist": "de"}),
    ],
)
def test_term_names_in_another_language_say_so(
    build: Callable[..., BuiltRoot], language: str, expected: dict[str, str]
) -> None:
    """A translation (and a term) in another language than the page's has its ``lang``; an alias,
    whose language is not known, has none (``Air du temps`` is an alias of ``Zeitgeist``)."""
    names = build("talkbase", language).html("kb-termindex").select(".tb-index-name")
    assert {squash(name): name["lang"] for name in names if name.has_attr("lang")} == expected


def test_group_ids_are_valid_and_unique() -> None:
    headings = ["A", "É", "Autumn Meetup & <Friends>", "設計", "Meetup", "Meetup", "Other scripts"]
    assert group_ids(headings) == [
        "cap-A",
        "cap-e",
        "cap-autumn-meetup-friends",
        "cap-4",
        "cap-meetup",
        "cap-meetup-2",
        "cap-other-scripts",
    ]


def test_general_index(build: Callable[..., BuiltRoot]) -> None:
    soup = build("talkbase", "fr").html("genindex")
    assert squash(soup.select_one("article h1")) == "Index"
    headings = soup.select("section.tb-index-group > h2.tb-index-heading")
    assert [h["id"] for h in headings][:3] == ["A", "B", "C"]
    assert [a["href"] for a in soup.select("nav.tb-index-nav a")] == [f"#{h['id']}" for h in headings]
    # One line per object, "Title (type)" as Sphinx's Python domain does (docs/reference/listings.md).
    shown = {squash(li): [a["href"] for a in li.select("a")] for li in soup.select("li.tb-index-entry")}
    assert shown["Alice Martin (intervenant)"] == ["speakers.html#speaker-alice"]
    assert shown["Autumn Meetup & <Friends> (événement)"] == ["events.html#event-autumn"]
    assert shown["Zeitgeist (terme)"] == ["terms.html#term-zeitgeist"]
    assert not soup.select("li.tb-index-entry ul")  # no second level


@pytest.mark.parametrize(("theme", "language"), [("basic", "fr"), ("alabaster", "en")])
def test_other_themes_keep_sphinx_index_page(build: Callable[..., BuiltRoot], theme: str, language: str) -> None:
    """Themes without talkbase's template draw Sphinx's table, translated, headings as text."""
    built = build(theme, language)
    assert built.warnings == ""
    soup = built.html("kb-talkindex")
    assert squash(soup.select_one("h1")) == TITLES[language][0]
    assert soup.select_one('link[href="_static/talkbase-index.css"]') is None
    headings = [squash(row) for row in soup.select("table.modindextable tr.cap")]
    assert headings[0] == "Autumn Meetup & <Friends>"
    assert soup.find("friends") is None
    names = [squash(a) for a in soup.select("table.modindextable a")]
    assert names[:2] == ["Opening keynote", "Accessible forms"]
    speakers = built.html("kb-speakerindex")
    assert [squash(row) for row in speakers.select("table.modindextable tr.cap")] == ["A", "B", "C", "E"]


def test_other_domain_index_in_the_theme(copy_root: Callable[[str], Path]) -> None:
    """A Python module index drawn by the same template keeps module names as code."""
    srcdir = copy_root("indices")
    (srcdir / "api.md").write_text("# API\n\n```{py:module} shapes.circle\n```\n", encoding="utf-8")
    index = srcdir / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("terms\n```", "terms\napi\n```"), encoding="utf-8")
    built = build_copy(srcdir, confoverrides={"html_theme": "talkbase"})
    assert built.warnings == ""
    soup = built.html("py-modindex")
    assert [h["id"] for h in soup.select("h2.tb-index-heading")] == ["cap-s"]
    assert [squash(a) for a in soup.select("nav.tb-index-nav a")] == ["s"]
    name = soup.select_one("li.tb-index-entry a.tb-index-name")
    assert name is not None
    assert name["href"] == "api.html#module-shapes.circle"
    assert squash(name.select_one("code")) == "shapes.circle"

"""The five listing directives, their filters, sorting, limits and styles (issue 3).

Root ``test-listings``: two events, four speakers, five talks on two pages
(dates own or inherited from the event, languages, tags, several speakers), a
recommendation nested in a talk, one after a talk and two with ``:talk:`` on
another page, three terms with translations used through ``{term}`` in talks,
in a recommendation and on a plain page.  ``lists.md`` holds one listing per
section (the section id names it), ``styles.md`` the tables and cards.

Dates:   archive 2019-01-15 < keynote 2020-05-04 (event spring) < ethics 2020-05-05
         < bridges 2021-10-11 (event autumn) < zebra 2021-10-12.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from sphinx._cli.util.errors import strip_escape_sequences
from sphinx.testing.util import SphinxTestApp

from talkbase import listings as listings_module

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bs4 import Tag
    from sphinx.application import Sphinx
    from tests.conftest import BuiltRoot

    from talkbase.lookup import KBIndex
    from talkbase.model import ListingParams, Query, Record


@pytest.fixture
def site(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("listings")


def section(soup: BeautifulSoup, name: str) -> Tag:
    found = soup.select_one(f"section#{name}")
    assert found is not None, f"no section {name}"
    return found


def listing(soup: BeautifulSoup, name: str) -> Tag:
    found = section(soup, name).select(".kb-listing")
    assert len(found) == 1, f"section {name} has {len(found)} listings"
    return found[0]


def entry_links(node: Tag) -> list[Tag]:
    """The link of each entry of a listing, whatever its style, in order."""
    classes = node["class"]
    if "kb-listing-table" in classes:
        found = [row.select_one("td a") for row in node.select("tbody > tr")]
    elif "kb-listing-cards" in classes:
        found = [card.select_one(".sd-card-title a") for card in node.select(".sd-card")]
    elif "kb-listing-rec" in classes:  # a digest: recommendations under their talk
        found = node.select(".kb-listing-groups > li > ul > li > p > a")
    else:
        found = [item.select_one(":scope > p > a") for item in node.select(":scope > ul > li")]
    assert all(link is not None for link in found)
    return [link for link in found if link is not None]


def ids(node: Tag) -> list[str]:
    """The ids of the listed objects, from their anchors."""
    return [str(link["href"]).partition("#")[2].partition("-")[2] for link in entry_links(node)]


def texts(node: Tag) -> list[str]:
    return [" ".join(tag.get_text().split()) for tag in node]


def entry_text(item: Tag) -> str:
    return " ".join(item.get_text().split())


# -- filters and sorting ------------------------------------------------------------------

LISTED = {
    # talk-list: default sort is by date (own or the event's).
    "talks-all": ["archive", "keynote", "ethics", "bridges", "zebra"],
    "talks-event": ["keynote", "ethics"],
    "talks-events": ["keynote", "ethics", "bridges", "zebra"],  # any of them
    "talks-speaker": ["keynote", "zebra"],
    "talks-speakers": ["archive", "keynote", "ethics", "zebra"],
    "talks-talk": ["ethics"],
    "talks-talks": ["ethics", "zebra"],
    "talks-tag": ["keynote", "zebra"],
    "talks-tags": ["archive", "keynote", "zebra"],  # 'History' matches the tag 'history'
    "talks-lang": ["archive", "ethics"],
    "talks-langs": ["archive", "ethics", "zebra"],
    "talks-event-tag": ["bridges"],  # all of the options
    "talks-speakers-lang": ["keynote", "bridges"],
    # Each option alone would keep another talk: event archive, speakers ethics, tags archive,
    # languages ethics, talks bridges.
    "talks-all-five": ["keynote", "zebra"],
    "talks-title": ["archive", "bridges", "ethics", "keynote", "zebra"],
    "talks-newest": ["zebra", "bridges", "ethics", "keynote", "archive"],
    "talks-limit": ["zebra", "bridges"],
    # speaker-list: default sort is by name; a speaker's date is that of their first talk.
    "speakers-all": ["alice", "bob", "carol", "dave"],
    "speakers-name": ["alice", "bob", "carol", "dave"],
    "speakers-date": ["bob", "alice", "carol", "dave"],  # dave has no talk: last
    "speakers-newest": ["carol", "alice", "bob", "dave"],  # undated still last
    "speakers-event": ["alice", "carol"],
    "speakers-tag": ["bob"],
    "speakers-lang": ["alice", "carol"],
    "speakers-ids": ["alice", "dave"],
    "speakers-talk": ["alice", "carol"],
    # event-list
    "events-all": ["spring", "autumn"],
    "events-newest": ["autumn", "spring"],
    "events-title": ["autumn", "spring"],
    "events-speaker": ["spring"],  # bob's other talk has no event
    "events-tag": ["spring", "autumn"],
    "events-lang": ["autumn"],
    "events-event": ["autumn"],
    "events-talk": ["spring"],
    # recommendation-list: filters apply through the recommendation's talk.
    "recs-all": ["check", "listen", "measure", "open-formats"],
    "recs-talk": ["measure"],
    "recs-event": ["check", "listen"],
    "recs-speaker": ["check", "open-formats"],
    "recs-own-tag": ["listen"],  # the recommendation's own tag
    "recs-talk-tag": ["open-formats"],  # its talk's tag
    "recs-lang": ["measure"],
    "recs-date": ["open-formats", "listen", "check", "measure"],
    # term-list: filters apply through the talks using the term (in a recommendation too).
    "terms-all": ["proxemie", "weak-signals", "zeitgeist"],
    "terms-en": ["proxemie", "weak-signals"],  # written in English or translated into it
    "terms-de": ["proxemie", "zeitgeist"],
    "terms-talk": ["weak-signals"],
    "terms-speaker": ["proxemie"],  # through the recommendation on bob's talk
    "terms-event": ["proxemie"],
    "terms-tag": ["proxemie", "weak-signals"],
}


def test_builds_without_warnings(site: BuiltRoot) -> None:
    assert site.warnings == ""


@pytest.mark.parametrize(("name", "expected"), LISTED.items())
def test_listing_finds(site: BuiltRoot, name: str, expected: list[str]) -> None:
    assert ids(listing(site.html("lists"), name)) == expected


@pytest.mark.parametrize(
    ("name", "objtype"),
    [
        ("talks-all", "talk"),
        ("speakers-all", "speaker"),
        ("events-all", "event"),
        ("recs-all", "rec"),
        ("terms-all", "term"),
    ],
)
def test_listing_classes_and_targets(site: BuiltRoot, name: str, objtype: str) -> None:
    node = listing(site.html("lists"), name)
    assert {"kb-listing", f"kb-listing-{objtype}", "kb-listing-list"} <= set(node["class"])
    for link in entry_links(node):
        assert str(link["href"]).partition("#")[2].startswith(f"{objtype}-")
        assert {"kb-ref", f"kb-ref-{objtype}"} <= set(link["class"])


def test_every_section_is_checked(site: BuiltRoot) -> None:
    names = {str(node["id"]) for node in site.html("lists").select("section > section")}
    assert names == {*LISTED, "talks-none"}


def test_empty_result(site: BuiltRoot) -> None:
    soup = site.html("lists")
    empty = section(soup, "talks-none")  # spring's talks by carol: none
    assert empty.select(".kb-listing") == []
    assert texts(empty.select(".kb-listing-empty")) == ["Nothing matches this listing."]
    table = section(site.html("styles"), "empty-table")
    assert table.select("table, .kb-listing") == []
    assert texts(table.select("p.kb-listing-empty")) == ["Nothing matches this listing."]


# -- what an entry shows ------------------------------------------------------------------


def test_talk_entry(site: BuiltRoot) -> None:
    items = listing(site.html("lists"), "talks-all").select(":scope > ul > li")
    by_id = dict(zip(LISTED["talks-all"], items, strict=True))
    keynote = by_id["keynote"]
    # Title, speakers, event, date (inherited from the event).
    assert entry_text(keynote) == "Opening Keynote — Alice Martin · Spring Summit · May 4, 2020"
    assert [a["href"] for a in keynote.select("a")] == [
        "talks.html#talk-keynote",
        "speakers.html#speaker-alice",
        "events.html#event-spring",
    ]
    zebra = by_id["zebra"]
    assert entry_text(zebra) == "Zebra Patterns — Alice Martin, Carol Zhang · Autumn Forum · October 12, 2021"
    assert [a["href"] for a in zebra.select("a")] == [
        "talks.html#talk-zebra",
        "speakers.html#speaker-alice",
        "speakers.html#speaker-carol",
        "events.html#event-autumn",
    ]
    # No event: nothing in its place.
    assert entry_text(by_id["archive"]) == "Archive Stories — Bob Durand · January 15, 2019"
    # Defined on another page, dated by its event.
    bridges = by_id["bridges"]
    assert entry_text(bridges) == "Bridges — Carol Zhang · Autumn Forum · October 11, 2021"
    assert bridges.select("a")[0]["href"] == "more.html#talk-bridges"


def test_speaker_and_event_entries(site: BuiltRoot) -> None:
    soup = site.html("lists")
    speakers = listing(soup, "speakers-all").select(":scope > ul > li")
    assert [entry_text(item) for item in speakers] == [
        "Alice Martin — ACME · 2",
        "Bob Durand — 2",
        "Carol Zhang — 2",
        "Dave Unused — 0",
    ]
    events = listing(soup, "events-all").select(":scope > ul > li")
    assert [entry_text(item) for item in events] == [
        "Spring Summit — May 4, 2020 · Lyon",
        "Autumn Forum — October 11, 2021",
    ]


def test_recommendation_entry_shows_its_talk(site: BuiltRoot) -> None:
    node = listing(site.html("lists"), "recs-all")
    groups = node.select(".kb-listing-groups > li")
    digest = [
        (
            [str(a["href"]) for a in group.select(":scope > p > a")],
            [str(a["href"]) for a in group.select(":scope > ul > li > p > a")],
        )
        for group in groups
    ]
    assert digest == [
        (["talks.html#talk-ethics"], ["recs.html#rec-check"]),
        (["talks.html#talk-keynote"], ["talks.html#rec-listen"]),  # nested in the talk
        (["talks.html#talk-zebra"], ["recs.html#rec-measure"]),  # :talk: on another page
        (["more.html#talk-archive"], ["more.html#rec-open-formats"]),
    ]
    assert texts(node.select(".kb-listing-groups > li > p")) == [
        "Data Ethics",
        "Opening Keynote",
        "Zebra Patterns",
        "Archive Stories",
    ]
    styles = site.html("styles")
    rows = listing(styles, "recs-table").select("tr")
    assert [texts(row.select("th, td")) for row in rows] == [
        ["Recommendation", "Talk"],
        ["Measure engagement", "Zebra Patterns"],
    ]
    assert [a["href"] for a in rows[1].select("td a")] == ["recs.html#rec-measure", "talks.html#talk-zebra"]
    cards = listing(styles, "recs-cards").select(".sd-card")
    assert len(cards) == 1
    assert texts(cards[0].select("p")) == ["Check sources", "Talk Data Ethics"]
    assert [a["href"] for a in cards[0].select("a")] == ["recs.html#rec-check", "talks.html#talk-ethics"]


def test_term_entry_shows_translations(site: BuiltRoot) -> None:
    items = listing(site.html("lists"), "terms-all").select(":scope > ul > li")
    assert [entry_text(item) for item in items] == [
        "proxémie — proxemics, Proxemik",
        "weak signals — signaux faibles",
        "Zeitgeist",
    ]
    translations = [(span["lang"], span.get_text()) for span in items[0].select("span[lang]")]
    assert translations == [("en", "proxemics"), ("de", "Proxemik")]


def test_term_list_in_another_language(site: BuiltRoot) -> None:
    """``:lang: en`` shows each term's English name, linking to the one definition."""
    node = listing(site.html("lists"), "terms-en")
    links = entry_links(node)
    assert texts(links) == ["proxemics", "weak signals"]
    assert [a["href"] for a in links] == ["terms.html#term-proxemie", "terms.html#term-weak-signals"]
    items = node.select(":scope > ul > li")
    # The other names, the original first, each in its language.
    assert [(span["lang"], span.get_text()) for span in items[0].select("span[lang]")] == [
        ("fr", "proxémie"),
        ("de", "Proxemik"),
    ]
    german = entry_links(listing(site.html("lists"), "terms-de"))
    assert texts(german) == ["Proxemik", "Zeitgeist"]
    assert [a["href"] for a in german] == ["terms.html#term-proxemie", "terms.html#term-zeitgeist"]
    rows = listing(site.html("styles"), "terms-table").select("tr")
    assert [texts(row.select("th, td")) for row in rows] == [
        ["Term", "Translations"],
        ["proxemics", "proxémie, Proxemik"],
        ["weak signals", "signaux faibles"],
    ]


# -- styles -------------------------------------------------------------------------------


def test_style_list_is_the_default(site: BuiltRoot) -> None:
    styles = site.html("styles")
    explicit = listing(styles, "list-style")
    assert "kb-listing-list" in explicit["class"]
    default = listing(site.html("lists"), "talks-event")
    assert str(explicit.select_one("ul")) == str(default.select_one("ul"))


def test_style_table(site: BuiltRoot) -> None:
    node = listing(site.html("styles"), "table-style")
    assert "kb-listing-table" in node["class"]
    assert node.select("ul") == []
    assert texts(node.select("thead th")) == ["Talk", "Speakers", "Event", "Date"]
    rows = node.select("tbody > tr")
    assert [texts(row.select("td")) for row in rows] == [
        ["Opening Keynote", "Alice Martin", "Spring Summit", "May 4, 2020"],
        ["Data Ethics", "Bob Durand", "Spring Summit", "May 5, 2020"],
    ]
    cells = rows[0].select("td")
    assert [[a["href"] for a in cell.select("a")] for cell in cells] == [
        ["talks.html#talk-keynote"],
        ["speakers.html#speaker-alice"],
        ["events.html#event-spring"],
        [],
    ]
    speakers = listing(site.html("styles"), "speakers-table")
    assert [texts(row.select("th, td")) for row in speakers.select("tr")] == [
        ["Speaker", "Affiliation", "Talks"],
        ["Alice Martin", "ACME", "2"],
        ["Carol Zhang", "", "2"],
    ]


def test_style_cards(site: BuiltRoot) -> None:
    node = listing(site.html("styles"), "cards-style")
    assert "kb-listing-cards" in node["class"]
    assert node.select_one(".sd-row") is not None  # a sphinx-design grid of cards
    cards = node.select(".sd-col > .sd-card")
    assert len(cards) == 2
    assert ids(node) == ["bridges", "zebra"]
    assert texts(cards[1].select(".sd-card-body > p")) == [
        "Zebra Patterns",
        "Speakers Alice Martin, Carol Zhang",
        "Event Autumn Forum",
        "Date October 12, 2021",
    ]
    assert [a["href"] for a in cards[1].select("a")] == [
        "talks.html#talk-zebra",
        "speakers.html#speaker-alice",
        "speakers.html#speaker-carol",
        "events.html#event-autumn",
    ]


# -- unknown ids --------------------------------------------------------------------------

BAD_PAGE = """\
---
orphan: true
---
# Bad filters

```{talk-list}
:speaker: alice, nobody
```

```{event-list}
:event: nowhere
:talk: missing-talk
```
"""


def test_unknown_filter_id_warns(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("listings")
    (srcdir / "bad.md").write_text(BAD_PAGE, encoding="utf-8")
    built = build(srcdir)
    lines = built.warnings.splitlines()
    assert lines == [
        f"{srcdir / 'bad.md'}:6: WARNING: :speaker: filter names no speaker with id 'nobody' [talkbase.unknown-ref]",
        f"{srcdir / 'bad.md'}:10: WARNING: :event: filter names no event with id 'nowhere' [talkbase.unknown-ref]",
        f"{srcdir / 'bad.md'}:10: WARNING: :talk: filter names no talk with id 'missing-talk' [talkbase.unknown-ref]",
    ]
    soup = built.html("bad")
    found = soup.select(".kb-listing")
    assert len(found) == 1  # the known speaker still counts
    assert ids(found[0]) == ["keynote", "zebra"]
    assert texts(soup.select(".kb-listing-empty")) == ["Nothing matches this listing."]


# -- incremental builds -------------------------------------------------------------------


@dataclass
class Build:
    outdir: Path
    warnings: str
    #: Documents whose HTML page this build wrote.
    written: set[str]

    def html(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / f"{page}.html").read_text(encoding="utf-8"), "lxml")

    def body(self, page: str) -> str:
        return str(self.html(page).select_one("div.body"))


def build(srcdir: Path, **kwargs: Any) -> Build:
    """Build ``srcdir`` with a fresh application (reusing its pickled environment)."""
    app = SphinxTestApp("html", srcdir=srcdir, **kwargs)
    written: set[str] = set()

    def on_page(_app: Sphinx, pagename: str, *_args: object) -> None:
        written.add(pagename)

    app.connect("html-page-context", on_page)
    try:
        app.build()
    finally:
        app.cleanup()
    return Build(app.outdir, strip_escape_sequences(app.warning.getvalue()), written)


NEW_TALK = """\
---
orphan: true
---
# New talk

```{talk} Aardvark Intro
:id: aardvark
:speakers: dave
:event: spring
:date: 2020-05-06
:language: en
:tags: web
```
"""

ONLY_BRIDGES = """\
# More talks

```{talk} Bridges Rebuilt
:id: bridges
:speakers: carol
:event: autumn
:language: en
:tags: strategy, ethics
```
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_incremental_builds_equal_clean_builds(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    srcdir = copy_root("listings")
    assert build(srcdir).warnings == ""

    def rebuild(step: str) -> BeautifulSoup:
        """Build again incrementally; the listing pages equal a clean build's."""
        incremental = build(srcdir)
        assert incremental.warnings == ""
        assert {"lists", "styles"} <= incremental.written
        assert "plain" not in incremental.written  # shows nothing that changed
        clean = build(srcdir, builddir=tmp_path / f"clean-{step}")
        for page in ("lists", "styles"):
            assert incremental.body(page) == clean.body(page), f"{page} after {step}"
        return incremental.html("lists")

    # A talk is added on a new page.
    (srcdir / "new.md").write_text(NEW_TALK, encoding="utf-8")
    soup = rebuild("add")
    assert ids(listing(soup, "talks-all")) == ["archive", "keynote", "ethics", "aardvark", "bridges", "zebra"]
    assert ids(listing(soup, "talks-tag")) == ["keynote", "aardvark", "zebra"]
    assert ids(listing(soup, "events-speaker")) == ["spring"]
    assert entry_text(listing(soup, "speakers-all").select(":scope > ul > li")[3]) == "Dave Unused — 1"
    assert ids(listing(soup, "speakers-event")) == ["alice", "carol"]

    # A talk is renamed and an event moved (its talks inherit the new date).
    edit(srcdir / "more.md", "{talk} Bridges", "{talk} Bridges Rebuilt")
    edit(srcdir / "events.md", ":date: 2020-05-04", ":date: 2022-01-01")
    soup = rebuild("rename")
    talks = listing(soup, "talks-all")
    assert ids(talks) == ["archive", "ethics", "aardvark", "bridges", "zebra", "keynote"]
    assert texts(entry_links(talks))[3] == "Bridges Rebuilt"
    assert ids(listing(soup, "talks-title")) == ["aardvark", "archive", "bridges", "ethics", "keynote", "zebra"]
    assert ids(listing(soup, "events-all")) == ["autumn", "spring"]

    # A talk (and its nested recommendation) is removed, and the new page deleted.
    (srcdir / "more.md").write_text(ONLY_BRIDGES, encoding="utf-8")
    (srcdir / "new.md").unlink()
    soup = rebuild("remove")
    assert ids(listing(soup, "talks-all")) == ["ethics", "bridges", "zebra", "keynote"]
    assert ids(listing(soup, "recs-all")) == ["check", "listen", "measure"]
    assert ids(listing(soup, "talks-tags")) == ["zebra", "keynote"]  # 'history' is gone
    assert texts(section(soup, "speakers-tag").select(".kb-listing-empty")) == ["Nothing matches this listing."]
    assert entry_text(listing(soup, "speakers-all").select(":scope > ul > li")[1]) == "Bob Durand — 1"


def test_each_listing_is_answered_once_per_build(
    copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprints after reading and the pages written show the same entries, found once
    for each distinct listing (issue 16: nothing is computed twice), in a clean build and after an edit."""
    asked: list[ListingParams] = []
    find = listings_module.results

    def counted(index: KBIndex, query: Query[ListingParams]) -> list[Record]:
        asked.append(query.params)
        return find(index, query)

    monkeypatch.setattr(listings_module, "results", counted)
    srcdir = copy_root("listings")

    def build_counted() -> Build:
        asked.clear()
        built = build(srcdir)
        assert built.warnings == ""
        assert asked
        assert len(asked) == len(set(asked)), "a listing's entries found again"
        return built

    build_counted()
    edit(srcdir / "more.md", "{talk} Bridges", "{talk} Bridges Rebuilt")
    # The entries written after the edit are the new ones, not those of the first build.
    assert "Bridges Rebuilt" in texts(entry_links(listing(build_counted().html("lists"), "talks-all")))


COUNTS = """\
---
orphan: true
---
# Counts

```{speaker-list}
:speaker: alice
:style: table
```
"""

LATER_TALK = """\
---
orphan: true
---
# Later

```{talk} Encore
:id: encore
:speakers: alice
:date: 2023-03-03
```
"""


def test_speaker_talk_count_follows_new_talks(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """A new talk by a listed speaker changes only their talk count (not their first date)."""
    srcdir = copy_root("listings")
    (srcdir / "counts.md").write_text(COUNTS, encoding="utf-8")
    first = build(srcdir)
    assert first.warnings == ""
    rows = first.html("counts").select(".kb-listing tbody > tr")
    assert [texts(row.select("td")) for row in rows] == [["Alice Martin", "ACME", "2"]]
    (srcdir / "later.md").write_text(LATER_TALK, encoding="utf-8")
    incremental = build(srcdir)
    assert "counts" in incremental.written
    rows = incremental.html("counts").select(".kb-listing tbody > tr")
    assert [texts(row.select("td")) for row in rows] == [["Alice Martin", "ACME", "3"]]
    clean = build(srcdir, builddir=tmp_path / "clean")
    assert incremental.body("counts") == clean.body("counts")


# -- other builders -----------------------------------------------------------------------


def test_text_builder(built_root: Callable[..., BuiltRoot]) -> None:
    built = built_root("listings", "text")
    assert built.warnings == ""
    lists = built.text("lists.txt")
    assert "* Opening Keynote — Alice Martin · Spring Summit · May 4, 2020" in lists
    assert "Nothing matches this listing." in lists
    # Table columns are as wide as their content, not one character.
    rows = [line for line in built.text("styles.txt").splitlines() if line.startswith("| ")]
    assert "| Talk            | Speakers     | Event         | Date        |" in rows
    assert "| Opening Keynote | Alice Martin | Spring Summit | May 4, 2020 |" in rows


def test_latex_builder(built_root: Callable[..., BuiltRoot]) -> None:
    built = built_root("listings", "latex")
    assert built.warnings == ""
    (tex,) = built.outdir.glob("*.tex")
    source = tex.read_text(encoding="utf-8")
    assert r"\hyperref[\detokenize{talks:talk-zebra}]{\sphinxcrossref{Zebra Patterns}}" in source
    assert "Nothing matches this listing." in source

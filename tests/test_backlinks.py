"""The "Referenced by" section of every object (issue 3, "Backlinks").

Root ``test-backlinks``: two events, two speakers, two talks (one with a nested
recommendation), a recommendation with an explicit ``:talk:`` on another page,
two terms (one ``:see:`` the other), a plain page using every role, and a page
that links to nothing (to check that incremental builds leave it alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from sphinx._cli.util.errors import strip_escape_sequences
from sphinx.testing.util import SphinxTestApp

from talkbase import backlinks as backlinks_module

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bs4 import Tag
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from tests.conftest import BuiltRoot

    from talkbase.lookup import KBIndex
    from talkbase.model import BacklinksParams, Query

PAGES = ["events", "speakers", "talks", "recs", "terms", "plain", "other"]

#: page -> object anchor -> its "Referenced by" entries: (label, hrefs of the spots).
EXPECTED: dict[str, dict[str, list[tuple[str, list[str]]]]] = {
    "talks": {
        "talk-keynote": [
            # Two {talk} roles on a plain page: one entry for the page, two spots.
            ("Plain page", ["plain.html#kbref-0", "plain.html#kbref-1"]),
            # A {talk} role inside another talk, on the same page.
            ("talk: Closing Panel", ["#kbref-9"]),
        ],
        # The :talk: option of a recommendation on another page points at that recommendation.
        "talk-panel": [("recommendation: Measure engagement", ["recs.html#rec-measure"])],
        # A nested recommendation names no talk: nothing links to it.
        "rec-listen": [],
    },
    "speakers": {
        # :speakers: of talks: the speaker's talks, each pointing at the talk.
        "speaker-alice": [
            ("talk: Opening Keynote", ["talks.html#talk-keynote"]),
            ("talk: Closing Panel", ["talks.html#talk-panel"]),
        ],
        "speaker-bob": [
            ("Plain page", ["plain.html#kbref-2"]),
            ("talk: Closing Panel", ["talks.html#talk-panel"]),
        ],
    },
    "events": {
        # :event: of talks: the talks of the event.
        "event-spring": [
            ("Plain page", ["plain.html#kbref-3"]),
            ("talk: Opening Keynote", ["talks.html#talk-keynote"]),
        ],
        "event-autumn": [("talk: Closing Panel", ["talks.html#talk-panel"])],
    },
    "recs": {"rec-measure": [("Plain page", ["plain.html#kbref-4"])]},
    "terms": {
        # {term} by text, translation and accent-folded text; grouped by the object using it.
        "term-proxemie": [
            ("Plain page", ["plain.html#kbref-5"]),
            ("recommendation: Measure engagement", ["recs.html#kbref-1"]),
            ("talk: Opening Keynote", ["talks.html#kbref-2", "talks.html#kbref-3"]),
            ("talk: Closing Panel", ["talks.html#kbref-8"]),
            # :see: of another term points at that term.
            ("term: weak signals", ["#term-weak-signals"]),
        ],
        "term-weak-signals": [
            ("Plain page", ["plain.html#kbref-6"]),  # {kb:term}
            ("recommendation: Listen first", ["talks.html#kbref-4"]),  # nested in a talk
        ],
    },
}


def obj(soup: BeautifulSoup, anchor: str) -> Tag:
    found = soup.select_one(f"div.kb-object#{anchor}")
    assert found is not None, f"no object #{anchor}"
    return found


def backlinks(soup: BeautifulSoup, anchor: str) -> list[tuple[str, list[str]]]:
    """(label, hrefs) of each entry of the object's own "Referenced by" section."""
    # A recommendation's sits inside its box (so it does not read as the talk's).
    sections = obj(soup, anchor).select(":scope > .kb-backlinks, :scope > .kb-recommendation-box > .kb-backlinks")
    if not sections:
        return []
    assert len(sections) == 1
    title = sections[0].select_one(".kb-backlinks-title")
    assert title is not None
    assert title.get_text() == "Referenced by"
    entries = []
    for item in sections[0].select("li"):
        links = item.select("a[href]")
        entries.append((links[0].get_text(), [str(a["href"]) for a in links]))
        assert [a.get_text() for a in links[1:]] == [f"[{n}]" for n in range(2, len(links) + 1)]
    return entries


def target_of(page: str, href: str) -> tuple[str, str]:
    """(docname, fragment) a link on ``page`` points to."""
    path, _, fragment = href.partition("#")
    return (path.removesuffix(".html") or page), fragment


def links_in(node: Tag, page: str) -> set[tuple[str, str]]:
    """Targets of the links in ``node``, outside any "Referenced by" section."""
    return {
        target_of(page, str(a["href"])) for a in node.select("a[href]") if a.find_parent(class_="kb-backlinks") is None
    }


# -- one build of the root, read only ---------------------------------------------------


@pytest.fixture
def site(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("backlinks")


def test_builds_without_warnings(site: BuiltRoot) -> None:
    assert site.warnings == ""


@pytest.mark.parametrize(
    ("page", "anchor"), [(page, anchor) for page, objects in EXPECTED.items() for anchor in objects]
)
def test_referenced_by(site: BuiltRoot, page: str, anchor: str) -> None:
    assert backlinks(site.html(page), anchor) == EXPECTED[page][anchor]


def test_every_object_is_covered(site: BuiltRoot) -> None:
    for page in PAGES:
        anchors = {str(node["id"]) for node in site.html(page).select("div.kb-object[id]")}
        assert anchors == set(EXPECTED.get(page, {}))


@pytest.mark.parametrize(
    ("page", "anchor"), [(page, anchor) for page, objects in EXPECTED.items() for anchor in objects]
)
def test_each_spot_links_to_the_object(site: BuiltRoot, page: str, anchor: str) -> None:
    """Every backlink lands on an element that itself links to the object: the
    ``kbref-N`` span around a role, or the object whose option names it."""
    for _label, hrefs in backlinks(site.html(page), anchor):
        for href in hrefs:
            spot_page, spot = target_of(page, href)
            found = site.html(spot_page).find(id=spot)
            assert found is not None, f"{href} (from {page}#{anchor}) lands nowhere"
            if spot.startswith("kbref-"):
                assert "kb-ref-spot" in found["class"]
                assert links_in(found, spot_page) == {(page, anchor)}
            else:
                assert "kb-object" in found["class"]
                assert (page, anchor) in links_in(found, spot_page)


def test_spots_of_a_page_are_distinct(site: BuiltRoot) -> None:
    soup = site.html("plain")
    spots = [str(span["id"]) for span in soup.select("span.kb-ref-spot")]
    assert spots == [f"kbref-{n}" for n in range(7)]


def test_page_without_references_has_no_spots(site: BuiltRoot) -> None:
    assert site.html("other").select(".kb-ref-spot, .kb-backlinks") == []


def test_backlinks_can_be_turned_off(copy_root: Callable[[str], Path]) -> None:
    built = build(copy_root("backlinks"), confoverrides={"talkbase_backlinks": False})
    assert built.warnings == ""
    for page in PAGES:
        soup = built.html(page)
        assert soup.select(".kb-backlinks") == []
        assert "Referenced by" not in soup.get_text()
    # The objects and their links are still there.
    assert backlinks(built.html("speakers"), "speaker-alice") == []
    talk = obj(built.html("talks"), "talk-panel")
    assert ("speakers", "speaker-bob") in links_in(talk, "talks")


# -- incremental builds -----------------------------------------------------------------


@dataclass
class Build:
    """One build of a source directory, with what Sphinx read and wrote."""

    outdir: Path
    warnings: str
    #: Documents read (parsed) by this build.
    read: set[str]
    #: Documents whose HTML page was written by this build, except the root document:
    #: Sphinx itself rewrites the page whose toctree lists a rewritten page.
    written: set[str]

    def html(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / f"{page}.html").read_text(encoding="utf-8"), "lxml")

    def mtimes(self) -> dict[str, int]:
        return {page: (self.outdir / f"{page}.html").stat().st_mtime_ns for page in PAGES}


def build(srcdir: Path, **kwargs: Any) -> Build:
    """Build ``srcdir`` with a fresh application (reusing its pickled environment)."""
    app = SphinxTestApp("html", srcdir=srcdir, **kwargs)
    read: set[str] = set()
    written: set[str] = set()

    def on_read(_app: Sphinx, _env: BuildEnvironment, docnames: list[str]) -> None:
        read.update(docnames)

    def on_page(_app: Sphinx, pagename: str, *_args: object) -> None:
        written.add(pagename)

    app.connect("env-before-read-docs", on_read)
    app.connect("html-page-context", on_page)
    try:
        app.build()
        docs = set(app.env.found_docs)
    finally:
        app.cleanup()
    return Build(app.outdir, strip_escape_sequences(app.warning.getvalue()), read, (written & docs) - {"index"})


NEW_PAGE = """\
---
orphan: true
---
# New page

```{talk} Lightning Talk
:id: lightning
:speakers: bob
```

Plain mention of {term}`proxemics`.
"""

NO_REFERENCES = """\
---
orphan: true
---
# New page

Nothing links from here any more.
"""


def test_referrers_are_found_once_per_build(copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprints after reading and the pages written show the same referrers, found
    once for each object (issue 16: nothing is computed twice), in a clean build and after an edit."""
    asked: list[Query[BacklinksParams]] = []
    find = backlinks_module._referrers

    def counted(index: KBIndex, query: Query[BacklinksParams]) -> object:
        asked.append(query)
        return find(index, query)

    monkeypatch.setattr(backlinks_module, "_referrers", counted)
    srcdir = copy_root("backlinks")

    def build_counted() -> Build:
        asked.clear()
        built = build(srcdir)
        assert built.warnings == ""
        assert asked
        assert len(asked) == len(set(asked)), "referrers found again for the same object"
        return built

    build_counted()
    plain = srcdir / "plain.md"
    plain.write_text(
        plain.read_text(encoding="utf-8").replace("# Plain page", "# Plain page, edited"), encoding="utf-8"
    )
    # The referrers shown after the edit are the new ones, not those of the first build.
    assert backlinks(build_counted().html("speakers"), "speaker-bob")[0][0] == "Plain page, edited"


def test_adding_then_removing_a_reference(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("backlinks")
    first = build(srcdir)
    assert first.warnings == ""
    before = first.mtimes()
    bob_before = backlinks(first.html("speakers"), "speaker-bob")
    term_before = backlinks(first.html("terms"), "term-proxemie")

    # (1) A new page references speaker bob (option) and a term (role).
    (srcdir / "new.md").write_text(NEW_PAGE, encoding="utf-8")
    added = build(srcdir)
    assert added.warnings == ""
    assert added.read == {"new"}  # the objects' pages are not read again...
    assert added.written == {"new", "speakers", "terms"}  # ...but rewritten, and only they
    after = added.mtimes()
    assert {page for page in PAGES if after[page] != before[page]} == {"speakers", "terms"}
    # Entries follow the referring pages' names: new < plain < talks.
    assert backlinks(added.html("speakers"), "speaker-bob") == [
        ("talk: Lightning Talk", ["new.html#talk-lightning"]),
        *bob_before,
    ]
    proxemie = backlinks(added.html("terms"), "term-proxemie")
    assert ("New page", ["new.html#kbref-1"]) in proxemie
    assert [entry for entry in proxemie if entry[0] != "New page"] == term_before
    spot = added.html("new").find(id="kbref-1")
    assert spot is not None
    assert links_in(spot, "new") == {("terms", "term-proxemie")}

    # (2) The references are deleted again.
    (srcdir / "new.md").write_text(NO_REFERENCES, encoding="utf-8")
    removed = build(srcdir)
    assert removed.warnings == ""
    assert removed.read == {"new"}
    assert removed.written == {"new", "speakers", "terms"}
    assert backlinks(removed.html("speakers"), "speaker-bob") == bob_before
    assert backlinks(removed.html("terms"), "term-proxemie") == term_before

    # (3) The same references come back, then their page is deleted.
    (srcdir / "new.md").write_text(NEW_PAGE, encoding="utf-8")
    assert ("New page", ["new.html#kbref-1"]) in backlinks(build(srcdir).html("terms"), "term-proxemie")
    (srcdir / "new.md").unlink()
    deleted = build(srcdir)
    assert deleted.warnings == ""
    assert deleted.read == set()
    assert deleted.written == {"speakers", "terms"}
    assert backlinks(deleted.html("speakers"), "speaker-bob") == bob_before
    assert backlinks(deleted.html("terms"), "term-proxemie") == term_before


def test_renaming_the_referring_talk(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("backlinks")
    first = build(srcdir)
    before = first.mtimes()
    talks = srcdir / "talks.md"
    talks.write_text(
        talks.read_text(encoding="utf-8").replace("{talk} Closing Panel", "{talk} Grand Finale"), encoding="utf-8"
    )
    renamed = build(srcdir)
    assert renamed.warnings == ""
    assert renamed.read == {"talks"}
    # Every page showing the talk's title; not the plain page nor the unrelated one.
    assert renamed.written == {"talks", "speakers", "events", "recs", "terms"}
    after = renamed.mtimes()
    assert after["other"] == before["other"]
    assert after["plain"] == before["plain"]
    assert backlinks(renamed.html("speakers"), "speaker-alice") == [
        ("talk: Opening Keynote", ["talks.html#talk-keynote"]),
        ("talk: Grand Finale", ["talks.html#talk-panel"]),
    ]
    assert backlinks(renamed.html("events"), "event-autumn") == [("talk: Grand Finale", ["talks.html#talk-panel"])]
    assert ("talk: Grand Finale", ["talks.html#kbref-8"]) in backlinks(renamed.html("terms"), "term-proxemie")
    assert ("talk: Grand Finale", ["#kbref-9"]) in backlinks(renamed.html("talks"), "talk-keynote")
    # The same pages as a clean build of the edited sources.
    clean = build(srcdir, builddir=srcdir.parent / "clean")
    for page in PAGES:
        assert str(renamed.html(page).select_one("div.body")) == str(clean.html(page).select_one("div.body"))


def test_renaming_a_referring_page(copy_root: Callable[[str], Path]) -> None:
    """References outside objects are labelled with their page's title."""
    srcdir = copy_root("backlinks")
    build(srcdir)
    plain = srcdir / "plain.md"
    plain.write_text(plain.read_text(encoding="utf-8").replace("# Plain page", "# Loose notes"), encoding="utf-8")
    renamed = build(srcdir)
    assert renamed.warnings == ""
    assert renamed.read == {"plain"}
    assert renamed.written == {"plain", "talks", "speakers", "events", "recs", "terms"}
    assert backlinks(renamed.html("speakers"), "speaker-bob")[0] == ("Loose notes", ["plain.html#kbref-2"])
    assert backlinks(renamed.html("talks"), "talk-keynote")[0] == (
        "Loose notes",
        ["plain.html#kbref-0", "plain.html#kbref-1"],
    )


def test_text_builder(built_root: Callable[..., BuiltRoot]) -> None:
    built = built_root("backlinks", "text")
    assert built.warnings == ""
    speakers = built.text("speakers.txt")
    assert speakers.count("Referenced by") == 2
    assert "talk: Closing Panel" in speakers

"""A page shows objects of other pages as their current state, in incremental builds too.

The root ``test-incremental-shown`` puts every object on its own page: a talk
(``talks.md``) whose summary mentions a speaker who is not one of its speakers
(``guests.md``), a citation (``refs.bib``) and a page by its title
(``events.md``); its speaker, with a photo (``people.md``); a listing of the talks
(``listing.md``).  The listing and the speaker's "Talks" field link to the talk,
so they show its summary in the link's hover preview; the listing and the talk
show the speaker's photo in theirs; ``anyref.md`` links to the talk and the
mentioned speaker with ``{any}``.  The talk's page shows its summary in its
metadata, and so does the mentioned speaker, whose own summary names a page.

Each case edits one file, builds again, and checks, on the pages that show the
edited thing without being read again, that the previews and the text read as in
a clean build of the same sources, and that they show the new text.
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from tests.conftest import build_copy, clean_build, edit
from tests.test_core_incremental import doctree_mtime

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

#: (file edited, old text, new text, text the showing pages must now show, the showing pages).
CASES = {
    "renamed mention": (
        "guests.md", "{speaker} Marie Dupont", "{speaker} Marie Durand", "Trust grows with Marie Durand",
        ("listing", "people", "anyref"),
    ),
    "changed citation": ("refs.bib", 'year = "2000"', 'year = "1999"', "[Putnam, 1999]", ("listing", "people")),
    "retitled page": (
        "events.md", "# Events of 2011", "# Events of 2012", "Events of 2012", ("listing", "people", "talks", "guests")
    ),
    "new photo": ("people.md", "/ada.jpg", "/ada-2.jpg", "https://example.org/ada-2.jpg", ("listing", "talks")),
}


def previews(build: BuiltRoot, page: str) -> dict[str, Any]:
    """The page's hover previews by link (none on a page without object links)."""
    script = build.html(page).select_one("script#tb-previews")
    data: dict[str, Any] = json.loads(script.string or "") if script is not None else {}
    return data


def metadata(build: BuiltRoot, page: str) -> list[str]:
    """The page's ``<meta>`` descriptions and JSON-LD (its own objects' summaries)."""
    head = build.html(page).select('meta[property="og:description"], script[type="application/ld+json"]')
    return [str(element) for element in head]


def shown_texts(build: BuiltRoot, page: str) -> str:
    return json.dumps(previews(build, page), ensure_ascii=False) + "".join(metadata(build, page))


def body(build: BuiltRoot, page: str) -> str:
    article = build.html(page).select_one("article.body")
    assert article is not None, page
    return str(article)


@pytest.mark.parametrize("case", CASES)
def test_pages_showing_an_edited_object_equal_a_clean_build(
    case: str, copy_root: Callable[[str], Path], tmp_path: Path
) -> None:
    filename, old, new, shown, pages = CASES[case]
    srcdir = copy_root("incremental-shown")
    first = build_copy(srcdir)
    assert first.warnings == ""
    assert all(shown not in shown_texts(first, page) for page in pages)
    read_at = {page: doctree_mtime(srcdir, page) for page in pages}

    edit(srcdir / filename, old, new)
    second = build_copy(srcdir)
    assert second.warnings == ""
    clean = clean_build(srcdir, tmp_path)
    for page in pages:
        # Not read again: the page is written again because what it shows changed.
        assert doctree_mtime(srcdir, page) == read_at[page], page
        assert shown in shown_texts(second, page), page
        assert previews(second, page) == previews(clean, page), page
        assert metadata(second, page) == metadata(clean, page), page
        assert body(second, page) == body(clean, page), page


def test_sidebar_follows_the_first_term(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """The first term (guests.md) adds the glossary and the term index to every page's sidebar."""
    srcdir = copy_root("incremental-shown")
    build_copy(srcdir)
    read_at = doctree_mtime(srcdir, "listing")
    with (srcdir / "guests.md").open("a", encoding="utf-8") as guests:
        guests.write("\n```{term} Social capital\n:id: social-capital\n\nWhat ties are worth.\n```\n")
    edit(srcdir / "guests.md", "# Guests", "# Guests and terms")
    second = build_copy(srcdir)
    assert second.warnings == ""
    clean = clean_build(srcdir, tmp_path)
    assert doctree_mtime(srcdir, "listing") == read_at
    sidebar = second.html("listing").select_one("nav.tb-kb")
    assert sidebar is not None
    assert {"Terms": "kb-termindex.html", "Glossary": "guests.html"}.items() <= {
        a.get_text(): a["href"] for a in sidebar.select("a")
    }.items()
    assert str(sidebar) == str(clean.html("listing").select_one("nav.tb-kb"))


def test_another_builder_in_between(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """``make html text html``: the builders share the environment, not their output."""
    srcdir = copy_root("incremental-shown")
    build_copy(srcdir)
    read_at = {page: doctree_mtime(srcdir, page) for page in ("listing", "anyref")}
    edit(srcdir / "guests.md", "{speaker} Marie Dupont", "{speaker} Marie Durand")
    text = build_copy(srcdir, "text")
    assert "Marie Durand" in text.text("anyref.txt")
    html = build_copy(srcdir)
    clean = clean_build(srcdir, tmp_path)
    for page in ("listing", "anyref"):
        assert doctree_mtime(srcdir, page) == read_at[page], page
        assert "Marie Durand" in body(html, page) + shown_texts(html, page), page
        assert previews(html, page) == previews(clean, page), page
        assert body(html, page) == body(clean, page), page


def test_without_previews_a_summary_rewrites_no_linking_page(copy_root: Callable[[str], Path]) -> None:
    """With Sphinx's basic theme nothing shows the talk's summary on the listing: it is not rewritten."""
    srcdir = copy_root("incremental-shown")
    basic = {"html_theme": "basic"}
    first = build_copy(srcdir, confoverrides=basic)
    assert first.html("listing").select_one("script#tb-previews") is None
    written_at = {page: (first.outdir / f"{page}.html").stat().st_mtime_ns for page in ("listing", "people")}
    edit(srcdir / "guests.md", "{speaker} Marie Dupont", "{speaker} Marie Durand")
    second = build_copy(srcdir, confoverrides=basic)
    assert "Marie Durand" in second.text("guests.html")
    assert "Marie Durand" in second.text("talks.html")  # it shows the mention itself
    for page, mtime in written_at.items():
        assert (second.outdir / f"{page}.html").stat().st_mtime_ns == mtime, page


def test_graph_drawn_as_links_follows_a_renamed_mention(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """Without ``dot`` a graph is a list of links, each with its preview."""
    srcdir = copy_root("incremental-shown")
    (srcdir / "graph.md").write_text(
        "---\norphan: true\n---\n# Graph\n\n```{kb-graph}\n:root: talk:capital\n```\n", encoding="utf-8"
    )
    no_dot = {"graphviz_dot": "talkbase-test-no-dot"}
    first = build_copy(srcdir, confoverrides=no_dot)
    assert "[talkbase.graph-unavailable]" in first.warnings
    assert first.html("graph").select("ul.kb-graph-list a.kb-ref-talk")
    read_at = doctree_mtime(srcdir, "graph")
    edit(srcdir / "guests.md", "{speaker} Marie Dupont", "{speaker} Marie Durand")
    second = build_copy(srcdir, confoverrides=no_dot)
    copy = tmp_path / "clean"
    shutil.copytree(srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    clean = build_copy(copy, confoverrides=no_dot)
    assert doctree_mtime(srcdir, "graph") == read_at
    assert "Trust grows with Marie Durand" in shown_texts(second, "graph")
    assert previews(second, "graph") == previews(clean, "graph")

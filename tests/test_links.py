"""Every builder links only to pages it wrote (root ``test-links``).

The root uses every kind of internal link talkbase makes — the kb roles, the
three domain indices through ``{ref}``, listings in each style, tag badges and
tag pages, backlinks, the graph's fallback list, the "Cite this" block and the
theme's sidebar — on pages in two directories.  For each builder that writes
HTML, every ``href`` of every page that is not an external URL must name a file
the builder wrote and, after ``#``, an ``id`` in that file.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from tests.conftest import build_copy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from bs4 import Tag
    from tests.conftest import BuiltRoot

BUILDERS = ["html", "dirhtml", "singlehtml", "epub"]
#: ``html_baseurl`` of the root: canonical URLs (citations, ``<link rel="canonical">``) are
#: links into the output too.
BASE_URL = "https://kb.example.org/"
PAGE_SUFFIXES = {".html", ".xhtml"}


def pages(outdir: Path) -> Iterator[Path]:
    for path in sorted(outdir.rglob("*")):
        if path.suffix in PAGE_SUFFIXES and "_static" not in path.relative_to(outdir).parts:
            yield path


def parse(page: Path) -> BeautifulSoup:
    """An HTML page with lxml's HTML parser, an EPUB XHTML page as XML."""
    return BeautifulSoup(page.read_text(encoding="utf-8"), "xml" if page.suffix == ".xhtml" else "lxml")


def ids_of(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        soup = parse(path)
        found = {str(tag["id"]) for tag in soup.select("[id]")}
        found |= {str(tag["name"]) for tag in soup.select("a[name]")}
        cache[path] = found
    return cache[path]


def internal_links(page: Path, outdir: Path) -> Iterator[tuple[str, str]]:
    """``(tag, href)`` of every link of ``page`` that stays in the output, relative to ``page``."""
    for tag in parse(page).select("[href]"):
        href = str(tag["href"])
        if href.startswith(BASE_URL):
            root = PurePosixPath(*[".."] * len(page.relative_to(outdir).parent.parts))
            href = f"{root}/{href.removeprefix(BASE_URL)}"
        elif urlsplit(href).scheme or href.startswith("//"):
            continue
        yield tag.name, href


def target_file(page: Path, path: str) -> Path:
    """The file a link's path part leads to from ``page`` (a directory means its index.html)."""
    if not path:
        return page
    target = (page.parent / unquote(path)).resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def classes_of(tag: Tag) -> list[str]:
    value = tag.get("class") or []
    return value.split() if isinstance(value, str) else list(value)  # a string when parsed as XML


def broken_links(outdir: Path) -> list[str]:
    """``page: <tag href>: what is wrong`` for every link that leads nowhere."""
    cache: dict[Path, set[str]] = {}
    problems = []
    for page in pages(outdir):
        for tag, href in internal_links(page, outdir):
            parts = urlsplit(href)
            target = target_file(page, parts.path)
            where = f"{PurePosixPath(page.relative_to(outdir))}: <{tag} href={href!r}>"
            if not target.is_file():
                problems.append(f"{where}: no file {target}")
            elif (
                parts.fragment
                and target.suffix in PAGE_SUFFIXES
                and unquote(parts.fragment) not in ids_of(target, cache)
            ):
                problems.append(f"{where}: no id {parts.fragment!r} in {target.name}")
    return problems


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_internal_link_resolves(built_root: Callable[..., BuiltRoot], builder: str) -> None:
    build = built_root("links", builder)
    assert build.warnings == ""
    checked = [href for page in pages(build.outdir) for _tag, href in internal_links(page, build.outdir)]
    # The checker saw the links this root is about (not an empty output).
    assert any("talk-keynote" in href for href in checked)
    assert any("speaker-ada" in href for href in checked)
    assert broken_links(build.outdir) == []


@pytest.mark.parametrize("builder", BUILDERS)
def test_ids_are_unique_in_every_page(built_root: Callable[..., BuiltRoot], builder: str) -> None:
    """singlehtml puts every document in one page: per-document ids (``kbref-0``) must not clash."""
    build = built_root("links", builder)
    for page in pages(build.outdir):
        ids = [str(tag["id"]) for tag in parse(page).select("[id]")]
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], page.name


@pytest.mark.parametrize("builder", BUILDERS)
def test_backlinks_land_on_the_link_they_name(built_root: Callable[..., BuiltRoot], builder: str) -> None:
    """Each "Referenced by" spot is the place that links to the object listing it."""
    build = built_root("links", builder)
    spots = 0
    for page in pages(build.outdir):
        soup = parse(page)
        for box in soup.select("div.kb-backlinks"):
            owner = box.find_parent(lambda tag: "kb-object" in classes_of(tag))
            assert owner is not None
            anchor = str(owner["id"])
            for link in box.select("a[href*='kbref-']"):
                path, _hash, fragment = str(link["href"]).partition("#")
                target = parse(target_file(page, path)) if path else soup
                spot = target.find(id=fragment)
                assert spot is not None, link["href"]
                assert any(str(a["href"]).endswith("#" + anchor) for a in spot.select("a[href]")), link["href"]
                spots += 1
    assert spots >= 5


def test_root_has_every_kind_of_link(built_root: Callable[..., BuiltRoot]) -> None:
    """What the link tests above walk through (so that they cannot pass on an empty root)."""
    build = built_root("links", "html")
    kinds = (
        "a.kb-ref",  # the kb roles
        "a.kb-tag-link",  # tag badges
        "a.kb-tag",  # the tag overview
        ".kb-listing-cards a",
        ".kb-listing-table a",
        ".kb-graph-list a",  # the graph without Graphviz
        ".kb-backlinks a",
        "a.kb-export",  # "Cite this": the exports
        "a[href$='kb-talkindex.html']",  # {ref} and the theme's sidebar
    )
    soups = [parse(page) for page in pages(build.outdir)]
    assert [kind for kind in kinds if not any(soup.select(kind) for soup in soups)] == []


def test_no_link_to_indices_the_build_does_not_write(copy_root: Callable[[str], Path]) -> None:
    """``html_domain_indices = False``: ``{ref}`kb-talkindex``` shows its text, the sidebar leaves it out."""
    build = build_copy(copy_root("links"), confoverrides={"html_domain_indices": False})
    assert build.warnings == ""
    assert not (build.outdir / "kb-talkindex.html").exists()
    assert broken_links(build.outdir) == []
    assert "Talk Index" in parse(build.outdir / "index.html").get_text()


def _shown(box: Tag, text: str) -> list[bool]:
    """For each place ``text`` is shown in ``box``: whether it is inside a link."""
    return [string.find_parent("a") is not None for string in box.find_all(string=lambda s: s and text in s)]


def test_links_to_a_page_the_builder_has_no_uri_for_are_text(copy_root: Callable[[str], Path]) -> None:
    """An HTML builder with no URI for one page (``NoUri``, as LaTeX for an orphan it leaves out;
    root ``test-links-nouri``): what links to it from listings, fields and "Referenced by" is
    its text, as Sphinx makes of a role's link to it; links to the other pages stay links."""
    build = build_copy(copy_root("links-nouri"))
    assert build.warnings == ""
    index, other = parse(build.outdir / "index.html"), parse(build.outdir / "other.html")
    speaker = index.select_one("#speaker-ann")
    assert speaker is not None
    role = index.select_one("section > p")
    assert role is not None
    # Sphinx shows a role's target text where the builder has no URI (the title needs the link).
    assert (_shown(role, "hidden"), _shown(role, "Shown Talk")) == ([False], [True])
    boxes = {
        "list": index.select_one(".kb-listing-list"),
        "table": index.select_one(".kb-listing-table"),
        "cards": index.select_one(".kb-listing-cards"),
        "speaker's talks": speaker.select_one("dd.kb-field-talks"),
        "speaker's referrers": speaker.select_one(".kb-backlinks"),
        "event's talks": other.select_one("dd.kb-field-talks"),
        "event's referrers": other.select_one(".kb-backlinks"),
    }
    assert [name for name, box in boxes.items() if box is None] == []
    shown = {name: (_shown(box, "Hidden Talk"), _shown(box, "Shown Talk")) for name, box in boxes.items() if box}
    assert shown == {
        "list": ([False], [True]),
        "table": ([False], [True]),
        "cards": ([False], [True]),
        "speaker's talks": ([False], [True]),
        "speaker's referrers": ([False], [True]),
        "event's talks": ([False], []),
        "event's referrers": ([False], []),
    }
    assert [soup for soup in (index, other) if soup.select("a[href*='hidden']")] == []

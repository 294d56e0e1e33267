"""Parts of pages talkbase writes as HTML itself (talkbase.direct_html): the same bytes as the nodes.

In ``html`` and ``dirhtml`` builds the "Referenced by" sections, plain listings, the
objects' header cards, card grids and the title and fields of recommendation boxes are
written as one ``kb_html`` node each instead of a tree of docutils nodes for Sphinx's
HTML translator.  Each test builds the same project twice, with and without that
shortcut, and compares every page and the search index byte for byte.
"""

from __future__ import annotations

import filecmp
import json
from typing import TYPE_CHECKING, Any

import pytest
from sphinx.util.parallel import parallel_available
from tests.conftest import build_copy, edit

from talkbase import asset_tags, direct_html

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

#: Titles with every character the translator escapes, shown in "Referenced by" labels.
TRICKY_TALK = 'Closing <Panel> & "Q@A"'
TRICKY_PAGE = "Plain & <page> @ home"


def tricky_copy(copy_root: Callable[[str], Path]) -> Path:
    srcdir = copy_root("backlinks")
    edit(srcdir / "talks.md", "```{talk} Closing Panel", f"```{{talk}} {TRICKY_TALK}")
    edit(srcdir / "plain.md", "# Plain page", f"# {TRICKY_PAGE}")
    return srcdir


def build_both(
    srcdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str = "html", **kwargs: Any
) -> tuple[BuiltRoot, BuiltRoot, list[str]]:
    """The project built with the shortcut, then without: (direct, nodes, the HTML written directly)."""
    made: list[str] = []

    def spy(original: Callable[..., Any]) -> Callable[..., Any]:
        def spied(*args: Any, **kwargs: Any) -> Any:
            node = original(*args, **kwargs)
            if node is not None:
                made.append(node if isinstance(node, str) else node["html"])
            return node

        return spied

    with monkeypatch.context() as patch:
        patch.setattr(direct_html, "written", spy(direct_html.written))
        patch.setattr(direct_html, "written_structure", spy(direct_html.written_structure))
        patch.setattr(direct_html, "written_by", spy(direct_html.written_by))
        direct = build_copy(srcdir, buildername, tmp_path / "direct", **kwargs)
    with monkeypatch.context() as patch:
        patch.setattr(direct_html, "writes_directly", lambda builder, methods=(): False)
        plain = build_copy(srcdir, buildername, tmp_path / "nodes", **kwargs)
    return direct, plain, made


def sections(made: list[str], name: str) -> int:
    """How many of the parts written directly are a ``name`` section (``kb-backlinks``, ``kb-listing``)."""
    return sum(markup.startswith(f'<div class="{name} ') for markup in made)


def structures(made: list[str]) -> dict[str, int]:
    """How many of the parts written directly are header cards, card grids, recommendations' titles."""
    return {
        "cards": sum(markup.startswith('<div class="sd-card ') and " kb-header " in markup[:120] for markup in made),
        "grids": sum(markup.startswith('<div class="sd-container-fluid ') for markup in made),
        "recommendations": sum(markup.startswith('<p class="admonition-title">') for markup in made),
        "fields": sum('<dl class="kb-fields field-list' in markup for markup in made),
        "cite": sum(markup.startswith('<div class="kb-cite ') for markup in made),  # "Cite this", with its tabs
    }


def same_files(first: Path, second: Path) -> list[str]:
    """The written files (pages, search index, exports) that differ between two output directories."""
    names = sorted(
        str(path.relative_to(first))
        for path in first.rglob("*")
        if path.is_file() and path.name != ".buildinfo" and ".doctrees" not in path.parts
    )
    assert names
    _same, differ, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    return differ + errors


@pytest.mark.parametrize(
    ("buildername", "overrides"),
    [
        ("html", {}),
        ("html", {"smartquotes": False}),  # straight quotes in the labels
        ("html", {"html_compact_lists": False}),  # no "simple" class on the lists
        ("dirhtml", {}),
        ("html", {"html_theme": "talkbase"}),  # the theme's own translator (talkbase.theme.markup)
    ],
)
def test_same_bytes_as_the_nodes(
    copy_root: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    buildername: str,
    overrides: dict[str, Any],
) -> None:
    srcdir = tricky_copy(copy_root)
    direct, plain, made = build_both(srcdir, tmp_path, monkeypatch, buildername, confoverrides=overrides)
    assert direct.warnings == plain.warnings == ""
    assert sections(made, "kb-backlinks") == 9  # every "Referenced by" section of the root
    assert same_files(direct.outdir, plain.outdir) == []
    # The labels really hold what needs escaping.
    written = (direct.outdir / ("talks.html" if buildername == "html" else "talks/index.html")).read_text("utf-8")
    quote = "&quot;" if overrides.get("smartquotes") is False else ""
    assert f"talk: Closing &lt;Panel&gt; &amp; {quote or '“'}Q&#64;A{quote or '”'}</a>" in written
    assert ">Plain &amp; &lt;page&gt; &#64; home</a>" in written


TRANSLATOR = '''
from sphinx.writers.html5 import HTML5Translator


class MarkedLinks(HTML5Translator):
    def visit_reference(self, node):
        node["classes"].append("from-another-translator")
        super().visit_reference(node)


def setup(app):
    app.set_translator("html", MarkedLinks)
'''


def test_another_translator_gets_the_nodes(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator with its own ``visit_reference`` writes the "Referenced by" links its way."""
    srcdir = copy_root("backlinks")
    (srcdir / "marked_links.py").write_text(TRANSLATOR, encoding="utf-8")
    edit(srcdir / "conf.py", 'extensions = ["myst_parser", "talkbase"]',
         'import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parent))\n'
         'extensions = ["myst_parser", "talkbase", "marked_links"]')  # fmt: skip
    direct, plain, made = build_both(srcdir, tmp_path, monkeypatch)
    assert made == []
    links = direct.html("talks").select("div.kb-backlinks a")
    assert links
    assert all("from-another-translator" in link["class"] for link in links)
    assert same_files(direct.outdir, plain.outdir) == []


@pytest.mark.parametrize("buildername", ["singlehtml", "epub"])
def test_builders_that_rewrite_links_get_the_nodes(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    """singlehtml rewrites links into its one page, EPUB renames ids: both need the nodes."""
    _direct, _plain, made = build_both(copy_root("backlinks"), tmp_path, monkeypatch, buildername)
    assert made == []


@pytest.mark.parametrize("overrides", [{}, {"html_compact_lists": False}])
def test_listings_same_bytes_as_the_nodes(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overrides: dict[str, Any]
) -> None:
    """Every style of listing (list, table, cards, recommendations by talk) of ``test-listings``."""
    direct, plain, made = build_both(copy_root("listings"), tmp_path, monkeypatch, confoverrides=overrides)
    assert direct.warnings == plain.warnings
    # The plain lists are written directly (the tables and cards have their own structure).
    assert sections(made, "kb-listing") > 40
    assert same_files(direct.outdir, plain.outdir) == []


def test_listings_with_previews_stay_nodes(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the talkbase theme's previews, links to objects are read from the doctree."""
    direct, plain, made = build_both(
        copy_root("listings"), tmp_path, monkeypatch, confoverrides={"html_theme": "talkbase"}
    )
    assert sections(made, "kb-listing") == 0
    previews = direct.html("lists").select_one("script#tb-previews")
    assert previews is not None
    assert len(json.loads(previews.get_text())) > 10  # the listings' links have their previews
    assert same_files(direct.outdir, plain.outdir) == []


def test_asset_tags_made_once_per_folder(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """talkbase.asset_tags: the same ``<link>``/``<script>`` tags, each made once per folder of pages."""
    srcdir = copy_root("backlinks")
    (srcdir / "sub").mkdir()
    (srcdir / "sub" / "page.md").write_text("# Sub page\n\nIn a folder.\n", encoding="utf-8")
    edit(srcdir / "index.md", "```{toctree}", "```{toctree}\nsub/page")
    made: list[object] = []
    original = asset_tags.remembering

    def spy(make: Any, name: str, folder: str, tags: Any) -> Any:
        def counted(asset: Any) -> str:
            made.append((name, folder, asset))
            return make(asset)

        return original(counted, name, folder, tags)

    with monkeypatch.context() as patch:
        patch.setattr(asset_tags, "remembering", spy)
        remembered = build_copy(srcdir, "html", tmp_path / "remembered")
    with monkeypatch.context() as patch:
        patch.setattr(asset_tags, "remembering", lambda make, name, folder, tags: make)
        plain = build_copy(srcdir, "html", tmp_path / "plain")
    assert same_files(remembered.outdir, plain.outdir) == []
    assert len(made) == len(set(made))  # each tag made once
    assert {"", "sub"} <= {folder for _name, folder, _asset in made}
    sub = remembered.html("sub/page")
    assert all(str(link["href"]).startswith("../_static/") for link in sub.select("link[rel=stylesheet]"))


ALL = ("cards", "recommendations", "fields", "cite")


@pytest.mark.parametrize(
    ("root", "buildername", "overrides", "expected"),
    [
        # every kind of object, tags (tag page links), buttons, card listings
        ("generic-nodes", "html", {}, (*ALL, "grids")),
        ("generic-nodes", "dirhtml", {}, (*ALL, "grids")),
        ("core-myst", "html", {}, ALL),  # objects over several pages, nested recommendations
        ("core-myst", "html", {"html_compact_lists": False}, ALL),  # field lists stay "simple" (docutils' setting)
        ("cite", "html", {}, ALL),  # titles with characters to escape
        # ":cite:" fields: sphinxcontrib-bibtex's citations (with ids) keep their headers nodes
        ("bibtex", "html", {}, ("cards", "fields", "cite")),
        ("i18n-content", "html", {}, ALL),  # French labels, titles translated by the project's catalogue
        ("core-bad-refs", "html", {}, ALL),  # unknown ids in the fields: Sphinx's unresolved references
    ],
)
def test_headers_same_bytes_as_the_nodes(
    copy_root: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    root: str,
    buildername: str,
    overrides: dict[str, Any],
    expected: tuple[str, ...],
) -> None:
    """The objects' header cards, card listings and recommendations' title and fields."""
    direct, plain, made = build_both(copy_root(root), tmp_path, monkeypatch, buildername, confoverrides=overrides)
    assert direct.warnings == plain.warnings
    written = structures(made)
    assert [kind for kind in expected if not written[kind]] == []
    assert same_files(direct.outdir, plain.outdir) == []


@pytest.mark.skipif(not parallel_available, reason="no multiprocessing fork on this platform")
def test_headers_stay_nodes_for_parallel_writers(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``-j 2`` the headers are left to the workers' translator, off the main process
    that resolves every page; the pages are those of a serial build, where they are written."""
    srcdir = copy_root("generic-nodes")
    serial, _plain, made = build_both(srcdir, tmp_path / "serial", monkeypatch)
    assert structures(made)["cards"] > 0
    parallel, _plain, made = build_both(srcdir, tmp_path / "parallel", monkeypatch, parallel=2)
    assert parallel.parallel
    assert structures(made)["cards"] == structures(made)["grids"] == structures(made)["recommendations"] == 0
    assert parallel.warnings == serial.warnings
    assert same_files(parallel.outdir, serial.outdir) == []


def test_headers_with_previews_stay_nodes(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the talkbase theme's previews, the links to objects in the headers are read from the doctree
    (every card of the root has one; a recommendation's fields with tags only are written), and the
    theme's translator has its own ``visit_title``: the recommendations' titles stay nodes."""
    direct, plain, made = build_both(
        copy_root("generic-nodes"), tmp_path, monkeypatch, confoverrides={"html_theme": "talkbase"}
    )
    assert structures(made) == {"cards": 0, "grids": 0, "recommendations": 0, "fields": 1, "cite": 1}
    assert not any("kb-ref" in markup for markup in made)
    assert len(json.loads(direct.html("objects").select_one("script#tb-previews").get_text())) > 3
    assert same_files(direct.outdir, plain.outdir) == []


NESTED = """# Nested

- Talks of the spring event, in a list item:

  ```{talk-list}
  :event: spring
  ```

- A talk defined in a list item:

  ```{talk} Nested Talk
  :id: nested-talk
  :speakers: alice
  :event: spring
  ```

```{list-table}
* - Speakers, in a table cell:

    ```{speaker-list}
    ```
  - Tags, beside them:

    ```{talk-list}
    :tag: strategy
    ```
```
"""

#: A list the author made compact: the translator's state differs in its items.
COMPACT = """Compact
=======

.. rst-class:: compact

- Talks of the autumn event, in an item of a compact list:

  .. talk-list::
     :event: autumn

- A talk defined there:

  .. talk:: Compact Talk
     :id: compact-talk
     :speakers: bob
     :event: autumn
"""


def test_listings_and_headers_inside_lists_same_bytes(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing or an object's header inside a list item or a table cell: the translator's
    compact-list state and line ends there depend on what is around (``direct_html._inside_list``)."""
    srcdir = copy_root("listings")
    (srcdir / "nested.md").write_text(NESTED, encoding="utf-8")
    (srcdir / "compact.rst").write_text(COMPACT, encoding="utf-8")
    edit(srcdir / "index.md", "lists\n", "lists\nnested\ncompact\n")
    direct, plain, _made = build_both(srcdir, tmp_path, monkeypatch)
    assert direct.warnings == plain.warnings == ""
    for name in ("nested", "compact"):
        page = direct.html(name)
        assert page.select("li div.kb-listing") and page.select("li .kb-header"), name
    assert direct.html("nested").select("td div.kb-listing")
    assert same_files(direct.outdir, plain.outdir) == []

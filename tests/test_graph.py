"""The relations graph (``kb-graph``): nodes, edges, links in the SVG, the fallback list.

The root ``test-graph`` has one event, two talks (one with a recommendation and a
``{term}``), three speakers (one with a hostile title: quotes, ``"]; evil [``, a
backslash, ``<script>``, ``&amp;``), three terms linked by ``:see:`` and a
``{term}`` in a definition, and named graphs (``:name: g-…``) on several pages,
one of them in a sub-directory.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from tests.conftest import build_copy

from talkbase.graph.dot import dot_source
from talkbase.graph.relations import Graph
from talkbase.model import Speaker

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
NS = {"svg": SVG, "xlink": XLINK}
EVIL = 'Evil "]; evil [label="x" \\ <script>alert(1)</script> &amp; \\n'
UNAVAILABLE = "[talkbase.graph-unavailable]"


@pytest.fixture(scope="session")
def dot() -> str:
    """Graphviz's ``dot``: a missing tool fails the tests that draw, it never skips them."""
    path = shutil.which("dot")
    if path is None:
        pytest.fail("Graphviz's dot is not installed: run `make system-deps` (make test does)")
    return path


needs_dot = pytest.mark.usefixtures("dot")

TALK = {
    "talk:docs-as-code",
    "speaker:ada-martin",
    "speaker:lin-chen",
    "event:docs-day",
    "rec:review",
    "term:proxemics",
}


class Drawing:
    """The SVG of one graph: its nodes (name -> label, link) and edges."""

    def __init__(self, built: BuiltRoot, page: str, name: str) -> None:
        soup = built.html(page)
        box = soup.select_one(f"#{name}")
        assert box is not None, f"no graph #{name} in {page}"
        obj = box.select_one("object[data]")
        assert obj is not None, f"graph #{name} in {page} has no SVG"
        #: The SVG's path from the output directory (``_images/graphviz-….svg``).
        self.path = posixpath.normpath(posixpath.join(posixpath.dirname(page), str(obj["data"])))
        self.alt = obj.get_text()
        self.root = etree.parse(str(built.outdir / self.path)).getroot()
        self.labels: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.tooltips: dict[str, str] = {}
        for node in self.root.xpath("//svg:g[contains(concat(' ', @class, ' '), ' node ')]", namespaces=NS):
            title = node.findtext(f"{{{SVG}}}title")
            self.labels[title] = " ".join(node.xpath(".//svg:text/text()", namespaces=NS))
            link = node.find(f".//{{{SVG}}}a")
            if link is not None:
                href = link.get(f"{{{XLINK}}}href")
                # Relative links of an SVG are relative to the SVG's own directory.
                self.links[title] = posixpath.normpath(posixpath.join(posixpath.dirname(self.path), href))
                self.tooltips[title] = link.get(f"{{{XLINK}}}title")
        self.edges = {
            tuple(edge.findtext(f"{{{SVG}}}title").split("->"))
            for edge in self.root.xpath("//svg:g[contains(concat(' ', @class, ' '), ' edge ')]", namespaces=NS)
        }

    @property
    def nodes(self) -> set[str]:
        return set(self.labels)


@pytest.fixture
def built(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("graph")


def graph_warnings(warnings: str) -> list[str]:
    return [line for line in warnings.splitlines() if "graph" in line.lower()]


@needs_dot
def test_builds_without_warnings(built: BuiltRoot) -> None:
    assert built.warnings == ""


@needs_dot
def test_neighbourhood_of_a_talk(built: BuiltRoot) -> None:
    drawing = Drawing(built, "graphs", "g-talk")
    assert drawing.nodes == TALK
    assert drawing.edges == {
        ("speaker:ada-martin", "talk:docs-as-code"),
        ("speaker:lin-chen", "talk:docs-as-code"),
        ("talk:docs-as-code", "event:docs-day"),
        ("talk:docs-as-code", "rec:review"),
        ("talk:docs-as-code", "term:proxemics"),
    }
    assert drawing.labels["talk:docs-as-code"] == "Docs as code in practice"
    assert drawing.labels["event:docs-day"] == "Docs Day 2024"
    assert drawing.tooltips["speaker:ada-martin"] == "Speaker: Ada Martin"


@needs_dot
def test_node_links_point_to_the_objects(built: BuiltRoot) -> None:
    drawing = Drawing(built, "graphs", "g-talk")
    assert drawing.links == {
        "talk:docs-as-code": "talks.html#talk-docs-as-code",
        "speaker:ada-martin": "speakers.html#speaker-ada-martin",
        "speaker:lin-chen": "speakers.html#speaker-lin-chen",
        "event:docs-day": "events.html#event-docs-day",
        "rec:review": "talks.html#rec-review",
        "term:proxemics": "terms.html#term-proxemics",
    }
    for target in drawing.links.values():
        page, anchor = target.split("#")
        assert built.html(page.removesuffix(".html")).find(id=anchor) is not None, target
    # The SVG sits in an <object>: links must open in the page, not in the object.
    targets = {a.get("target") for a in drawing.root.iter(f"{{{SVG}}}a")}
    assert targets == {"_top"}


@needs_dot
def test_links_from_a_sub_directory_and_to_the_same_page(built: BuiltRoot) -> None:
    sub = Drawing(built, "sub/overview", "g-sub")
    assert sub.nodes == {"speaker:lin-chen", "talk:docs-as-code"}
    assert sub.links["speaker:lin-chen"] == "speakers.html#speaker-lin-chen"
    here = Drawing(built, "terms", "g-here")
    assert here.nodes == {"term:proxemics", "term:weak-signals", "talk:docs-as-code"}
    assert here.links["term:proxemics"] == "terms.html#term-proxemics"
    assert here.links["talk:docs-as-code"] == "talks.html#talk-docs-as-code"


@needs_dot
def test_depth(built: BuiltRoot) -> None:
    assert Drawing(built, "graphs", "g-ada").nodes == TALK  # two steps from Ada reach the talk's neighbours
    assert Drawing(built, "graphs", "g-alone").nodes == {"term:proxemics"}


@needs_dot
def test_types_filter(built: BuiltRoot) -> None:
    kept = Drawing(built, "graphs", "g-types")
    assert kept.nodes == {"talk:docs-as-code", "speaker:ada-martin", "speaker:lin-chen"}
    terms = Drawing(built, "graphs", "g-terms")
    assert terms.nodes == {"term:proxemics", "term:weak-signals", "term:body-language"}
    assert terms.edges == {
        ("term:proxemics", "term:weak-signals"),  # :see:
        ("term:weak-signals", "term:body-language"),  # {term} in the definition
    }


@needs_dot
def test_whole_project(built: BuiltRoot) -> None:
    drawing = Drawing(built, "index", "g-all")
    assert drawing.nodes == TALK | {
        "talk:hostile",
        "speaker:evil",
        "term:weak-signals",
        "term:body-language",
    }
    assert ("speaker:evil", "talk:hostile") in drawing.edges
    assert ("talk:hostile", "event:docs-day") in drawing.edges
    caption = built.html("index").select_one("#g-all figcaption .caption-text")
    assert caption is not None
    assert caption.get_text(strip=True) == "The whole knowledge base"


@needs_dot
def test_hostile_titles_stay_text(built: BuiltRoot) -> None:
    drawing = Drawing(built, "graphs", "g-hostile")
    assert drawing.nodes == {"speaker:evil", "talk:hostile"}
    assert drawing.labels["speaker:evil"] == EVIL
    assert drawing.tooltips["speaker:evil"] == f"Speaker: {EVIL}"
    assert not list(drawing.root.iter(f"{{{SVG}}}script"))
    assert drawing.alt.strip() == f"Relations graph: {EVIL}"
    page = built.html("graphs")
    assert page.select_one("#g-hostile script") is None


@needs_dot
def test_svg_is_the_default_format(built: BuiltRoot) -> None:
    assert all(Drawing(built, "graphs", name).path.endswith(".svg") for name in ("g-talk", "g-ada"))


@needs_dot
@pytest.mark.parametrize("how", ["conf.py", "-D"])
def test_an_explicit_output_format_is_kept(copy_root: Callable[[str], Path], how: str) -> None:
    """A project that chose "png" (Sphinx's default value) keeps it: only an unset format becomes SVG."""
    srcdir = copy_root("graph")
    overrides = {}
    if how == "conf.py":
        with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write('\ngraphviz_output_format = "png"\n')
    else:
        overrides["graphviz_output_format"] = "png"
    result = build_copy(srcdir, confoverrides=overrides)
    assert result.warnings == ""
    box = result.html("graphs").select_one("#g-talk")
    assert box is not None
    assert box.select("object") == []
    images = [str(img["src"]) for img in box.select("img[usemap]")]
    assert len(images) == 1, box
    assert images[0].endswith(".png")
    # The image map links the nodes to the objects (a PNG's map lives in the page: "#id" on the same page).
    hrefs = {str(area["href"]) for area in result.html("graphs").select("map area")}
    assert "talks.html#talk-docs-as-code" in hrefs


def test_without_dot_warns_once_and_lists_links(copy_root: Callable[[str], Path]) -> None:
    result = build_copy(copy_root("graph"), confoverrides={"graphviz_dot": "/nonexistent/dot"})
    warnings = graph_warnings(result.warnings)
    assert len(warnings) == 1, result.warnings
    assert UNAVAILABLE in warnings[0]
    assert "graphs.md:3:" in warnings[0]
    assert "'/nonexistent/dot'" in warnings[0]
    page = result.html("graphs")
    assert page.select("object") == []
    items = page.select("#g-talk ul.kb-graph-list > li")
    pairs = [[a["href"] for a in item.select("a.kb-ref")] for item in items]
    assert ["speakers.html#speaker-ada-martin", "talks.html#talk-docs-as-code"] in pairs
    assert ["talks.html#talk-docs-as-code", "events.html#event-docs-day"] in pairs
    assert len(pairs) == 5
    assert all(" → " in item.get_text() for item in items)
    # An object without edges is listed alone.
    alone = page.select("#g-alone ul.kb-graph-list > li a")
    assert [a["href"] for a in alone] == ["terms.html#term-proxemics"]
    # Sub-directory pages link relative to themselves.
    sub = result.html("sub/overview").select("#g-sub a.kb-ref")
    assert {a["href"] for a in sub} == {"../speakers.html#speaker-lin-chen", "../talks.html#talk-docs-as-code"}


def test_without_dot_in_parallel_warns_once(copy_root: Callable[[str], Path]) -> None:
    result = build_copy(copy_root("graph"), confoverrides={"graphviz_dot": "/nonexistent/dot"}, parallel=2)
    assert len(graph_warnings(result.warnings)) == 1, result.warnings
    assert result.html("graphs").select("#g-talk ul.kb-graph-list > li")


@needs_dot
def test_incremental_rename_updates_the_graph(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("graph")
    first = build_copy(srcdir)
    assert Drawing(first, "graphs", "g-talk").labels["speaker:lin-chen"] == "Lin Chen"
    speakers = srcdir / "speakers.md"
    speakers.write_text(speakers.read_text(encoding="utf-8").replace("Lin Chen", "Lin Chen-Wu"), encoding="utf-8")
    second = build_copy(srcdir)
    assert second.warnings == ""
    assert Drawing(second, "graphs", "g-talk").labels["speaker:lin-chen"] == "Lin Chen-Wu"
    assert Drawing(second, "sub/overview", "g-sub").labels["speaker:lin-chen"] == "Lin Chen-Wu"
    assert Drawing(second, "index", "g-all").labels["speaker:lin-chen"] == "Lin Chen-Wu"
    # A graph without Lin keeps its drawing.
    assert Drawing(second, "terms", "g-here").path == Drawing(first, "terms", "g-here").path


@needs_dot
def test_incremental_new_edge(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("graph")
    build_copy(srcdir)
    talks = srcdir / "talks.md"
    talks.write_text(
        talks.read_text(encoding="utf-8").replace(":speakers: evil", ":speakers: evil, lin-chen"), encoding="utf-8"
    )
    second = build_copy(srcdir)
    sub = Drawing(second, "sub/overview", "g-sub")
    assert sub.nodes == {"speaker:lin-chen", "talk:docs-as-code", "talk:hostile"}


@needs_dot
def test_latex_includes_a_pdf(built_root: Callable[..., BuiltRoot]) -> None:
    result = built_root("graph", "latex")
    assert result.warnings == ""
    (tex,) = result.outdir.glob("*.tex")
    figures = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{(graphviz-[0-9a-f]+\.pdf)\}", tex.read_text())
    assert len(figures) == 9
    for name in figures:
        assert (result.outdir / name).read_bytes().startswith(b"%PDF")


def test_text_builder_lists_links(built_root: Callable[..., BuiltRoot]) -> None:
    result = built_root("graph", "text")
    assert result.warnings == ""
    text = result.text("graphs.txt")
    flat = " ".join(text.split())
    assert "Ada Martin → Docs as code in practice" in flat
    assert f"{EVIL} → Hostile titles" in flat


def test_bad_options_and_roots(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("graph")
    (srcdir / "bad.md").write_text(
        "---\norphan: true\n---\n# Bad\n\n"
        "```{kb-graph}\n:root: nobody\n:name: g-nobody\n```\n\n"
        "```{kb-graph}\n:root: shared\n:depth: two\n:types: talk, people\n```\n\n"
        "```{event} Shared\n:date: 2024-01-01\n```\n\n"
        "```{talk} Shared\n:speakers: ada-martin\n```\n",
        encoding="utf-8",
    )
    result = build_copy(srcdir, confoverrides={"graphviz_dot": "/nonexistent/dot"})
    expected = [
        (6, "kb-graph :root: 'nobody' names no object", "unknown-ref"),
        (11, "kb-graph :root: 'shared' names several objects (event:shared, talk:shared)", "bad-value"),
        (11, ":depth: 'two' is not a whole number", "bad-value"),
        (11, ":types: 'people' is not one of", "bad-value"),
    ]
    for line, text, subtype in expected:
        pattern = rf"bad\.md:{line}: WARNING: {re.escape(text)}.*\[talkbase\.{subtype}\]"
        assert re.search(pattern, result.warnings), (pattern, result.warnings)
    page = result.html("bad")
    assert page.select_one("#g-nobody .kb-graph-empty") is not None
    # The ambiguous root is the event (types order), drawn with the talk kept by :types:.
    links = {a["href"] for a in page.select("ul.kb-graph-list a")}
    assert links == {"#event-shared"}


@needs_dot
def test_object_pages_show_their_neighbourhood(copy_root: Callable[[str], Path]) -> None:
    result = build_copy(copy_root("graph"), confoverrides={"talkbase_object_graph": True})
    assert result.warnings == ""
    page = result.html("speakers")
    graphs = page.select(".kb-object-graph object[data]")
    assert len(graphs) == 3  # every speaker has a talk
    talks = result.html("talks").select(".kb-object-graph")
    assert len(talks) == 2
    assert result.html("events").select(".kb-object-graph") == []  # events show no graph


@needs_dot
@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60))
def test_any_title_makes_valid_dot(title: str) -> None:
    title = " ".join(title.split()) or "x"
    speaker = Speaker(id="s", title=title, docname="p", lineno=1)
    code = dot_source(Graph(speaker, (speaker,), ()), {("speaker", "s"): "p.html#speaker-s"})
    done = subprocess.run(["dot", "-Tsvg"], input=code.encode(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    svg = etree.fromstring(done.stdout)
    nodes = svg.xpath("//svg:g[contains(concat(' ', @class, ' '), ' node ')]", namespaces=NS)
    assert len(nodes) == 1
    link = nodes[0].find(f".//{{{SVG}}}a")
    assert link.get(f"{{{XLINK}}}title") == f"Speaker: {title}"
    assert link.get(f"{{{XLINK}}}href") == "p.html#speaker-s"

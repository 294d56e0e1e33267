"""The relations graph: objects and their links, drawn by Sphinx's graphviz extension.

- Read: the ``kb-graph`` directive (and, with ``talkbase_object_graph``, each talk,
  speaker and term, through :func:`object_graph_placeholder`) records a ``graph``
  query and leaves a placeholder.
- After reading (``env-updated``, main process): roots that name no object, or
  several, are warned about; when the builder draws graphs, ``dot`` is looked up
  once and, if missing, one ``talkbase.graph-unavailable`` warning is emitted.
- Write (the post-transform that fills placeholders): :class:`GraphFiller`
  computes the graph from the index and emits a ``sphinx.ext.graphviz`` node (an
  SVG with clickable nodes in HTML, a PDF in LaTeX) or, without ``dot`` and for
  text builders, a list of the links.

Edges: speaker → talk (``:speakers:``), talk → event (``:event:``), talk →
recommendation, talk → term (terms referenced inside the talk), term → term
(``:see:`` and terms referenced in the definition).  Talkbase sets
``graphviz_output_format`` to ``"svg"`` when it has Sphinx's default ``"png"``.
"""

from __future__ import annotations

import html
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from talkbase import graph_svg
from talkbase.domain import kb_domain
from talkbase.model import OBJECT_TYPES, TYPE_LABELS, TYPE_NAMES, Talk, Term
from talkbase.placeholders import placeholder, register
from talkbase.values import clean_text, slugify, split_list
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from talkbase.domain import KBDomain
    from talkbase.lookup import KBIndex
    from talkbase.model import Query, Record
    from talkbase.nodes import kb_placeholder
    from talkbase.placeholders import FillContext

_ = get_translation("talkbase")

Key = tuple[str, str]
Edge = tuple[Key, Key]

#: Names accepted in ``:types:`` and before the colon of ``:root: kind:id`` -> object type.
OBJTYPE_OF = {**{objtype: objtype for objtype in OBJECT_TYPES}, **{name: kind for kind, name in TYPE_NAMES.items()}}
COLOURS = {"event": "#fde2c8", "talk": "#d6e6fb", "speaker": "#dcf2d6", "rec": "#fbe0ea", "term": "#ece0f7"}
#: Object types whose pages show their neighbourhood with ``talkbase_object_graph``.
OBJECT_GRAPH_TYPES = ("talk", "speaker", "term")
#: Builder formats that get a drawing; the others (text, man, Texinfo…) get the list
#: (Info readers show no images, and sphinx.ext.graphviz's Texinfo writer is deprecated-path code).
DRAWING_FORMATS = ("html", "latex")
LABEL_WIDTH = 28
#: Attribute of the domain instance holding whether ``dot`` runs (set at env-updated).
_DOT_FOUND = "_talkbase_dot_found"


def key(record: Record) -> Key:
    return record.objtype, record.id


def sort_key(item: Key) -> tuple[int, str]:
    return OBJECT_TYPES.index(item[0]), item[1]


# -- the graph, derived from the index ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Relations:
    """Every object and every edge of the project (derived once per index)."""

    records: dict[Key, Record]
    edges: tuple[Edge, ...]
    neighbours: dict[Key, tuple[Key, ...]]


def build_relations(index: KBIndex) -> Relations:
    """Every edge between existing objects, sorted (after reading, once per index)."""
    records = {key(record): record for record in index.all_records()}
    edges = {
        (source, target)
        for source, target in (*_option_edges(index, records.values()), *_reference_edges(index))
        if source != target and source in records and target in records
    }
    neighbours: dict[Key, set[Key]] = {}
    for source, target in edges:
        neighbours.setdefault(source, set()).add(target)
        neighbours.setdefault(target, set()).add(source)
    return Relations(
        records,
        tuple(sorted(edges, key=lambda edge: (sort_key(edge[0]), sort_key(edge[1])))),
        {item: tuple(sorted(others, key=sort_key)) for item, others in neighbours.items()},
    )


def _option_edges(index: KBIndex, records: Iterable[Record]) -> Iterator[Edge]:
    """Speaker → talk, talk → event, talk → recommendation, term → ``:see:`` term."""
    for record in records:
        if isinstance(record, Talk):
            for speaker in record.speakers:
                yield ("speaker", speaker), key(record)
            if record.event:
                yield key(record), ("event", record.event)
            for rec in index.recs_by_talk.get(record.id, []):
                yield key(record), key(rec)
        elif isinstance(record, Term):
            for see in record.see:
                seen = index.term(see)
                if seen is not None:
                    yield key(record), key(seen)


def _reference_edges(index: KBIndex) -> Iterator[Edge]:
    """Talk → term and term → term: the terms referenced from inside a talk or a term."""
    for refs in index.refs_from.values():
        for ref in refs:
            if ref.source is not None and ref.source[0] in {"talk", "term"} and ref.target_type == "term":
                found = index.resolve(ref)
                if found is not None:
                    yield ref.source, key(found)


@dataclass(frozen=True, slots=True)
class Graph:
    """The objects and edges one graph shows, in a stable order."""

    root: Record | None
    records: tuple[Record, ...]
    edges: tuple[tuple[Record, Record], ...]

    def shown(self, index: KBIndex) -> object:
        """What the page shows of the graph: the fingerprint input of :mod:`talkbase.incremental`.

        Drawn as a list of links (no ``dot``, text builders), the objects have previews.
        """
        return (
            key(self.root) if self.root else None,
            tuple(map(index.link_shown, self.records)),
            tuple((key(a), key(b)) for a, b in self.edges),
        )


def root_candidates(index: KBIndex, root: str) -> list[Record]:
    """The objects ``root`` (``id``, ``kind:id`` or a term's text) may name, in type order."""
    kind, sep, text = root.partition(":")
    kinds: Iterable[str] = OBJECT_TYPES
    if sep and kind.strip().lower() in OBJTYPE_OF:
        kinds, root = (OBJTYPE_OF[kind.strip().lower()],), text.strip()
    found = []
    for objtype in kinds:
        record = index.term(root) if objtype == "term" else index.get(objtype, slugify(root))
        if record is not None:
            found.append(record)
    return found


def select(relations: Relations, root: Record | None, depth: int, types: Iterable[str]) -> Graph:
    """The graph of ``types`` (all when empty): whole, or ``depth`` links around ``root``.

    Traversal stays within the kept types; the root is always kept.
    """
    allowed = set(types) or set(OBJECT_TYPES)
    if root is None:
        chosen = {item for item in relations.records if item[0] in allowed}
    else:
        allowed.add(root.objtype)
        chosen = {key(root)}
        frontier = [key(root)]
        for _level in range(depth):
            reached = []
            for item in frontier:
                for other in relations.neighbours.get(item, ()):
                    if other[0] in allowed and other not in chosen:
                        chosen.add(other)
                        reached.append(other)
            frontier = reached
    records = relations.records
    return Graph(
        root,
        tuple(records[item] for item in sorted(chosen, key=sort_key)),
        tuple((records[a], records[b]) for a, b in relations.edges if a in chosen and b in chosen),
    )


# -- DOT -------------------------------------------------------------------------------------


def dot_string(text: str) -> str:
    """``text`` as a quoted DOT string whose escString value shows exactly ``text``.

    Backslashes and quotes are escaped for the DOT lexer, newlines become ``\\n``,
    other control characters spaces, and ``&`` is written ``&amp;`` because
    Graphviz decodes HTML entities in labels and tooltips.
    """
    text = "".join(" " if (ord(c) < 32 and c != "\n") or 127 <= ord(c) < 160 else c for c in text)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"' + text.replace("\n", "\\n") + '"'


def dot_label(title: str) -> str:
    """A title wrapped on a few lines (each escaped, joined with DOT's ``\\n``)."""
    lines = textwrap.wrap(title, LABEL_WIDTH, break_long_words=False, break_on_hyphens=False) or [title]
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


def dot_source(graph: Graph, urls: dict[Key, str]) -> str:
    """The DOT code of ``graph``; ``urls`` gives each node's link (none: no link)."""
    lines = [
        "digraph kbgraph {",
        '  graph [rankdir="LR", bgcolor="transparent", nodesep="0.2", ranksep="0.45"];',
        '  node [shape="box", style="rounded,filled", color="#555555", fontname="sans-serif",'
        ' fontsize="11", margin="0.12,0.05"];',
        '  edge [color="#777777", arrowsize="0.7"];',
    ]
    for record in graph.records:
        label = str(TYPE_LABELS[record.objtype])
        attributes = {
            "label": dot_label(record.title or record.id),
            "tooltip": dot_string(f"{label}: {record.title}"),
            "fillcolor": dot_string(COLOURS[record.objtype]),
            "class": dot_string(f"kb-node kb-node-{record.objtype}"),
            "id": dot_string(f"kb-graph-{record.anchor}"),
        }
        if record is graph.root:
            attributes["penwidth"] = '"2.2"'
        if key(record) in urls:
            attributes["URL"] = dot_string(urls[key(record)])
            attributes["target"] = '"_top"'  # the SVG is an <object>: open links in the page
        attrs = ", ".join(f"{name}={value}" for name, value in attributes.items())
        lines.append(f"  {dot_node(record)} [{attrs}];")
    lines.extend(f"  {dot_node(source)} -> {dot_node(target)};" for source, target in graph.edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_node(record: Record) -> str:
    return dot_string(f"{record.objtype}:{record.id}")


def node_urls(builder: Builder, config: Config, docname: str, graph: Graph) -> dict[Key, str]:
    """Each node's link from page ``docname``, as ``sphinx.ext.inheritance_diagram`` builds them.

    An SVG is a file of its own in ``_images/``: a link to the page itself must
    name the page (Sphinx rewrites relative links of the SVG from the page's
    directory to ``_images/``); a PNG's image map lives in the page, so ``#id``.
    """
    svg = str(config.graphviz_output_format).lower() == "svg"
    current = quote(PurePosixPath(docname + str(getattr(builder, "out_suffix", ".html"))).name)
    urls = {}
    for record in graph.records:
        if record.docname == docname:
            urls[key(record)] = f"{current if svg else ''}#{record.anchor}"
        else:
            urls[key(record)] = f"{builder.get_relative_uri(docname, record.docname)}#{record.anchor}"
    return urls


# -- the filler ------------------------------------------------------------------------------


class GraphFiller:
    """Answers ``graph`` queries (``shown`` after reading, ``fill`` when a page is written)."""

    def __init__(self) -> None:
        # The relations of the last index seen: an index is rebuilt (a new object)
        # whenever the data changes, so identity tells whether they are current.
        self._memo: tuple[KBIndex, Relations] | None = None

    def relations(self, index: KBIndex) -> Relations:
        if self._memo is None or self._memo[0] is not index:
            self._memo = (index, build_relations(index))
        return self._memo[1]

    def graph(self, index: KBIndex, query: Query) -> Graph | None:
        """The graph a query shows; ``None`` when its root names no object."""
        root_text = str(query.get("root") or "")
        root = None
        if root_text:
            candidates = root_candidates(index, root_text)
            if not candidates:
                return None
            root = candidates[0]
        types = query.get("types")
        types = types if isinstance(types, tuple) else ()
        depth = query.get("depth")
        return select(self.relations(index), root, depth if isinstance(depth, int) else 1, types)

    def shown(self, index: KBIndex, query: Query) -> object:
        graph = self.graph(index, query)
        return graph.shown(index) if graph else None

    def fill(self, context: FillContext, query: Query) -> list[Node]:
        graph = self.graph(context.index, query)
        own = bool(query.get("own"))
        if own:
            if graph is None or len(graph.records) < 2:
                return []
            box = nodes.container(classes=["kb-graph", "kb-object-graph"])
            box.extend(self.draw(context, graph))
            return [box]
        if graph is None or not graph.records:
            text = str(_("No objects to show."))
            return [nodes.paragraph(text, text, classes=["kb-graph-empty"])]
        return self.draw(context, graph)

    def draw(self, context: FillContext, graph: Graph) -> list[Node]:
        builder = context.builder
        if builder.format not in DRAWING_FORMATS or not dot_found(context.domain, context.config):
            return [edge_list(context.link, graph)]
        urls = node_urls(builder, context.config, context.docname, graph) if builder.format == "html" else {}
        node = graph_svg.kb_graph_drawing()
        node["code"] = dot_source(graph, urls)
        # The docname keeps one SVG per page: Sphinx rewrites its links relative to the page.
        node["options"] = {"docname": context.docname}
        node["classes"] = ["kb-graph-drawing"]
        alt = str(_("Relations graph"))
        if graph.root is not None:
            alt = f"{alt}: {graph.root.title}"
        # sphinx.ext.graphviz writes ``alt`` into the HTML as is.
        node["alt"] = html.escape(alt) if builder.format == "html" else alt
        return [node]


def edge_list(link: Callable[[Record], Node], graph: Graph) -> nodes.bullet_list:
    """The graph as a list: ``A → B`` per edge, then the objects without edges (write phase)."""
    result = nodes.bullet_list(classes=["kb-graph-list"])
    linked: set[Key] = set()
    for source, target in graph.edges:
        result += nodes.list_item("", nodes.paragraph("", "", link(source), nodes.Text(" → "), link(target)))
        linked.update((key(source), key(target)))
    for record in graph.records:
        if key(record) not in linked:
            result += nodes.list_item("", nodes.paragraph("", "", link(record)))
    return result


# -- read phase ------------------------------------------------------------------------------


class GraphDirective(SphinxDirective):
    """``kb-graph``: records a ``graph`` query (read phase); drawn when the page is written."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "root": directives.unchanged,
        "depth": directives.unchanged,
        "types": directives.unchanged,
        "caption": directives.unchanged,
        "name": directives.unchanged,
    }

    def run(self) -> list[Node]:
        root = " ".join(clean_text(self.options.get("root") or "").split())
        node = placeholder(
            self.env, "graph", self.lineno, root=root, depth=self.depth() if root else 0, types=self.types()
        )
        caption = " ".join(clean_text(self.options.get("caption") or "").split())
        if not caption:
            box = nodes.container("", node, classes=["kb-graph"])
            self.add_name(box)
            return [box]
        inline, messages = self.state.inline_text(caption, self.lineno)
        figure = nodes.figure("", node, classes=["kb-graph"])
        figure += nodes.caption(caption, "", *inline)
        self.set_source_info(figure)
        self.add_name(figure)
        return [figure, *messages]

    def depth(self) -> int:
        value = (self.options.get("depth") or "").strip()
        if not value:
            return 1
        if not value.isdigit():
            self.warn(f":depth: {value!r} is not a whole number; 1 is used")
            return 1
        return int(value)

    def types(self) -> tuple[str, ...]:
        names, _had_empty = split_list(self.options.get("types"))
        kept = set()
        for name in names:
            objtype = OBJTYPE_OF.get(name.lower())
            if objtype is None:
                self.warn(f":types: {name!r} is not one of {', '.join(OBJTYPE_OF)}; it is ignored")
            else:
                kept.add(objtype)
        return tuple(t for t in OBJECT_TYPES if t in kept)

    def warn(self, message: str) -> None:
        warn(Subtype.BAD_VALUE, message, location=self.get_location())


def object_graph_placeholder(env: BuildEnvironment, objtype: str, objid: str, lineno: int) -> kb_placeholder | None:
    """The neighbourhood graph an object shows with ``talkbase_object_graph`` (read phase).

    Called by the object directives; ``None`` when the option is off, the type
    shows no graph or the object has no id.
    """
    if not env.config.talkbase_object_graph or objtype not in OBJECT_GRAPH_TYPES or not objid:
        return None
    return placeholder(env, "graph", lineno, root=f"{objtype}:{objid}", depth=1, types=(), own=True)


# -- after reading ---------------------------------------------------------------------------


def dot_found(domain: KBDomain, config: Config) -> bool:
    """Whether ``graphviz_dot`` runs; looked up once per build and kept on the domain."""
    found = getattr(domain, _DOT_FOUND, None)
    if not isinstance(found, bool):
        found = bool(config.graphviz_dot) and shutil.which(config.graphviz_dot) is not None
        setattr(domain, _DOT_FOUND, found)
    return found


def check_graphs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Warn about graph roots and a missing ``dot`` (env-updated, before any page is written)."""
    domain = kb_domain(env)
    setattr(domain, _DOT_FOUND, None)  # look ``dot`` up again in every build
    queries = [
        query for docname in sorted(domain.docs) for query in domain.docs[docname].queries if query.kind == "graph"
    ]
    index = domain.index
    for query in queries:
        root = str(query.get("root") or "")
        if not root or query.get("own"):
            continue
        location = (query.docname, query.lineno)
        candidates = root_candidates(index, root)
        if not candidates:
            warn(Subtype.UNKNOWN_REF, f"kb-graph :root: {root!r} names no object; nothing is drawn", location=location)
        elif len(candidates) > 1:
            kinds = ", ".join(f"{r.objtype}:{r.id}" for r in candidates)
            warn(
                Subtype.BAD_VALUE,
                f"kb-graph :root: {root!r} names several objects ({kinds}); "
                f"{candidates[0].objtype}:{candidates[0].id} is used, write kind:id to choose",
                location=location,
            )
    if queries and app.builder.format in DRAWING_FORMATS and not dot_found(domain, app.config):
        warn(
            Subtype.GRAPH_UNAVAILABLE,
            f"Graphviz's dot command {app.config.graphviz_dot!r} (graphviz_dot) was not found: "
            f"{len(queries)} relations graph(s) are shown as lists of links; "
            "install Graphviz (Debian package 'graphviz') or set graphviz_dot",
            location=(queries[0].docname, queries[0].lineno),
        )
    return []


def prefer_svg(app: Sphinx, config: Config) -> None:
    """Draw graphs as vector SVG when ``graphviz_output_format`` is Sphinx's default "png" (config-inited)."""
    if config.graphviz_output_format == "png":  # Sphinx's default
        config.graphviz_output_format = "svg"


def setup(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    graph_svg.setup(app)
    register("graph", GraphFiller())
    app.add_directive("kb-graph", GraphDirective)
    app.connect("config-inited", prefer_svg)
    app.connect("env-updated", check_graphs)

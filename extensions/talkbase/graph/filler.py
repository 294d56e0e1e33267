"""The ``graph`` placeholder filler: a query's problems, what it shows, and its drawing.

- After reading (``env-updated``, through :func:`talkbase.incremental.report_query_problems`):
  :meth:`GraphFiller.problems` warns about roots that name no object, or several,
  and :meth:`GraphFiller.shown` gives the fingerprint input.
- Write (the post-transform that fills placeholders): :meth:`GraphFiller.fill`
  emits a :class:`~talkbase.graph.drawing.kb_graph_drawing` (an SVG with clickable
  nodes in HTML, a PDF in LaTeX) or, without ``dot`` and for text builders, a list
  of the links.

:mod:`~talkbase.graph.relations` (its dataclasses) and :mod:`~talkbase.graph.dot` are
imported where a graph is first derived or drawn, not at setup: a no-op rebuild uses neither.
"""

from __future__ import annotations

import html
import shutil
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import get_translation

from talkbase import dependencies
from talkbase.graph.drawing import kb_graph_drawing
from talkbase.placeholders import Problem
from talkbase.warnings import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from docutils.nodes import Node
    from sphinx.config import Config

    from talkbase.dependencies import Fact
    from talkbase.graph.relations import Graph, Key, Relations
    from talkbase.lookup import KBIndex
    from talkbase.model import GraphParams, Query, Record
    from talkbase.placeholders import CheckContext, FillContext

_ = get_translation("talkbase")

#: Builder formats that get a drawing; the others (text, man, Texinfo…) get the list
#: (Info readers show no images, and sphinx.ext.graphviz's Texinfo writer is deprecated-path code).
DRAWING_FORMATS = ("html", "latex")


def dot_found(config: Config) -> bool:
    """Whether ``graphviz_dot`` runs (after reading and when a page is written).

    Looked up each time rather than cached: a ``PATH`` lookup is cheap, and
    ``talkbase live`` sees a Graphviz installed while it runs.
    """
    return bool(config.graphviz_dot) and shutil.which(config.graphviz_dot) is not None


class GraphFiller:
    """Answers ``graph`` queries (``problems`` and ``shown`` after reading, ``fill`` when a page is written)."""

    def __init__(self) -> None:
        # The relations of the last index seen: an index is rebuilt (a new object)
        # whenever the data changes, so identity tells whether they are current.
        self._memo: tuple[KBIndex, Relations] | None = None

    def relations(self, index: KBIndex) -> Relations:
        from talkbase.graph.relations import build_relations  # noqa: PLC0415 (see the module's docstring)

        if self._memo is None or self._memo[0] is not index:
            self._memo = (index, build_relations(index))
        return self._memo[1]

    def graph(self, index: KBIndex, query: Query[GraphParams]) -> Graph | None:
        """The graph a query shows; ``None`` when its root names no object."""
        from talkbase.graph.relations import root_candidates, select  # noqa: PLC0415 (see the module's docstring)

        params = query.params
        root = None
        if params.root:
            candidates = root_candidates(index, params.root)
            if not candidates:
                return None
            root = candidates[0]
        return select(self.relations(index), root, params.depth, params.types)

    def problems(self, check: CheckContext, queries: Sequence[Query[GraphParams]]) -> Iterator[Problem]:
        """``kb-graph`` ``:root:`` values naming no object, or several (env-updated).

        A missing ``dot`` is warned once per build by :func:`talkbase.graph.warn_missing_dot`.
        """
        from talkbase.graph.relations import root_candidates  # noqa: PLC0415 (see the module's docstring)

        for query in queries:
            root = query.params.root
            if not root or query.params.own:
                continue
            candidates = root_candidates(check.index, root)
            if not candidates:
                yield Problem(query, Subtype.UNKNOWN_REF, f"kb-graph :root: {root!r} names no object; nothing is drawn")
            elif len(candidates) > 1:
                kinds = ", ".join(f"{r.objtype}:{r.id}" for r in candidates)
                message = (
                    f"kb-graph :root: {root!r} names several objects ({kinds}); "
                    f"{candidates[0].objtype}:{candidates[0].id} is used, write kind:id to choose"
                )
                yield Problem(query, Subtype.BAD_VALUE, message)

    def shown(self, index: KBIndex, query: Query[GraphParams]) -> object:
        graph = self.graph(index, query)
        return graph.shown(index) if graph else None

    def depends(self, index: KBIndex, query: Query[GraphParams]) -> Iterator[Fact] | None:
        """A graph around an object reads its root, and the edges and links of the objects it shows."""
        params = query.params
        if not params.root:
            return None  # the whole project
        return self._depends(index, query)

    def _depends(self, index: KBIndex, query: Query[GraphParams]) -> Iterator[Fact]:
        from talkbase.graph.relations import key, root_lookups  # noqa: PLC0415 (see the module's docstring)

        for objtype, text in root_lookups(query.params.root):
            yield dependencies.lookup(objtype, text, whole=False)
        graph = self.graph(index, query)
        for record in graph.records if graph else ():
            yield dependencies.graph_edges(key(record))
            yield from dependencies.link(index, record)

    def fill(self, context: FillContext, query: Query[GraphParams]) -> list[Node]:
        graph = self.graph(context.index, query)
        if query.params.own:
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
        from talkbase.graph.dot import dot_source, node_urls  # noqa: PLC0415 (see the module's docstring)

        builder = context.builder
        if builder.format not in DRAWING_FORMATS or not dot_found(context.config):
            return [edge_list(context.link, graph)]
        urls = node_urls(builder, context.config, context.docname, graph) if builder.format == "html" else {}
        node = kb_graph_drawing()
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
    from talkbase.graph.relations import key  # noqa: PLC0415 (see the module's docstring)

    result = nodes.bullet_list(classes=["kb-graph-list"])
    linked: set[Key] = set()
    for source, target in graph.edges:
        result += nodes.list_item("", nodes.paragraph("", "", link(source), nodes.Text(" → "), link(target)))
        linked.update((key(source), key(target)))
    for record in graph.records:
        if key(record) not in linked:
            result += nodes.list_item("", nodes.paragraph("", "", link(record)))
    return result

"""The ``kb-graph`` directive and the object pages' own graphs (read phase).

Both record a ``graph`` query and leave a placeholder that
:class:`~talkbase.graph.filler.GraphFiller` fills when the page is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from talkbase.model import OBJECT_TYPES, GraphParams
from talkbase.placeholders import placeholder
from talkbase.values import clean_text, split_list
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node
    from sphinx.environment import BuildEnvironment

    from talkbase.nodes import kb_placeholder

#: Object types whose pages show their neighbourhood with ``talkbase_object_graph``.
OBJECT_GRAPH_TYPES = ("talk", "speaker", "term")


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
        params = GraphParams(root, depth=self.depth() if root else 0, types=self.types())
        node = placeholder(self.env, "graph", self.lineno, params)
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
        from talkbase.graph.relations import OBJTYPE_OF  # noqa: PLC0415 (its dataclasses: keep setup cheap)

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
    return placeholder(env, "graph", lineno, GraphParams(f"{objtype}:{objid}", depth=1, own=True))

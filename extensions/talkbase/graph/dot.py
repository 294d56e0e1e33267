"""DOT writing: the Graphviz source of a relations graph and its nodes' links.

Runs when a page is written (called by :class:`~talkbase.graph.filler.GraphFiller`);
everything the author wrote reaches ``dot`` escaped (:func:`dot_string`).
"""

from __future__ import annotations

import textwrap
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from talkbase.graph.relations import key
from talkbase.model import TYPE_LABELS

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.config import Config

    from talkbase.graph.relations import Graph, Key
    from talkbase.model import Record

COLOURS = {"event": "#fde2c8", "talk": "#d6e6fb", "speaker": "#dcf2d6", "rec": "#fbe0ea", "term": "#ece0f7"}
LABEL_WIDTH = 28


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

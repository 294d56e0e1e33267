"""The drawing node of the relations graph; in HTML a named ``<object>`` whose SVG follows the colour scheme.

:class:`kb_graph_drawing` is ``sphinx.ext.graphviz``'s node with an HTML visitor of its
own (every other builder uses graphviz's visitors).  When a page is written, the
visitor lets graphviz render the SVG and write its ``<object>``, then

- names the ``<object>`` with ``aria-label`` (its text alternative: the fallback
  paragraph inside an ``<object>`` is not shown, so it does not name it);
- embeds ``static/talkbase-graph.css`` in the SVG as a ``<style>`` element (an
  ``<object>`` is a document of its own that no page stylesheet reaches): a
  transparent background and the theme's palette for the light and the dark scheme,
  chosen by ``color-scheme`` and, with the talkbase theme, by the ``data-scheme``
  attribute ``talkbase.js`` copies onto the SVG.

The SVG files are cached by graphviz (one per DOT source); the style is written
into them whenever it is missing or differs from the shipped one.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.ext import graphviz as sphinx_graphviz

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

CSS_PATH = Path(__file__).parent.parent / "static" / "talkbase-graph.css"
SVG_NS = "http://www.w3.org/2000/svg"
#: The id of the ``<style>`` element talkbase adds to a graph's SVG.
STYLE_ID = "kb-graph-style"


class kb_graph_drawing(sphinx_graphviz.graphviz):  # noqa: N801 (docutils node names are lower case)
    """A relations graph drawn by graphviz (``alt`` holds its plain-text name)."""


def style_svg(path: Path, css: str) -> None:
    """Put ``css`` in the SVG at ``path`` as its first ``<style>`` (idempotent)."""
    # Without these, ElementTree writes every name with an "ns0:" prefix (valid but unreadable).
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    tree = ET.parse(path)  # a file graphviz just wrote, not untrusted input
    root = tree.getroot()
    style = root.find(f"{{{SVG_NS}}}style[@id='{STYLE_ID}']")
    if style is not None and style.text == css:
        return
    if style is None:
        style = ET.Element(f"{{{SVG_NS}}}style", {"id": STYLE_ID})
        root.insert(0, style)
    style.text = css
    tree.write(path, encoding="utf-8", xml_declaration=True)


def html_visit_graph(self: HTML5Translator, node: kb_graph_drawing) -> None:
    """Write the graph's ``<object>`` with its name and style its SVG (write phase)."""
    start = len(self.body)
    name = str(node.get("alt", ""))
    try:
        sphinx_graphviz.html_visit_graphviz(self, node)
    finally:
        # graphviz ends every visit with SkipNode; its <object> is one chunk of the body.
        for position in range(start, len(self.body)):
            chunk = self.body[position]
            if chunk.startswith("<object ") and name:
                # ``alt`` is HTML already (graphviz writes it as is): unescape, then escape once.
                label = html.escape(html.unescape(name), quote=True)
                self.body[position] = chunk.replace("<object ", f'<object aria-label="{label}" ', 1)
        if str(self.builder.config.graphviz_output_format).lower() == "svg":
            _style_output(self, node)


def _style_output(self: HTML5Translator, node: kb_graph_drawing) -> None:
    try:
        _relfn, outfn = sphinx_graphviz.render_dot(
            self, node["code"], node["options"], "svg", "graphviz", node.get("filename")
        )
    except sphinx_graphviz.GraphvizError:
        return  # graphviz has warned already
    if outfn is not None and Path(outfn).is_file():
        style_svg(Path(outfn), CSS_PATH.read_text(encoding="utf-8"))


def _visitors(name: str) -> tuple[Any, Any]:
    return getattr(sphinx_graphviz, f"{name}_visit_graphviz"), None


def setup(app: Sphinx) -> None:
    app.add_node(
        kb_graph_drawing,
        html=(html_visit_graph, None),
        latex=_visitors("latex"),
        texinfo=_visitors("texinfo"),
        text=_visitors("text"),
        man=_visitors("man"),
    )

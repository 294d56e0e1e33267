"""ARIA roles of Sphinx's and docutils' HTML, corrected where the markup is written.

Installed when the builder is set up (``builder-inited``), only for HTML builders
writing pages with the talkbase theme: the builder's translator class (Sphinx's,
or the one another extension registered) is subclassed with :class:`AriaMixin`,
so every page body and every ``toctree()`` rendered in a template get:

* toctree captions (``<p class="caption" role="heading">``) with the
  ``aria-level`` a heading needs (axe: ``aria-required-attr``);
* citations with ``role="listitem"`` instead of ``doc-biblioentry``, which is
  deprecated and not allowed inside the ``role="list"`` docutils puts around
  them (axe: ``aria-allowed-role``, ``list``).

Other themes and builders keep the stock markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from talkbase.theme import builder_uses_theme

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The level of a toctree caption: the page title is the only ``h1``.
CAPTION_LEVEL = "2"


class AriaMixin:
    """Visitors of the HTML translator that write correct ARIA roles (page write)."""

    body: list[str]
    context: list[str]
    if TYPE_CHECKING:  # the translator's own method (a definition here would hide it)

        def starttag(self, node: nodes.Element, tagname: str, suffix: str = "\n", **attributes: Any) -> str: ...

    def visit_title(self, node: nodes.title) -> None:
        parent = node.parent
        if not (isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree")):
            super().visit_title(node)  # type: ignore[misc]
            return
        # Sphinx's own branch for toctree captions, with the level.
        attributes = {"CLASS": "caption", "ROLE": "heading", "aria-level": CAPTION_LEVEL}
        self.body.append(self.starttag(node, "p", "", **attributes))
        self.body.append('<span class="caption-text">')
        self.context.append("</span></p>\n")

    def visit_citation(self, node: nodes.citation) -> None:
        # docutils' visitor (the list opens before the first of adjacent citations), with the role.
        if not isinstance(node.previous_sibling(), nodes.citation):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def install(app: Sphinx) -> None:
    """Give the builder a translator with :class:`AriaMixin` (``builder-inited``, this theme only)."""
    if not builder_uses_theme(app.builder):
        return
    base = app.registry.get_translator_class(app.builder)
    if issubclass(base, AriaMixin):
        return
    translator = type(f"Talkbase{base.__name__}", (AriaMixin, base), {})
    app.set_translator(app.builder.name, translator, override=True)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", install)

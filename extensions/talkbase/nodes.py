"""The docutils nodes talkbase adds, and their visitors for every writer.

Directives emit :class:`kb_object` containers holding ordinary docutils nodes
(paragraphs, field lists, references), so every writer can render an object;
``kb_placeholder`` marks content that depends on other pages and is replaced by
a post-transform before anything is written.

The doctree names talkbase's parts with generic nodes: :class:`kb_card` (an
object's header, a card of a listing), :class:`kb_card_grid` (a ``:style:
cards`` listing), :class:`kb_badge` (a tag), :class:`kb_cite` and
:class:`kb_cite_format` (the "Cite this" block).  Each subclasses the docutils
node it reads as (container, inline), and every writer renders it as that node;
the builder-specific structure (sphinx-design classes and tabs for HTML, the
style's environments for LaTeX) is added when a page is written, by
:mod:`talkbase.structure` and :mod:`talkbase.latex`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator


class kb_object(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """One knowledge-base object where it is defined; ``ids`` holds its anchor."""


class kb_placeholder(nodes.General, nodes.Element):  # noqa: N801
    """Content computed from the whole project; filled by a post-transform."""


def _visit_object_html(self: HTML5Translator, node: kb_object) -> None:
    classes = ["kb-object", f"kb-{node['objtype']}"]
    attributes: dict[str, Any] = {"data-kb-type": node["objtype"], "data-kb-id": node["kbid"]}
    if node.get("lang"):
        attributes["lang"] = node["lang"]
    self.body.append(self.starttag(node, "div", CLASS=" ".join(classes), **attributes))


def _depart_object_html(self: HTML5Translator, node: kb_object) -> None:
    self.body.append("</div>\n")


class kb_html(nodes.General, nodes.Element):  # noqa: N801
    """Markup talkbase wrote itself for a part of a page (``html``: the HTML), in
    ``html``/``dirhtml`` builds only (:mod:`talkbase.direct_html`); its text child is
    the part's text, read by Sphinx's search index and never written."""


def _visit_html_html(self: HTML5Translator, node: kb_html) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


class kb_card(nodes.container):  # noqa: N801
    """A card: an object's header (``variant="header"``) or an entry of a card listing
    (``variant="listing"``, with a ``kb-card-title`` paragraph and ``kb-card-text`` ones)."""


class kb_card_grid(nodes.container):  # noqa: N801
    """The cards of a ``:style: cards`` listing, laid out as a grid in HTML."""


class kb_badge(nodes.inline):  # noqa: N801
    """A short label (a tag) shown as a badge in HTML, as its text elsewhere."""


class kb_cite(nodes.container):  # noqa: N801
    """The "Cite this" block of a talk: a rubric, the reference, then (web builders) formats."""


class kb_cite_format(nodes.container):  # noqa: N801
    """One machine format of "Cite this": a caption, the code, a download link (``format``: its name)."""


#: The generic nodes above and the docutils node each one is written as.
GENERIC = {kb_card: "container", kb_card_grid: "container", kb_badge: "inline", kb_cite: "container",
           kb_cite_format: "container"}  # fmt: skip


def _as(base: str) -> tuple[Any, Any]:
    """Visitors writing a node as the docutils node ``base`` (every writer knows those)."""

    def visit(self: Any, node: nodes.Element) -> None:
        getattr(self, f"visit_{base}")(node)

    def depart(self: Any, node: nodes.Element) -> None:
        getattr(self, f"depart_{base}")(node)

    return visit, depart


class kb_latex(nodes.General, nodes.Element):  # noqa: N801
    """LaTeX structure around content: ``\\begin{env}{args}…\\end{env}`` or ``\\macro{args}{…}``.

    Made only in LaTeX builds, by :mod:`talkbase.latex` (write phase); ``args``
    are names (object types, languages), never text.  With ``ids``, a label.
    """


class kb_pageref(nodes.General, nodes.Inline, nodes.Element):  # noqa: N801
    """The page a LaTeX link points to (``target`` is ``doc:id``); LaTeX builds only."""


def _visit_object_latex(self: LaTeXTranslator, node: kb_object) -> None:
    # Make the object a hyperlink target so that cross-references land on it.
    if node.get("latex_env"):
        self.body.append(f"\n\\begin{{kbobject}}{{{node['objtype']}}}")
        if node.get("latex_language"):
            self.body.append(f"\\begin{{kblanguage}}{{{node['latex_language']}}}")
    self.body.append("\n" + "".join(self.hypertarget(anchor, anchor=False) for anchor in node["ids"]))


def _depart_object_latex(self: LaTeXTranslator, node: kb_object) -> None:
    if node.get("latex_env"):
        if node.get("latex_language"):
            self.body.append("\n\\end{kblanguage}")
        self.body.append("\n\\end{kbobject}\n")


def _visit_latex(self: LaTeXTranslator, node: kb_latex) -> None:
    if node["ids"]:
        self.body.append(self.hypertarget_to(node, anchor=True))
    names: list[str] = node.get("args", [])  # object types, languages: never escaped text
    args = "".join(f"{{{name}}}" for name in names)
    if node.get("env"):
        self.body.append(f"\n\\begin{{{node['env']}}}{args}\n")
    elif node.get("macro"):
        self.body.append(f"\\{node['macro']}{args}{{")


def _depart_latex(self: LaTeXTranslator, node: kb_latex) -> None:
    if node.get("env"):
        self.body.append(f"\n\\end{{{node['env']}}}\n")
    elif node.get("macro"):
        self.body.append("}")


def _visit_pageref_latex(self: LaTeXTranslator, node: kb_pageref) -> None:
    self.body.append(f"\\kbpageref{{{self.idescape(node['target'])}}}")
    raise nodes.SkipNode


def _visit_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def _depart_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    passthrough = (_visit_passthrough, _depart_passthrough)
    for node_class, base in GENERIC.items():
        visitors = _as(base)
        app.add_node(node_class, html=visitors, latex=visitors, text=visitors, man=visitors, texinfo=visitors)
    app.add_node(
        kb_object,
        html=(_visit_object_html, _depart_object_html),
        latex=(_visit_object_latex, _depart_object_latex),
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    # LaTeX-only structure: other writers never get these nodes, and would show the content.
    app.add_node(
        kb_latex,
        html=passthrough,
        latex=(_visit_latex, _depart_latex),
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    # Placeholders never reach a writer (the post-transform replaces them); if one
    # does because a third-party transform copied it, it renders as nothing.
    skip = (_skip, None)
    app.add_node(kb_placeholder, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    # Made for HTML builders only; another writer would have nothing to write.
    app.add_node(kb_html, html=(_visit_html_html, None), latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(kb_pageref, html=skip, latex=(_visit_pageref_latex, None), text=skip, man=skip, texinfo=skip)

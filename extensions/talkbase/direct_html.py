"""HTML written by talkbase itself for the content its fillers make (write phase).

A "Referenced by" section or a listing is dozens to thousands of docutils nodes
(a list item, a paragraph, links and their texts per entry) that Sphinx's HTML
translator turns into markup one visitor call at a time, that its search indexer
walks again, and that the garbage collector follows until the page is written.
Where the output allows it, :func:`talkbase.placeholders.fill_placeholders`
writes a filler's nodes at once, as the translator would, into one
:class:`~talkbase.nodes.kb_html` node, whose only child is their text for the
search index (:func:`written`).

"Where the output allows it" (:func:`writes_directly`):

- the ``html`` and ``dirhtml`` builders: every document has its page, and no
  builder step rewrites the links afterwards (``singlehtml`` turns them into
  fragments of its one page, EPUB renames ids: they get the nodes);
- the builder's translator writes the nodes involved exactly as Sphinx's own
  ``HTML5Translator`` does (:data:`STOCK_METHODS`): a translator another extension
  registered with other visitors for them gets the nodes, and writes them its way;
- the nodes are plain ones this module writes (:data:`WRITERS`: paragraphs, lists,
  links, text…, exactly these classes); anything else (talkbase's cards and badges,
  which :mod:`talkbase.structure` rewrites later, a ``pending_xref`` left to Sphinx,
  a node with an id) keeps the whole filler's output as nodes;
- with hover previews (the talkbase theme), links to objects stay nodes: the theme
  finds them in the doctree (:mod:`talkbase.theme.previews`).

Two later steps write other parts of a page the same way: :func:`written_structure`
(the objects' header cards, card grids and recommendations' title and fields, at the
end of :class:`talkbase.structure.HtmlStructure`, once references are resolved and
badges have their classes) and :func:`written_by` (the "Cite this" block, made in the
HTML translator itself, with sphinx-design's tabs).

The markup is byte for byte the translator's (``tests/test_direct_html.py`` builds
projects both ways and compares every page and the search index): the same
escaping, attribute order, ``lang`` for ``language-`` classes, ``simple`` class on
compact lists (``html_compact_lists``), line ends after paragraphs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.writers._html_base import HTMLTranslator as DocutilsHTMLTranslator
from docutils.writers._html_base import SimpleListChecker
from docutils.writers.html5_polyglot import HTMLTranslator as HTML5PolyglotTranslator
from sphinx.writers.html5 import HTML5Translator
from sphinx_design import extension as sd_extension
from sphinx_design import tabs as sd_tabs

from talkbase.nodes import kb_badge, kb_html
from talkbase.stock_html import is_stock_html

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from sphinx.builders import Builder

#: The translator methods whose output this module repeats.
STOCK_METHODS = (
    "starttag", "attval", "encode", "is_compactable", "report_messages",
    "visit_Text", "depart_Text", "visit_container", "depart_container", "visit_rubric", "depart_rubric",
    "visit_bullet_list", "depart_bullet_list", "visit_list_item", "depart_list_item",
    "visit_paragraph", "depart_paragraph", "visit_reference", "depart_reference",
    "visit_inline", "depart_inline", "visit_strong", "depart_strong", "visit_emphasis", "depart_emphasis",
)  # fmt: skip
#: The methods whose output :func:`written_structure` also repeats (headers and their fields).
STRUCTURE_METHODS = (
    *STOCK_METHODS, "check_simple_list",
    "visit_field_list", "depart_field_list", "visit_field", "depart_field",
    "visit_field_name", "depart_field_name", "visit_field_body", "depart_field_body",
)  # fmt: skip
#: The methods whose output :func:`written_structure` repeats for a recommendation's title
#: (the talkbase theme's translator has its own ``visit_title``: there the titles stay nodes).
TITLE_METHODS = (
    "visit_admonition", "depart_admonition", "visit_title", "depart_title", "add_secnumber", "add_fignumber",
)  # fmt: skip

#: docutils' escapes of text and attribute values (``HTMLTranslator.special_characters``).
_ESCAPES = DocutilsHTMLTranslator.special_characters
_ATTRIBUTE_SPACE = re.compile("[\n\r\t\v\f]")
#: Classes that make the HTML5 writer pick another element for an inline or a container.
_INLINE_TAGS = frozenset(HTML5PolyglotTranslator.supported_inline_tags)
_BLOCK_TAGS = frozenset(HTML5PolyglotTranslator.supported_block_tags)


def writes_directly(builder: Builder, methods: Sequence[str] = STOCK_METHODS) -> bool:
    """Whether fillers' output may be written here for ``builder`` (write phase): the
    builder's translator writes the nodes as Sphinx's own does (its ``methods`` are HTML5Translator's)."""
    if not is_stock_html(builder):
        return False
    translator = builder.get_translator_class()
    return all(getattr(translator, name, None) is getattr(HTML5Translator, name) for name in methods)


def writes_structure_directly(builder: Builder) -> bool:
    """Whether the header cards and recommendations' fields may be written here (write phase).

    Not in a ``-j`` build: the main process resolves and search-indexes every page
    while the workers translate them, so written here the parts would cost the busiest
    process what the translator does in a worker.
    """
    return not getattr(builder, "parallel_ok", False) and writes_directly(builder, STRUCTURE_METHODS)


def writes_titles_directly(builder: Builder) -> bool:
    """Whether recommendations' titles may be written here too (write phase)."""
    return writes_directly(builder, TITLE_METHODS)


def text(value: str) -> str:
    """``value`` as the translator writes a text node (``HTMLTranslator.encode``)."""
    return value.translate(_ESCAPES)


def attribute(value: str) -> str:
    """``value`` as the translator writes an attribute value (``HTMLTranslator.attval``)."""
    return _ATTRIBUTE_SPACE.sub(" ", value).translate(_ESCAPES)


class Unwritable(Exception):
    """A node this module does not write: the filler's output stays nodes."""


class Writer:
    """The translator's markup of a few plain nodes (see :data:`WRITERS`)."""

    def __init__(
        self,
        replaced: nodes.Element,
        *,
        compact_lists: bool,
        previews: bool,
        writers: Mapping[type[nodes.Node], Callable[[Writer, nodes.Node], None]] | None = None,
        compact_field_lists: bool = True,
        numbered: Callable[[nodes.Element], object] = lambda node: None,
        titles: bool = False,
        design_containers: bool = False,
        ids: bool = False,
    ) -> None:
        document = replaced.document
        assert document is not None
        self.document = document
        #: The parent the written nodes will have (the replaced placeholder's).
        self.parent = replaced.parent
        self.compact_lists = compact_lists
        self.compact_field_lists = compact_field_lists
        self.previews = previews
        #: Whether Sphinx numbers a node (the standard domain's ``get_enumerable_node_type``).
        self.numbered = numbered
        #: Whether an admonition's title is written as Sphinx's own translator does.
        self.titles = titles
        #: Whether containers are written by sphinx-design's visitor (``is_div``: no ``container`` class).
        self.design_containers = design_containers
        #: Whether elements with one id are written (in the translator, for parts not searched).
        self.ids = ids
        self.writers = WRITERS if writers is None else writers
        self.parts: list[str] = []
        self.words: list[str] = []
        #: What Sphinx's search index reads instead of the written nodes: runs of their text
        #: and, for a title, a title node (the index records titles apart).
        self.searched: list[nodes.Node] = []
        #: The row counters of the field lists being written (the translator's ``_fieldlist_row_indices``).
        self.rows: list[int] = []
        #: Whether the innermost list being written is compact (the translator's ``compact_simple``).
        self.compact_simple = False
        #: Inside a ``no-search`` element: its words stay out of the search index, as Sphinx's indexer does.
        self.unsearched = 0

    def write(self, node: nodes.Node) -> None:
        writer = self.writers.get(type(node))
        if writer is None:
            raise Unwritable
        if not isinstance(node, nodes.Element):  # text
            writer(self, node)
            return
        if node["ids"] and not (self.ids and len(node["ids"]) == 1):
            raise Unwritable  # ids (and their empty spans) are the translator's business
        if "no-search" in node["classes"]:
            self.unsearched += 1
            writer(self, node)
            self.unsearched -= 1
        else:
            writer(self, node)

    def children(self, node: nodes.Element) -> None:
        for child in node.children:
            self.write(child)

    def starttag(self, node: nodes.Element, tagname: str, suffix: str, extra_class: str = "", **attributes: str) -> str:
        """docutils' ``HTMLTranslator.starttag`` for a node with one id at most."""
        if not node["classes"] and not extra_class and not attributes and not node["ids"]:
            return f"<{tagname}>{suffix}"  # most list items and paragraphs
        if node["ids"]:  # one (Writer.write): as an attribute
            attributes["id"] = node["ids"][0]
        classes: list[str] = []
        languages: list[str] = []
        for name in [*node["classes"], *extra_class.split()]:
            if name.startswith("language-"):
                languages.append(name.removeprefix("language-"))
            elif name.strip() and name not in classes:
                classes.append(name)
        if languages:
            attributes["lang"] = languages[0]
        if classes:
            attributes["class"] = " ".join(classes)
        written = "".join(f' {name}="{attribute(value)}"' for name, value in sorted(attributes.items()))
        return f"<{tagname}{written}>{suffix}"

    def element(self, node: nodes.Element, tagname: str, suffix: str, end: str, extra_class: str = "") -> None:
        self.parts.append(self.starttag(node, tagname, suffix, extra_class))
        self.children(node)
        self.parts.append(end)

    def text(self, node: nodes.Text) -> None:
        value = node.astext()
        self.parts.append(text(value))
        if not self.unsearched:
            self.words.append(value)

    def paragraph(self, node: nodes.paragraph) -> None:
        parent = node.parent
        alone = isinstance(parent, (nodes.list_item, nodes.entry)) and len(parent) == 1
        self.element(node, "p", "", "</p>" if alone else "</p>\n")

    def reference(self, node: nodes.reference) -> None:
        # Sphinx's HTML5Translator.visit_reference, for the links fillers make.
        if (
            not isinstance(node.parent or self.parent, nodes.TextElement)
            or any(name in node for name in ("target", "rel", "secnumber"))
            or (self.previews and "kb-ref" in node["classes"])  # the theme's previews read these nodes
        ):
            raise Unwritable
        if "refuri" in node:
            href = node["refuri"] or "#"
            if href.startswith("mailto:"):
                raise Unwritable  # the translator may cloak it
            kind = "internal" if node.get("internal") else "external"
        else:
            href, kind = "#" + node["refid"], "internal"
        attributes = {"href": href}
        if "reftitle" in node:
            attributes["title"] = node["reftitle"]
        self.parts.append(self.starttag(node, "a", "", f"reference {kind}", **attributes))
        self.children(node)
        self.parts.append("</a>")

    def inline(self, node: nodes.inline) -> None:
        if _INLINE_TAGS.intersection(node["classes"]) or (self.previews and "std-term" in node["classes"]):
            raise Unwritable
        self.element(node, "span", "", "</span>")

    def strong(self, node: nodes.strong) -> None:
        self.element(node, "strong", "", "</strong>")

    def emphasis(self, node: nodes.emphasis) -> None:
        self.element(node, "em", "", "</em>")

    def container(self, node: nodes.container) -> None:
        if _BLOCK_TAGS.intersection(node["classes"]):
            raise Unwritable
        if node.get("is_div") or "style" in node:
            # sphinx-design's visitor (``extension.visit_container``) writes these otherwise.
            if not self.design_containers or "style" in node:
                raise Unwritable
            self.element(node, "div", "\n", "</div>\n", "docutils")
            return
        self.element(node, "div", "\n", "</div>\n", "docutils container")

    # -- in the translator only (see written_by): sphinx-design's tabs, raw HTML --

    def tab_input(self, node: sd_tabs.sd_tab_input) -> None:
        """sphinx-design's ``visit_tab_input`` (the node has no ``ids`` of its own)."""
        attributes = {"id": node["id"], "type": node["type"], "name": node["set_id"]}
        if node["checked"]:
            attributes["checked"] = "checked"
        self.parts.append(self.starttag(node, "input", "\n", **attributes))

    def tab_label(self, node: sd_tabs.sd_tab_label) -> None:
        """sphinx-design's ``visit_tab_label``."""
        attributes = {"for": node["input_id"]}
        if "aria_controls" in node:
            attributes["aria-controls"] = node["aria_controls"]
        if "sync_id" in node and "sync_group" in node:
            attributes["data-sync-id"] = node["sync_id"]
            attributes["data-sync-group"] = node["sync_group"]
        self.parts.append(self.starttag(node, "label", "\n", **attributes))
        self.children(node)
        self.parts.append("</label>")

    def raw(self, node: nodes.raw) -> None:
        """docutils' ``visit_raw``: HTML as it is, anything else left out."""
        if node["classes"]:
            raise Unwritable
        if "html" in node.get("format", "").split():
            self.parts.append(node.astext())

    def rubric(self, node: nodes.rubric) -> None:
        if "heading-level" in node:
            raise Unwritable
        self.element(node, "p", "", "</p>\n", "rubric")

    def bullet_list(self, node: nodes.bullet_list) -> None:
        outer = self.compact_simple
        self.compact_simple = self.is_compactable(node)
        extra = "simple" if self.compact_simple and not outer else ""
        self.element(node, "ul", "\n", "</ul>\n", extra)
        self.compact_simple = outer

    def list_item(self, node: nodes.list_item) -> None:
        self.element(node, "li", "", "</li>\n")

    def is_compactable(self, node: nodes.bullet_list | nodes.field_list) -> bool:
        """docutils' ``HTMLTranslator.is_compactable`` for a bullet or field list."""
        if "compact" in node["classes"]:
            return True
        if "open" in node["classes"]:
            return False
        if not (self.compact_field_lists if isinstance(node, nodes.field_list) else self.compact_lists):
            return False
        if "contents" in node.parent["classes"]:
            return True
        try:
            node.walk(SimpleListChecker(self.document))
        except nodes.NodeFound:
            return False
        return True

    # -- the structure of headers: written only after HtmlStructure (see written_structure) --

    def field_list(self, node: nodes.field_list) -> None:
        if any(name.startswith("field-indent-") for name in node["classes"]):
            raise Unwritable  # a style attribute: the translator's business
        self.rows.append(0)
        self.element(node, "dl", "\n", "</dl>\n", "field-list simple" if self.is_compactable(node) else "field-list")
        self.rows.pop()

    def field(self, node: nodes.field) -> None:
        # The translator writes no element for a field: its name and body get its classes.
        if not self.rows or not isinstance(node.parent, nodes.field_list):
            raise Unwritable  # a field alone: its row's parity is the list's
        if len(node) != 2:
            raise Unwritable
        name, body = node.children
        if not isinstance(name, nodes.field_name) or not isinstance(body, nodes.field_body):
            raise Unwritable
        if name["classes"] or body["classes"] or name["ids"] or body["ids"] or not body.children:
            raise Unwritable
        self.rows[-1] += 1
        # Given to ``starttag`` as ``classes=``: kept as they are (no language, no dedup).
        classes = [*node["classes"], "field-even" if self.rows[-1] % 2 == 0 else "field-odd"]
        row = attribute(" ".join(classes))
        self.parts.append(f'<dt class="{row}">')
        self.children(name)
        self.parts.append(f'<span class="colon">:</span></dt>\n<dd class="{row}">')
        self.children(body)
        self.parts.append("</dd>\n")

    def title(self, node: nodes.title) -> None:
        """An admonition's title (a recommendation's box), for the search index a title too."""
        parent = node.parent
        assert parent is not None
        # Numbered (an extension made admonitions enumerable) or with a permalink: the translator's.
        if (
            not self.titles
            or not isinstance(parent, nodes.admonition)
            or "collapsible" in parent
            or parent["ids"]
            or self.numbered(parent)
        ):
            raise Unwritable
        self.flush()
        start = len(self.words)
        self.element(node, "p", "", "</p>\n", "admonition-title")
        texts = self.words[start:]
        del self.words[start:]
        if not self.unsearched:
            self.searched.append(nodes.title("", "", *(nodes.Text(value) for value in texts)))

    def flush(self) -> None:
        """End the current run of words for the search index (before a title)."""
        if self.words:
            self.searched.append(nodes.Text(" ".join(self.words)))
            self.words = []

    def indexed(self) -> list[nodes.Node]:
        """What the search index reads of everything written."""
        self.flush()
        return self.searched


#: What :class:`Writer` writes, by exact class (a subclass may be written otherwise).
WRITERS: dict[type[nodes.Node], Callable[[Writer, nodes.Node], None]] = {
    nodes.Text: Writer.text,  # type: ignore[dict-item]
    nodes.paragraph: Writer.paragraph,  # type: ignore[dict-item]
    nodes.reference: Writer.reference,  # type: ignore[dict-item]
    nodes.inline: Writer.inline,  # type: ignore[dict-item]
    nodes.strong: Writer.strong,  # type: ignore[dict-item]
    nodes.emphasis: Writer.emphasis,  # type: ignore[dict-item]
    nodes.container: Writer.container,  # type: ignore[dict-item]
    nodes.rubric: Writer.rubric,  # type: ignore[dict-item]
    nodes.bullet_list: Writer.bullet_list,  # type: ignore[dict-item]
    nodes.list_item: Writer.list_item,  # type: ignore[dict-item]
}

#: What :class:`Writer` writes of the structure :func:`written_structure` writes: also field
#: lists, an admonition's title, and badges (after :class:`talkbase.structure.HtmlStructure`
#: gave them their classes, they are written as the inlines they are).
STRUCTURE_WRITERS: dict[type[nodes.Node], Callable[[Writer, nodes.Node], None]] = {
    **WRITERS,
    nodes.field_list: Writer.field_list,  # type: ignore[dict-item]
    nodes.field: Writer.field,  # type: ignore[dict-item]
    nodes.title: Writer.title,  # type: ignore[dict-item]
    kb_badge: Writer.inline,  # type: ignore[dict-item]
}


def _inside_list(node: nodes.Element) -> bool:
    """Whether ``node`` is inside a list or a table cell: there the translator's compact-list
    state and a paragraph's line end depend on what is around, so it is left as nodes."""
    ancestor = node.parent
    while ancestor is not None:
        if isinstance(ancestor, (nodes.bullet_list, nodes.enumerated_list, nodes.entry)):
            return True
        ancestor = ancestor.parent
    return False


def written(
    replaced: nodes.Element, content: Sequence[nodes.Node], builder: Builder, *, previews: bool
) -> kb_html | None:
    """``content`` (a filler's nodes, to replace ``replaced``) written as HTML in one node,
    or ``None`` when a node is not one :class:`Writer` writes (write phase)."""
    if _inside_list(replaced):  # an author's listing inside a list item
        return None
    if any(isinstance(node, (nodes.bullet_list, nodes.paragraph)) for node in content):
        return None  # their markup depends on the parent (line end, compactness): never made so
    writer = Writer(replaced, compact_lists=bool(builder.config.html_compact_lists), previews=previews)
    try:
        for node in content:
            writer.write(node)
    except Unwritable:
        return None
    return kb_html("", nodes.Text(" ".join(writer.words)), html="".join(writer.parts))


def written_structure(
    parts: Sequence[nodes.Element], builder: Builder, *, previews: bool, titles: bool = False
) -> kb_html | None:
    """``parts`` (consecutive children of one element of the page: an object's header card, a
    recommendation's title and fields) written as HTML in one node, or ``None`` when one of
    their nodes is not one :class:`Writer` writes (write phase, after
    :class:`talkbase.structure.HtmlStructure` and the references are resolved).

    Unlike a filler's nodes these are in the page already: each is written where it is.
    """
    first = parts[0]
    if _inside_list(first):
        return None
    writer = Writer(
        first,
        compact_lists=bool(builder.config.html_compact_lists),
        previews=previews,
        writers=STRUCTURE_WRITERS,
        # Sphinx leaves this docutils setting as docutils.conf has it (html_compact_lists is the other).
        compact_field_lists=bool(getattr(getattr(builder, "docsettings", None), "compact_field_lists", True)),
        numbered=builder.env.domains.standard_domain.get_enumerable_node_type,
        titles=titles,
    )
    try:
        for node in parts:
            writer.write(node)
    except Unwritable:
        return None
    return kb_html("", *writer.indexed(), html="".join(writer.parts))


#: What :func:`written_by` writes: a filler's nodes, and sphinx-design's tabs and raw HTML.
TRANSLATOR_WRITERS: dict[type[nodes.Node], Callable[[Writer, nodes.Node], None]] = {
    **WRITERS,
    sd_tabs.sd_tab_input: Writer.tab_input,  # type: ignore[dict-item]
    sd_tabs.sd_tab_label: Writer.tab_label,  # type: ignore[dict-item]
    nodes.raw: Writer.raw,  # type: ignore[dict-item]
}


def _visitor(translator: HTML5Translator, name: str) -> object:
    """The function behind the translator's ``name`` method (an instance's own, as Sphinx's
    registry sets the visitors of ``app.add_node``, or its class's)."""
    method = getattr(translator, name, None)
    return getattr(method, "__func__", method)


def _design_visitors(translator: HTML5Translator) -> bool | None:
    """Whether ``translator`` writes containers with sphinx-design's visitor (``False``: Sphinx's),
    or ``None`` when one of the visitors :func:`written_by` repeats is another one."""
    stock = all(
        _visitor(translator, name) is getattr(HTML5Translator, name)
        for name in (*STOCK_METHODS, "visit_raw")
        if not name.endswith("_container")  # sphinx-design's, checked below
    )
    expected = {
        "visit_sd_tab_input": sd_tabs.visit_tab_input,
        "depart_sd_tab_input": sd_tabs.depart_tab_input,
        "visit_sd_tab_label": sd_tabs.visit_tab_label,
        "depart_sd_tab_label": sd_tabs.depart_tab_label,
    }
    if not stock or any(_visitor(translator, name) is not found for name, found in expected.items()):
        return None
    containers = (_visitor(translator, "visit_container"), _visitor(translator, "depart_container"))
    if containers == (sd_extension.visit_container, sd_extension.depart_container):
        return True
    if containers == (HTML5Translator.visit_container, HTML5Translator.depart_container):
        return False
    return None


def written_by(translator: HTML5Translator, node: nodes.container) -> str | None:
    """``node`` (a container the translator is visiting, written as one whatever its class)
    as the markup ``translator`` would write, or ``None`` when it writes one of its nodes
    otherwise (write phase, in the HTML translator: the "Cite this" block, made there,
    :mod:`talkbase.cite.block`).

    Only for an ``html``/``dirhtml`` translator that writes the nodes involved as Sphinx's and
    sphinx-design's own visitors do (an extension's ``app.add_node`` sets visitors on the
    translator itself); what the search index reads is the caller's business.
    """
    if node["ids"]:
        return None
    design = _design_visitors(translator)
    if design is None or not writes_directly(translator.builder):
        return None
    writer = Writer(
        node,
        compact_lists=bool(translator.builder.config.html_compact_lists),
        previews=False,  # the caller's part has no links to objects
        writers=TRANSLATOR_WRITERS,
        design_containers=design,
        ids=True,
    )
    try:
        writer.container(node)
    except Unwritable:
        return None
    return "".join(writer.parts)

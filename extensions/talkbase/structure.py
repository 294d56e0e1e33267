"""The HTML structure of talkbase's generic nodes (post-transform, HTML builders only).

The doctree holds talkbase's own nodes (:mod:`talkbase.nodes`); every writer
renders them as the docutils nodes they subclass.  For HTML, :class:`HtmlStructure`
gives them sphinx-design's structure, as sphinx-design's own directives do for
their nodes (``sphinx_design/tabs.py``):

- :class:`~talkbase.nodes.kb_card`: a ``sd-card`` with its ``sd-card-body``;
- :class:`~talkbase.nodes.kb_card_grid`: sphinx-design's responsive grid of cards;
- :class:`~talkbase.nodes.kb_badge` and the ``kb-link`` buttons: ``sd-badge``, ``sd-btn``; a
  tag badge then becomes a link to its tag page (:func:`talkbase.tags.link_badge`);
- :class:`~talkbase.nodes.kb_cite`: the reference and each machine format as a
  tab of a sphinx-design tab set (radio buttons: keyboard-usable without script),
  which sphinx-design's ``TabSetHtmlTransform`` (priority 200) turns into HTML.

It runs at priority 150: after the placeholders are filled (5) and references
resolved (10), before sphinx-design's tabs (200).  LaTeX gets its structure from
:mod:`talkbase.latex`; text, man and Texinfo show the generic nodes as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.shared import create_component

from talkbase.nodes import kb_badge, kb_card, kb_card_grid, kb_cite, kb_cite_format
from talkbase.tags import has_tag_pages, link_badge

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("talkbase")

BADGE_CLASSES = ("sd-badge", "sd-bg-secondary", "sd-bg-text-secondary")
BUTTON_CLASSES = ("sd-btn", "sd-btn-outline-primary")
HEADER_CARD_CLASSES = ("sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm")
LISTING_CARD_CLASSES = ("sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm")
#: sphinx-design's grid; ``kb-cards`` lets the talkbase theme make the cards fill the column.
GRID_ROW_CLASSES = (
    "sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-md-3", "sd-g-2", "sd-g-xs-2", "sd-g-sm-2",
)  # fmt: skip


def prepend(node: nodes.Element, classes: tuple[str, ...]) -> None:
    node["classes"] = [*classes, *(name for name in node["classes"] if name not in classes)]


def card(node: kb_card) -> nodes.container:
    """A sphinx-design card: the card, its body, the node's content in the body."""
    listing = node.get("variant") == "listing"
    body = nodes.container(classes=["sd-card-body"])
    for child in node.children:
        if isinstance(child, nodes.paragraph) and listing:
            if "kb-card-title" in child["classes"]:
                prepend(child, ("sd-card-title", "sd-font-weight-bold"))
            elif "kb-card-text" in child["classes"]:
                prepend(child, ("sd-card-text",))
        body += child
    classes = LISTING_CARD_CLASSES if listing else HEADER_CARD_CLASSES
    outer = nodes.container(classes=[*classes, *node["classes"]], ids=node["ids"])
    outer += body
    if listing:  # a column of the grid
        return nodes.container("", outer, classes=["sd-col", "sd-d-flex-row"])
    return outer


def grid(node: kb_card_grid) -> nodes.container:
    row = nodes.container(classes=[*GRID_ROW_CLASSES, *node["classes"]], ids=node["ids"])
    row.extend(node.children)
    return nodes.container("", row, classes=["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"])


def tab(label: str, content: list[nodes.Node], *classes: str) -> nodes.container:
    """A sphinx-design ``tab-item`` component, as its ``tab-item`` directive makes it."""
    item = create_component("tab-item", classes=["sd-tab-item"], selected=False)
    item += nodes.rubric(label, label, classes=["sd-tab-label"])
    item += create_component("tab-content", classes=["sd-tab-content", *classes], children=content)
    return item


def cite_tabs(block: kb_cite) -> None:
    """The reference, then each format, one at a time: a sphinx-design tab set."""
    formats = [child for child in block.children if isinstance(child, kb_cite_format)]
    if not formats:  # EPUB: the reference alone
        return
    reference = next(child for child in block.children if isinstance(child, nodes.paragraph))
    tab_set = create_component("tab-set", classes=["sd-tab-set", "kb-cite-machine"])
    block.replace(reference, tab_set)
    tab_set += tab(str(_("Reference")), [reference], "kb-cite-tab-reference")
    for item in formats:
        block.remove(item)
        tab_set += tab(item["label"], list(item.children), f"kb-cite-tab-{item['format']}", "no-search")


#: talkbase's generic nodes :class:`HtmlStructure` rewrites (and ``kb-link`` references).
STRUCTURED = (kb_cite, kb_card, kb_card_grid, kb_badge)


def structured_nodes(document: nodes.document) -> list[nodes.Element]:
    """The nodes :class:`HtmlStructure` rewrites, in document order: one walk of the page.

    A plain recursive walk over elements: ``findall`` (one generator per node) once per
    kind of node cost three times as much on every page written.
    """
    found: list[nodes.Element] = []

    def walk(parent: nodes.Element) -> None:
        for child in parent.children:
            if isinstance(child, nodes.Element):  # Text has no children and is never rewritten
                if isinstance(child, STRUCTURED) or (
                    isinstance(child, nodes.reference) and "kb-link" in child["classes"]
                ):
                    found.append(child)
                if child.children:
                    walk(child)

    walk(document)
    return found


class HtmlStructure(SphinxPostTransform):
    """Give talkbase's generic nodes their sphinx-design structure (HTML builders)."""

    default_priority = 150
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        # The builder as Sphinx's own ReferencesResolver reaches it (and talkbase.placeholders):
        # transforms have no public handle.
        builder = self.env._app.builder
        links_tags = has_tag_pages(builder)
        # Each rewrite moves nodes, never drops or copies them, so a card found inside a
        # grid is still rewritten in its new parent.
        for node in structured_nodes(self.document):
            if isinstance(node, kb_cite):
                cite_tabs(node)
            elif isinstance(node, kb_card):
                # ``parent.replace``, not ``replace_self``, which would copy the classes to the outer node.
                node.parent.replace(node, card(node))
            elif isinstance(node, kb_card_grid):
                node.parent.replace(node, grid(node))
            elif isinstance(node, kb_badge):
                prepend(node, BADGE_CLASSES)
                if links_tags:
                    link_badge(builder, self.env.docname, node)
            elif isinstance(node, nodes.reference):  # a ``kb-link`` button
                prepend(node, BUTTON_CLASSES)


def setup(app: Sphinx) -> None:
    app.add_post_transform(HtmlStructure)

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
  made directly in the structure sphinx-design's ``TabSetHtmlTransform`` (priority
  200) would make of it, so that transform has nothing to do here; each format is
  its plain, escaped text in one raw HTML node (no Pygments: see :func:`format_html`).

It runs at priority 150: after the placeholders are filled (5) and references
resolved (10), before sphinx-design's tabs (200).  LaTeX gets its structure from
:mod:`talkbase.latex`; text, man and Texinfo show the generic nodes as they are.

Where :func:`talkbase.direct_html.writes_structure_directly` allows it (``html`` and
``dirhtml`` with Sphinx's own translator), the cards, card grids and the title and
fields of recommendation boxes are then written as HTML at once
(:func:`talkbase.direct_html.written_structure`): the markup the translator would
write, in one node that Sphinx's search index reads as their text and titles, instead
of dozens of nodes per object for every later post-transform, the search index, the
translator and the garbage collector.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _ as sphinx_
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.tabs import sd_tab_input, sd_tab_label

from talkbase.domain import kb_domain
from talkbase.nodes import kb_badge, kb_card, kb_card_grid, kb_cite, kb_cite_format
from talkbase.tags import has_tag_pages, link_badge

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

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


def tab_set_items(set_id: str, tabs: list[tuple[str, str, nodes.container]], source: nodes.Element) -> list[nodes.Node]:
    """The children sphinx-design's ``TabSetHtmlTransform`` makes of a tab set: for each tab
    (label, id, content), a radio input, its label, and the content panel; the first tab is shown.

    Our ids are stable per talk (``sd-tab-item-cite-<format>-<talk>``) instead of sphinx-design's
    page counters, which number the author's own tab sets from 0 after this transform has run.
    """
    children: list[nodes.Node] = []
    for position, (label, item_id, content) in enumerate(tabs):
        radio = sd_tab_input("", id=item_id, set_id=set_id, type="radio", checked=position == 0)
        content_id = f"{item_id}-content"
        label_node = sd_tab_label("", label, input_id=item_id, classes=["sd-tab-label"], aria_controls=content_id)
        radio.source = label_node.source = source.source
        radio.line = label_node.line = source.line
        content["ids"].insert(0, content_id)
        children.extend((radio, label_node, content))
    return children


def format_html(item: kb_cite_format, builder: Builder) -> str:
    """One machine format as the HTML Sphinx writes for a captioned ``code-block`` and the
    paragraph of its download link, without Pygments: the text, escaped, in the same
    ``div.highlight > pre`` (every theme styles it as code), then the link.

    Written here, not by the translator: no highlighting, and one node instead of ten for
    every later post-transform and the writer to walk.  Line ends are LF (RIS's CRLF become
    LF, as Pygments made them and as an HTML parser reads them anyway).
    """
    wrapper = next(item.findall(nodes.container, include_self=False))
    code = next(wrapper.findall(nodes.literal_block))
    link = next(item.findall(nodes.reference))
    anchor = escape(wrapper["ids"][0])
    permalink = ""
    # What Sphinx's HTML translator adds to a captioned code block (``add_permalink_ref``).
    if builder.config.html_permalinks and getattr(builder, "add_permalinks", False):
        icon = builder.config.html_permalinks_icon  # HTML by definition (``html_permalinks_icon``)
        title = escape(str(sphinx_("Link to this code")))
        permalink = f'<a class="headerlink" href="#{anchor}" title="{title}">{icon}</a>'
    text = code.astext().replace("\r\n", "\n").rstrip("\r\n") + "\n"
    wrapper_classes = escape(" ".join([*wrapper["classes"], "docutils", "container"]))
    code_classes = escape(" ".join([*code["classes"], f"highlight-{code.get('language', 'text')}", "notranslate"]))
    link_classes = escape(" ".join([*link["classes"], "reference", "external"]))
    caption = f'<span class="caption-text">{escape(item["label"])}</span>'
    return (
        f'<div class="{wrapper_classes}" id="{anchor}">\n'
        f'<div class="code-block-caption">{caption}{permalink}</div>\n'
        f'<div class="{code_classes}"><div class="highlight"><pre>{escape(text, quote=False)}</pre></div>\n</div>\n'
        "</div>\n"
        f'<p class="kb-cite-download-line"><a class="{link_classes}" href="{escape(link["refuri"])}">'
        f"{escape(link.astext())}</a></p>\n"
    )


def cite_tabs(block: kb_cite, builder: Builder) -> None:
    """The reference, then each format, one at a time: the HTML structure of a sphinx-design
    tab set (radio buttons: keyboard-usable without script), made here in one step."""
    formats = [child for child in block.children if isinstance(child, kb_cite_format)]
    if not formats:  # EPUB: the reference alone
        return
    talk = block["talk"]
    reference = next(child for child in block.children if isinstance(child, nodes.paragraph))
    # Not a sphinx-design component: its ``TabSetHtmlTransform`` has nothing left to do here.
    tab_set = nodes.container(is_div=True, classes=["sd-tab-set", "kb-cite-machine"])
    block.replace(reference, tab_set)
    panel = nodes.container("", reference, is_div=True, classes=["sd-tab-content", "kb-cite-tab-reference"])
    tabs = [(str(_("Reference")), f"sd-tab-item-cite-reference-{talk}", panel)]
    for item in formats:
        block.remove(item)
        name = item["format"]
        # BibTeX, RIS and JSON are not words a reader searches for: the search index skips the panel.
        panel = nodes.container(is_div=True, classes=["sd-tab-content", f"kb-cite-tab-{name}", "no-search"])
        panel += nodes.raw("", format_html(item, builder), format="html")
        tabs.append((item["label"], f"sd-tab-item-cite-{name}-{talk}", panel))
    tab_set.extend(tab_set_items(f"sd-tab-set-cite-{talk}", tabs, block))


#: talkbase's generic nodes :class:`HtmlStructure` rewrites (and ``kb-link`` references,
#: and recommendation boxes, whose title and fields it may write as HTML).
STRUCTURED = (kb_cite, kb_card, kb_card_grid, kb_badge)
#: The class of a recommendation's box (:mod:`talkbase.directives.recommendation`).
RECOMMENDATION_BOX = "kb-recommendation-box"


def structured_nodes(document: nodes.document) -> list[nodes.Element]:
    """The nodes :class:`HtmlStructure` rewrites, in document order: one walk of the page.

    A plain recursive walk over elements: ``findall`` (one generator per node) once per
    kind of node cost three times as much on every page written.
    """
    found: list[nodes.Element] = []

    def walk(parent: nodes.Element) -> None:
        for child in parent.children:
            if isinstance(child, nodes.Element):  # Text has no children and is never rewritten
                if (
                    isinstance(child, STRUCTURED)
                    or (isinstance(child, nodes.reference) and "kb-link" in child["classes"])
                    or (isinstance(child, nodes.admonition) and RECOMMENDATION_BOX in child["classes"])
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
        #: The cards and grids made here and the recommendation boxes, to write as HTML once done.
        written: list[nodes.Element] = []
        # Each rewrite moves nodes, never drops or copies them, so a card found inside a
        # grid is still rewritten in its new parent.
        for node in structured_nodes(self.document):
            if isinstance(node, kb_cite):
                cite_tabs(node, builder)
            elif isinstance(node, kb_card):
                # ``parent.replace``, not ``replace_self``, which would copy the classes to the outer node.
                made = card(node)
                node.parent.replace(node, made)
                if node.get("variant") != "listing":  # a listing's card is written with its grid
                    written.append(made)
            elif isinstance(node, kb_card_grid):
                made = grid(node)
                node.parent.replace(node, made)
                written.append(made)
            elif isinstance(node, nodes.admonition):
                written.append(node)
            elif isinstance(node, kb_badge):
                prepend(node, BADGE_CLASSES)
                if links_tags:
                    link_badge(builder, self.env.docname, node)
            elif isinstance(node, nodes.reference):  # a ``kb-link`` button
                prepend(node, BUTTON_CLASSES)
        from talkbase import direct_html  # noqa: PLC0415 (written pages only: keep setup cheap)

        if written and direct_html.writes_structure_directly(builder):
            titles = direct_html.writes_titles_directly(builder)
            write_html(written, builder, previews=kb_domain(self.env).index.previews, titles=titles)


def write_html(elements: list[nodes.Element], builder: Builder, *, previews: bool, titles: bool) -> None:
    """Replace the cards and grids among ``elements``, and the title and fields of the
    recommendation boxes, by their HTML where :mod:`talkbase.direct_html` writes them all
    (write phase, end of :class:`HtmlStructure`)."""
    from talkbase import direct_html  # noqa: PLC0415 (written pages only: keep setup cheap)

    for element in elements:
        if isinstance(element, nodes.admonition):  # its title and fields; the author's text stays nodes
            head: list[nodes.Element] = []
            for child in element.children:
                if not isinstance(child, (nodes.title, nodes.field_list)):
                    break
                head.append(child)
            if head and isinstance(head[0], nodes.title) and not titles:
                del head[0]  # the title stays a node, the fields after it are written
            html = direct_html.written_structure(head, builder, previews=previews, titles=titles) if head else None
            if html is not None:
                position = element.index(head[0])
                for child in head:
                    element.remove(child)
                element.insert(position, html)
        elif (html := direct_html.written_structure([element], builder, previews=previews)) is not None:
            element.parent.replace(element, html)


def setup(app: Sphinx) -> None:
    app.add_post_transform(HtmlStructure)

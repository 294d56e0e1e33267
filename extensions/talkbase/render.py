"""Small builders of the generic docutils structure objects are rendered with.

Everything here is plain docutils (paragraphs, field lists, references) or
talkbase's generic nodes (:mod:`talkbase.nodes`) with ``kb-`` classes, so every
writer can show it; :mod:`talkbase.structure` adds sphinx-design's classes for HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from docutils import nodes

from talkbase.nodes import kb_badge, kb_card

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from docutils.nodes import Node


def title_parts(type_label: str, text: str) -> list[Node]:
    """``Talk <strong>Title</strong>``: the type, then the title."""
    type_label = str(type_label)
    return [
        nodes.inline(type_label, type_label, classes=["kb-type-label"]),
        nodes.Text(" "),
        verbatim(nodes.strong(text, text, classes=["kb-title-text"])),
    ]


_Text = TypeVar("_Text", bound=nodes.TextElement)


def verbatim(node: _Text) -> _Text:
    """Keep an object's own text out of smart quotes, so it reads the same here
    as in the links, listings and exports built from the record."""
    node["support_smartquotes"] = False
    return node


def title(type_label: str, text: str, objtype: str) -> nodes.paragraph:
    """The object's heading line."""
    # The text as rawsource, which Sphinx would otherwise fill in from the node (ApplySourceWorkaround).
    para = nodes.paragraph(f"{type_label} {text}", classes=["kb-title", f"kb-{objtype}-title"])
    para.extend(title_parts(type_label, text))
    return para


def field(label: str, *content: Node, name: str = "") -> nodes.field:
    label = str(label)  # translated labels may be lazy proxies
    body = verbatim(nodes.paragraph())  # field values read as in the exports: no smart quotes
    body.extend(content)
    item = nodes.field(classes=[f"kb-field-{name}"] if name else [])
    # The label comes from talkbase's catalogue, not the page: keep it out of the gettext builder.
    item += nodes.field_name(label, label, translatable=False)
    item += nodes.field_body("", body)
    return item


def field_list(fields: Iterable[Node | None]) -> nodes.field_list:
    result = nodes.field_list(classes=["kb-fields"])
    result.extend(node for node in fields if node is not None)
    return result


def joined(items: Sequence[Node], separator: str = ", ") -> list[Node]:
    result: list[Node] = []
    for position, item in enumerate(items):
        if position:
            result.append(nodes.Text(separator))
        result.append(item)
    return result


def badges(texts: Iterable[str], kind: str = "tag") -> list[Node]:
    """Badges, one per text (sphinx-design's ``sd-badge`` in HTML)."""
    return joined([kb_badge(text, text, classes=[f"kb-{kind}"]) for text in texts], " ")


def external_link(label: str, url: str, kind: str) -> nodes.reference:
    """A link to an outside resource (a sphinx-design button in HTML)."""
    label = str(label)
    return nodes.reference(label, label, refuri=url, classes=["kb-link", f"kb-link-{kind}"])


def in_language(text: str, language: str) -> nodes.inline:
    """Text in another language; docutils writes ``language-xx`` as ``lang="xx"``."""
    classes = [f"language-{language}"] if language and language != "und" else []
    return verbatim(nodes.inline(text, text, classes=classes))


def card(*content: Node, classes: Sequence[str] = ()) -> kb_card:
    """A card holding the object's header (a sphinx-design card in HTML)."""
    return kb_card("", *content, variant="header", classes=list(classes))


def made_here(parts: Iterable[Node], body: Node) -> list[nodes.Element]:
    """The elements of an object's ``parts`` that talkbase made, in document order (read phase).

    Everything but ``body`` and what is inside it: the author's text, parsed with
    its own source and lines (and holding any object nested in it, done already).
    """
    found: list[nodes.Element] = []
    stack = list(reversed(list(parts)))
    while stack:
        node = stack.pop()
        if node is body or not isinstance(node, nodes.Element):
            continue
        found.append(node)
        stack.extend(reversed(node.children))
    return found


def locate(elements: Iterable[nodes.Element], source: str | None, line: int | None) -> None:
    """Give the titles and field names of an object's header its directive's place (read phase).

    Sphinx's ``ApplySourceWorkaround`` transform gives a source to each of these
    that has none, and first serialises it as XML for a debug message, whether
    debug logging is on or not: about 1.4 s of a clean build of 1 000 talks.
    Only these get a source: any other text node with one would become a message
    of the page for Sphinx's i18n (``sphinx.util.nodes.is_translatable``: the
    ``gettext`` builder, the ``Locale`` transform); field names are kept out by
    ``translatable=False`` already (:func:`field`), titles are kept out here, as
    they were without a source.
    """
    for element in elements:
        if isinstance(element, (nodes.title, nodes.field_name)) and element.source is None:
            element.source, element.line = source, line
            if isinstance(element, nodes.title):
                element.setdefault("translatable", False)

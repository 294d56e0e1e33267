"""Small builders of the generic docutils structure objects are rendered with.

Everything here is plain docutils (paragraphs, field lists, references) with
classes for the HTML theme and sphinx-design, so every writer can show it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from docutils import nodes

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
    para = nodes.paragraph(classes=["kb-title", f"kb-{objtype}-title"])
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
    """sphinx-design badges (``sd-badge``), one per text."""
    return joined(
        [
            nodes.inline(text, text, classes=["sd-badge", "sd-bg-secondary", "sd-bg-text-secondary", f"kb-{kind}"])
            for text in texts
        ],
        " ",
    )


def external_link(label: str, url: str, kind: str) -> nodes.reference:
    """A link to an outside resource, styled as a sphinx-design button."""
    label = str(label)
    return nodes.reference(
        label, label, refuri=url, classes=["sd-btn", "sd-btn-outline-primary", "kb-link", f"kb-link-{kind}"]
    )


def in_language(text: str, language: str) -> nodes.inline:
    """Text in another language; docutils writes ``language-xx`` as ``lang="xx"``."""
    classes = [f"language-{language}"] if language and language != "und" else []
    return verbatim(nodes.inline(text, text, classes=classes))


def card(*content: Node, classes: Sequence[str] = ()) -> nodes.container:
    """A sphinx-design card holding the object's header."""
    body = nodes.container(classes=["sd-card-body"])
    body.extend(content)
    outer = nodes.container(classes=["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", *classes])
    outer += body
    return outer

"""HTML written by talkbase itself for the parts it generates in bulk (write phase).

A "Referenced by" section is a few dozen docutils nodes per object (a list item,
a paragraph, a link and its text per entry) that Sphinx's HTML translator turns
into markup one visitor call at a time, that its search indexer walks again, and
that the garbage collector follows until the page is written.  Where the output
allows it, the filler writes the same markup at once into one :class:`~talkbase.nodes.kb_html`
node instead, whose only child is the section's text for the search index.

"Where the output allows it" (:func:`writes_directly`):

- the ``html`` and ``dirhtml`` builders: every document has its page, and no
  builder step rewrites the links afterwards (``singlehtml`` turns them into
  fragments of its one page, EPUB renames ids; they get the nodes);
- the builder's translator writes the nodes involved exactly as Sphinx's own
  ``HTML5Translator`` does (:data:`STOCK_METHODS`): a translator another extension
  registered with other visitors for them gets the nodes, and writes them its way.

The markup is byte for byte what the translator writes for the nodes the other
builders get (``tests/test_direct_html.py`` builds both and compares them): the
same escaping (:func:`text`, :func:`attribute`), the same ``simple`` class on a
compact list (``html_compact_lists``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.writers._html_base import HTMLTranslator as DocutilsHTMLTranslator
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.writers.html5 import HTML5Translator

from talkbase.nodes import kb_html

if TYPE_CHECKING:
    from sphinx.builders import Builder

#: The translator methods whose output :mod:`talkbase.direct_html`'s writers repeat.
STOCK_METHODS = (
    "starttag", "attval", "encode", "is_compactable",
    "visit_Text", "depart_Text", "visit_container", "depart_container", "visit_rubric", "depart_rubric",
    "visit_bullet_list", "depart_bullet_list", "visit_list_item", "depart_list_item",
    "visit_paragraph", "depart_paragraph", "visit_reference", "depart_reference",
)  # fmt: skip

#: docutils' escapes of text and attribute values (``HTMLTranslator.special_characters``).
_ESCAPES = DocutilsHTMLTranslator.special_characters
_ATTRIBUTE_SPACE = re.compile("[\n\r\t\v\f]")


def writes_directly(builder: Builder) -> bool:
    """Whether talkbase may write its generated lists as HTML for ``builder`` (write phase)."""
    if type(builder) not in (StandaloneHTMLBuilder, DirectoryHTMLBuilder):
        return False
    translator = builder.get_translator_class()
    return all(getattr(translator, name, None) is getattr(HTML5Translator, name) for name in STOCK_METHODS)


def text(value: str) -> str:
    """``value`` as the translator writes a text node (``HTMLTranslator.encode``)."""
    return value.translate(_ESCAPES)


def attribute(value: str) -> str:
    """``value`` as the translator writes an attribute value (``HTMLTranslator.attval``)."""
    return _ATTRIBUTE_SPACE.sub(" ", value).translate(_ESCAPES)


def compact_class(builder: Builder) -> str:
    """The class the translator gives a list whose items are one paragraph each
    (``simple``, unless ``html_compact_lists`` is off), with its leading space."""
    return " simple" if builder.config.html_compact_lists else ""


def html_node(markup: str, words: list[str]) -> kb_html:
    """A :class:`~talkbase.nodes.kb_html` writing ``markup``; ``words``, the texts of the
    nodes it stands for, are its text for Sphinx's search index (the same words)."""
    return kb_html("", nodes.Text(" ".join(words)), html=markup)


def link(reference: nodes.Node) -> str | None:
    """``<a …>text</a>``: the translator's markup of an internal ``reference`` showing one
    text, or ``None`` for any other node (a ``pending_xref`` left to Sphinx, a mail link)."""
    if not isinstance(reference, nodes.reference) or len(reference.children) != 1:
        return None
    content = reference.children[0]
    href = reference.get("refuri")
    href = (href or "#") if href is not None else "#" + reference["refid"]
    if (
        not isinstance(content, nodes.Text)
        or not reference.get("internal")
        or href.startswith("mailto:")  # the translator may cloak it
        or reference["ids"]
        or any(name in reference for name in ("target", "rel", "secnumber"))
        or any(name.startswith("language-") for name in reference["classes"])
    ):
        return None
    classes = " ".join(dict.fromkeys([*reference["classes"], "reference", "internal"]))
    title = f' title="{attribute(reference["reftitle"])}"' if "reftitle" in reference else ""
    return f'<a class="{attribute(classes)}" href="{attribute(href)}"{title}>{text(content)}</a>'

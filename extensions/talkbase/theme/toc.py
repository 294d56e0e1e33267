""" "On this page" for pages with talks: the page's sections, each talk and the talk's own parts.

A talk's parts are the rubrics its author writes in it (sections cannot be nested in a
directive), which Sphinx's table of contents never lists; a page holding one talk showed
an empty "On this page".

- When each page's doctree is resolved (``doctree-resolved``, HTML builders): every
  rubric the author wrote in a talk gets an id, ``<talk anchor>-<slug of its text>``,
  so it can be linked (talkbase's own rubrics, "Referenced by" and "Cite this", are
  left alone).
- When the page is written (``html-page-context``, talkbase theme only): on a page
  with talks, ``toc`` is rebuilt from the doctree (sections, talks in them, each
  talk's rubrics, in document order) in the nested-list shape of Sphinx's own, and
  ``display_toc`` is set when there is anything to show.  Pages without talks keep
  Sphinx's table of contents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes

from talkbase.domain import kb_domain
from talkbase.nodes import kb_object
from talkbase.theme import uses_theme
from talkbase.values import slugify

if TYPE_CHECKING:
    from sphinx.application import Sphinx


@dataclass(slots=True)
class Entry:
    title: str
    href: str
    children: list[Entry] = field(default_factory=list)


def talk_rubrics(talk: kb_object) -> list[nodes.rubric]:
    """The rubrics the author wrote in ``talk`` (not in an object nested in it, not talkbase's)."""
    found = []
    for rubric in talk.findall(nodes.rubric):
        owner = rubric.parent
        while owner is not None and not isinstance(owner, kb_object):
            owner = owner.parent
        if owner is talk and not any(str(name).startswith("kb-") for name in rubric["classes"]):
            found.append(rubric)
    return found


def add_rubric_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the rubrics of each talk an id (``doctree-resolved``, HTML builders)."""
    if app.builder.format != "html":
        return
    for talk in doctree.findall(kb_object):
        if talk.get("objtype") != "talk" or not talk["ids"]:
            continue
        for rubric in talk_rubrics(talk):
            if not rubric["ids"]:
                base = f"{talk['ids'][0]}-{slugify(rubric.astext()) or 'part'}"
                node_id, number = base, 1
                while node_id in doctree.ids:  # two parts with the same text, or a clash
                    number += 1
                    node_id = f"{base}-{number}"
                rubric["ids"].append(node_id)
                doctree.ids[node_id] = rubric


def entries(app: Sphinx, node: nodes.Element) -> list[Entry]:
    """The sections and talks under ``node``, in document order."""
    found: list[Entry] = []
    for child in node.children:
        if isinstance(child, nodes.section) and child["ids"]:
            title = child.next_node(nodes.title)
            found.append(Entry(title.astext() if title else "", "#" + child["ids"][0], entries(app, child)))
        elif isinstance(child, kb_object) and child.get("objtype") == "talk" and child["ids"]:
            record = kb_domain(app.env).index.get("talk", str(child.get("kbid", "")))
            parts = [Entry(rubric.astext(), "#" + rubric["ids"][0]) for rubric in talk_rubrics(child) if rubric["ids"]]
            found.append(Entry(record.title if record else child["ids"][0], "#" + child["ids"][0], parts))
        elif isinstance(child, nodes.Element):
            found.extend(entries(app, child))
    return found


def toc_html(items: list[Entry]) -> str:
    """Entries as Sphinx writes its ``toc``: nested lists of internal links."""
    if not items:
        return ""
    lines = ["<ul>"]
    for item in items:
        link = f'<a class="reference internal" href="{escape(item.href)}">{escape(item.title)}</a>'
        lines.append(f"<li>{link}{toc_html(item.children)}</li>")
    lines.append("</ul>")
    return "\n".join(lines) + "\n"


def count(items: list[Entry]) -> int:
    return sum(1 + count(item.children) for item in items)


def page_toc(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """ "On this page" with the talks and their parts (``html-page-context``)."""
    if not uses_theme(context) or not isinstance(doctree, nodes.document):
        return
    if not any(node.get("objtype") == "talk" for node in doctree.findall(kb_object)):
        return
    items = entries(app, doctree)
    if len(items) == 1 and items[0].href.startswith("#"):
        items[0].href = "#"  # the page title: Sphinx links it to the top of the page
    context["toc"] = toc_html(items)
    # Like Sphinx: worth showing when there is more than the page title.
    context["display_toc"] = count(items) > 1


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", add_rubric_ids)
    app.connect("html-page-context", page_toc)

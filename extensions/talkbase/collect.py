"""Recording, while a document is read, every reference it makes.

Roles and id-taking options (``:speakers:``, ``:event:``, ``:talk:``, ``:see:``)
all produce ``pending_xref`` nodes; Sphinx's ``{term}`` does too.  One walk over
them after parsing gives the references used for backlinks and for deciding
which pages to rewrite when an object changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from talkbase.model import Ref
from talkbase.nodes import kb_object
from talkbase.values import fold, slugify

if TYPE_CHECKING:
    from docutils.nodes import Element

_KB_TYPES = {"talk": "talk", "speaker": "speaker", "event": "event", "rec": "rec", "term": "term"}


def collect_refs(docname: str, document: nodes.document) -> list[Ref]:
    """Every kb reference and ``{term}`` of ``document``, in document order."""
    refs = []
    for xref in document.findall(addnodes.pending_xref):
        domain, reftype = xref.get("refdomain"), xref.get("reftype")
        target = xref.get("reftarget", "")
        if domain == "kb" and reftype in _KB_TYPES:
            objtype = _KB_TYPES[reftype]
            key = fold(target) if objtype == "term" else slugify(target)
        elif domain == "std" and reftype == "term":
            objtype, key = "term", fold(target)
        else:
            continue
        refs.append(
            Ref(
                docname=docname,
                lineno=_line(xref),
                target_type=objtype,
                target=key,
                via=xref.get("kb_via", reftype),
                source=_enclosing_object(xref),
                node_id=xref.get("kb_node_id", ""),
            )
        )
    return refs


def _line(node: Element) -> int:
    current: Element | None = node
    while current is not None:
        if current.line:
            return int(current.line)
        current = current.parent
    return 0


def _enclosing_object(node: Element) -> tuple[str, str] | None:
    current = node.parent
    while current is not None:
        if isinstance(current, kb_object) and current.get("kbid"):
            return str(current["objtype"]), str(current["kbid"])
        current = current.parent
    return None

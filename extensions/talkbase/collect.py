"""Recording, while a document is read, every reference it makes.

Roles and id-taking options (``:speakers:``, ``:event:``, ``:talk:``, ``:see:``)
all produce ``pending_xref`` nodes; Sphinx's ``{term}`` and ``{any}`` do too.  One walk over
them after parsing gives the references used for backlinks and for deciding
which pages to rewrite when an object changes.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from talkbase.model import ANY, ROLE_TYPES, Ref, anchor_for
from talkbase.nodes import kb_object
from talkbase.values import fold, slugify

if TYPE_CHECKING:
    from docutils.nodes import Element



def collect_refs(docname: str, document: nodes.document) -> list[Ref]:
    """Every kb reference and ``{term}`` of ``document``, in document order (read phase).

    A reference made by a role is wrapped in a span with an id, so that "Referenced
    by" can link to the exact spot; one made by an option points at its object.
    """
    refs: list[Ref] = []
    for xref in list(document.findall(addnodes.pending_xref)):
        domain, reftype = xref.get("refdomain"), xref.get("reftype")
        target = xref.get("reftarget", "")
        if domain == "kb" and reftype in ROLE_TYPES:
            objtype = ROLE_TYPES[reftype]
            key = fold(target) if objtype == "term" else slugify(target)
        elif domain == "std" and reftype == "term":
            objtype, key = "term", fold(target)
        elif not domain and reftype == "any":
            # Shows an object's title when it names one (resolve_any_xref): found after reading.
            objtype, key = ANY, target
        else:
            continue
        source = _enclosing_object(xref)
        via = xref.get("kb_via", "")
        # Links from an object's options point back at the object; roles at a spot in the text.
        spot = (anchor_for(*source) if source else "") if via else _mark_spot(document, xref, len(refs))
        # Interned: thousands of references name the same few hundred objects, and the
        # pickled environment then writes each target once (a memo reference after that).
        refs.append(Ref(docname, _line(xref), objtype, sys.intern(key), sys.intern(via or reftype), source, spot))
    return refs


def _mark_spot(document: nodes.document, xref: Element, serial: int) -> str:
    spot = f"kbref-{serial}"
    while spot in document.ids:
        spot += "x"
    wrapper = nodes.inline(ids=[spot], classes=["kb-ref-spot"])
    xref.replace_self(wrapper)
    wrapper += xref
    document.ids[spot] = wrapper
    return spot


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

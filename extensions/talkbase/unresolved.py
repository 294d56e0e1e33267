"""References that do not resolve on their own.

``{term}`` resolves exact texts through Sphinx's standard domain; any other
spelling (case, accents, a translation added later) is looked up here in the
talkbase term index (``missing-reference``).  What still does not resolve gets a
typed talkbase warning instead of Sphinx's untyped one (``warn-missing-reference``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talkbase.domain import kb_domain
from talkbase.model import OBJECT_TYPES, TYPE_NAMES
from talkbase.values import slugify
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from docutils.nodes import Element, reference
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment



def _a(noun: str) -> str:
    """``a talk``, ``an event``."""
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def resolve_term(app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element) -> reference | None:
    """``{term}`` by any spelling of a talkbase term (write phase).

    The link shows the text the author wrote, exactly as Sphinx's own ``{term}``
    does for the spellings it knows: the term's canonical text would put French
    words in English prose ("Le Effet Whuffie").
    """
    if node.get("refdomain") != "std" or node.get("reftype") != "term":
        return None
    domain = kb_domain(env)
    term = domain.index.term(node["reftarget"])
    if term is None:
        return None
    return domain.make_link(app.builder, node.get("refdoc", ""), term, node, contnode, explicit=True)


def warn_unresolved(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """Report a broken kb reference or ``{term}`` as a typed warning (write phase)."""
    target = node.get("reftarget", "")
    reftype = node.get("reftype", "")
    if domain is not None and domain.name == "kb":
        kind = TYPE_NAMES.get(reftype, reftype)
        others = kb_domain(app.env).index.types_of.get(slugify(target), set())
        via = f":{node['kb_via']}:" if node.get("kb_via") else f"{{{reftype}}}"
        if others:
            found = ", ".join(TYPE_NAMES[t] for t in OBJECT_TYPES if t in others)
            warn(Subtype.WRONG_TYPE, f"{via} {target!r} is {_a(found)}, not {_a(kind)}", location=node)
        else:
            warn(Subtype.UNKNOWN_REF, f"{via} names no {kind} with id {target!r}", location=node)
        return True
    if domain is not None and domain.name == "std" and reftype == "term":
        warn(Subtype.UNKNOWN_TERM, f"{{term}} {target!r} is not a glossary term", location=node)
        return True
    return None


def setup(app: Sphinx) -> None:
    app.connect("missing-reference", resolve_term)
    app.connect("warn-missing-reference", warn_unresolved)

"""Deciding, after reading, which unchanged pages must be written again.

A page shows things about other pages: the titles of the objects it links to
and their hover previews (``KBIndex.link_shown``), the date a talk inherits from
its event, the recommendations and talks attached to its objects, its listings
and graphs (each placeholder filler's ``shown``), the summaries of its own
objects in its metadata.  For every page a fingerprint of those things is kept
in the domain data; a page whose fingerprint changed since the last build is
returned from ``env-updated`` so Sphinx rewrites it, and no other page is.

The same hook reports the problems only visible across pages (duplicate ids,
term texts claimed twice), on every build so ``-W`` keeps failing until fixed.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from talkbase import placeholders
from talkbase.domain import kb_domain
from talkbase.model import TYPE_NAMES
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from talkbase.index import KBIndex
    from talkbase.model import DocData

#: Priority of the ``env-updated`` handler: after sphinxcontrib-bibtex's (500), which
#: formats the citations that summaries show.
PRIORITY = 600


def fingerprint(index: KBIndex, data: DocData | None) -> str:
    """A digest of everything a page shows that other pages define."""
    if data is None:
        return ""
    shown: list[object] = []
    for ref in data.refs:
        target = index.resolve(ref)
        # A link shows its target's title and, in HTML, its preview (the summary).
        shown.append(("missing", ref.target_type, ref.target) if target is None else index.link_shown(target))
    shown.extend((query.kind, query.params, placeholders.shown(index, query)) for query in data.queries)
    # Which of two same-id definitions wins decides what links and anchors show; the
    # page's metadata shows its objects' summaries, where citations and {doc} titles
    # come from elsewhere.
    shown.extend((index.get(r.objtype, r.id) is r, index.summary(r)) for r in data.objects)
    return digest(shown)


def report_clashes(index: KBIndex) -> None:
    for clash in index.duplicates:
        kind = TYPE_NAMES[clash.loser.objtype]
        warn(
            Subtype.DUPLICATE_ID,
            f"duplicate {kind} id {clash.loser.id!r}: already defined in {clash.winner.docname}, "
            f"line {clash.winner.lineno}; this definition is not linkable",
            location=(clash.loser.docname, clash.loser.lineno),
        )
    for clash in index.term_clashes:
        warn(
            Subtype.DUPLICATE_TERM,
            f"term {clash.loser.id!r}: {clash.text!r} already names term {clash.winner.id!r} "
            f"({clash.winner.docname}, line {clash.winner.lineno}); {{term}} links it there",
            location=(clash.loser.docname, clash.loser.lineno),
        )


def report_query_problems(index: KBIndex, docs: dict[str, DocData]) -> None:
    """Listing filters naming objects that do not exist, and the like."""
    for docname in sorted(docs):
        for query in docs[docname].queries:
            check = getattr(placeholders.FILLERS.get(query.kind), "problems", None)
            for subtype, message in check(index, query) if check else ():
                warn(subtype, message, location=(docname, query.lineno))


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Validate across pages and return the pages to rewrite (after reading)."""
    domain = kb_domain(env)
    index = domain.index
    report_clashes(index)
    report_query_problems(index, domain.docs)
    if not domain.changed and domain.fingerprints.keys() == env.all_docs.keys():
        # Nothing was read or removed: every fingerprint (a function of the domain data, the
        # page titles and the citations, all only changed by reading) is the one stored last time.
        return []
    return changed_pages(
        domain.fingerprints, env.all_docs, lambda docname: fingerprint(index, domain.docs.get(docname))
    )


def digest(shown: object) -> str:
    """The fingerprint of what a page shows ("" when it shows nothing of other pages)."""
    return hashlib.sha256(repr(shown).encode()).hexdigest() if shown else ""


def changed_pages(stored: dict[str, str], docnames: Iterable[str], current: Callable[[str], str]) -> list[str]:
    """Store every page's new fingerprint; return the pages whose fingerprint changed.

    A page without a stored fingerprint was just read, so Sphinx writes it anyway.
    """
    outdated = []
    for docname in sorted(docnames):
        fingerprint_now = current(docname)
        previous = stored.get(docname)
        if previous is not None and previous != fingerprint_now:
            outdated.append(docname)
        stored[docname] = fingerprint_now
    return outdated


def setup(app: Sphinx) -> None:
    # After sphinxcontrib-bibtex labels its citations (priority 500): summaries show them.
    app.connect("env-updated", on_env_updated, priority=PRIORITY)

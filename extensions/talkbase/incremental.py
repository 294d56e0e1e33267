"""Deciding, after reading, which unchanged pages must be written again.

A page shows things about other pages: the titles of the objects it links to,
the date a talk inherits from its event, the recommendations and talks attached
to its objects.  For every page a fingerprint of those things is kept in the
domain data; a page whose fingerprint changed since the last build is returned
from ``env-updated`` so Sphinx rewrites it, and no other page is.

Which pages are fingerprinted again (:func:`pages_to_fingerprint`) is kept apart
from what a fingerprint covers (:func:`fingerprint`).  Every fingerprint is a
function of the domain data of all documents, their page titles and, for
summaries citing through other domains, those domains.  When every document this
build purged came back with the same data and title, and no summary cites through
another domain, no other page's fingerprint can have changed: only the pages just
read are fingerprinted (a body edit costs the size of the edit, not of the project).

The same hook reports the problems only visible across pages (duplicate ids,
term texts claimed twice), on every build so ``-W`` keeps failing until fixed.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from talkbase import placeholders
from talkbase.domain import kb_domain
from talkbase.model import TYPE_NAMES, Mention
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from talkbase.domain import KBDomain
    from talkbase.index import KBIndex
    from talkbase.model import DocData


def fingerprint(index: KBIndex, data: DocData | None) -> str:
    """A digest of everything a page shows that other pages define."""
    if data is None:
        return ""
    shown: list[object] = []
    for ref in data.refs:
        target = index.resolve(ref)
        if target is None:
            shown.append(("missing", ref.target_type, ref.target))
        else:
            # The target's summary shows the titles it links to (previews, metadata).
            shown.append((target.shown(), index.summary_shown(target)))
    shown.extend((query.kind, query.params, placeholders.shown(index, query)) for query in data.queries)
    # Which of two same-id definitions wins decides what links and anchors show.
    shown.extend(index.get(r.objtype, r.id) is r for r in data.objects)
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
        # Nothing was read or removed: every fingerprint (a function of the domain data and
        # the page titles, both only changed by reading) is the one stored last time.
        return []
    pages = pages_to_fingerprint(domain, env)
    domain.forget_before()
    return changed_pages(domain.fingerprints, pages, lambda docname: fingerprint(index, domain.docs.get(docname)))


def remember_before_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Keep a document's data and title before Sphinx purges them (``env-purge-doc``, before
    the title collector's handler)."""
    title = env.titles.get(docname)
    kb_domain(env).remember_before_purge(docname, title.astext() if title is not None else None)


def pages_to_fingerprint(domain: KBDomain, env: BuildEnvironment) -> Iterable[str]:
    """The pages whose fingerprint may have changed in this build (after reading).

    Every page, unless each document purged in this build was read again into the same
    data and title (a body edit): then only the pages without a stored fingerprint (the
    ones just read).  Summaries citing through other domains ({doc}, {ref}, citations)
    may show text those domains changed while our data stayed the same: with any such
    summary in the project, every page is fingerprinted.
    """
    purged = domain.purged_before()
    unfingerprinted = [docname for docname in env.all_docs if docname not in domain.fingerprints]
    same_again = (
        bool(purged)
        # A new document (read, never purged) adds objects other pages may list.
        and all(docname in purged for docname in unfingerprinted)
        and all(
            docname in env.all_docs
            and data == domain.docs.get(docname)
            and title == (env.titles[docname].astext() if docname in env.titles else None)
            for docname, (data, title) in purged.items()
        )
    )
    if same_again and not _cites_elsewhere(domain.docs.values()):
        return unfingerprinted
    return env.all_docs


def _cites_elsewhere(docs: Iterable[DocData]) -> bool:
    return any(
        isinstance(part, Mention) and part.domain != "kb"
        for data in docs
        for record in data.objects
        for part in record.summary
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
    app.connect("env-purge-doc", remember_before_purge, priority=100)
    app.connect("env-updated", on_env_updated)

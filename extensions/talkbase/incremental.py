"""Deciding, after reading, which unchanged pages must be written again.

A page shows things about other pages: the titles of the objects it links to,
the date a talk inherits from its event, the recommendations and talks attached
to its objects.  For every page a fingerprint of those things is kept in the
domain data; a page whose fingerprint changed since the last build is returned
from ``env-updated`` so Sphinx rewrites it, and no other page is.

The same hook reports the problems only visible across pages (duplicate ids,
term texts claimed twice), on every build so ``-W`` keeps failing until fixed.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from talkbase.domain import kb_domain
from talkbase.model import Event, Speaker, Talk
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from talkbase.index import KBIndex

_NAMES = {"event": "event", "talk": "talk", "speaker": "speaker", "rec": "recommendation", "term": "term"}


def fingerprint(index: KBIndex, docs_objects: list[object], docname: str) -> str:
    """A digest of everything ``docname`` shows that other pages define."""
    shown: list[object] = []
    for ref in index.refs_from.get(docname, ()):
        target = index.resolve(ref)
        shown.append(target.shown() if target else ("missing", ref.target_type, ref.target))
    for record in docs_objects:
        if isinstance(record, Talk):
            event = index.get("event", record.event)
            shown.append(("event", event.shown() if event else None))
            shown.append(tuple(rec.shown() for rec in index.recs_by_talk.get(record.id, ())))
        elif isinstance(record, Speaker):
            shown.append(tuple(talk.shown() for talk in index.talks_by_speaker.get(record.id, ())))
        elif isinstance(record, Event):
            shown.append(tuple(talk.shown() for talk in index.talks_by_event.get(record.id, ())))
    if not shown:
        return ""
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def report_clashes(index: KBIndex) -> None:
    for clash in index.duplicates:
        kind = _NAMES[clash.loser.objtype]
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


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Validate across pages and return the pages to rewrite (after reading)."""
    domain = kb_domain(env)
    index = domain.index
    report_clashes(index)
    outdated = []
    for docname in sorted(env.all_docs):
        data = domain.docs.get(docname)
        current = fingerprint(index, list(data.objects) if data else [], docname)
        previous = domain.fingerprints.get(docname)
        if previous is not None and previous != current:
            outdated.append(docname)
        domain.fingerprints[docname] = current
    return outdated


def setup(app: Sphinx) -> None:
    app.connect("env-updated", on_env_updated)

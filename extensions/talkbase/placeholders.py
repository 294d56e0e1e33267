"""Filling, just before references are resolved, what a page shows about other pages.

A directive cannot know, while its page is read, the event date a talk inherits,
the recommendations attached to a talk from other pages or the talks of a
speaker.  It leaves a :class:`~talkbase.nodes.kb_placeholder`; this
post-transform replaces it from the domain's indexes, so the page is right
whenever it is written — and the fingerprints in :mod:`talkbase.incremental`
make sure it is rewritten when those other pages change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform

from talkbase import render
from talkbase.l10n import format_date
from talkbase.domain import KBDomain, kb_domain
from talkbase.model import Recommendation, Record, Talk
from talkbase.nodes import kb_placeholder

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from docutils.nodes import Node
    from sphinx.application import Sphinx

_ = get_translation("talkbase")


class FillPlaceholders(SphinxPostTransform):
    """Replace every ``kb_placeholder`` (write phase, before reference resolution)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = kb_domain(self.env)
        for placeholder in list(self.document.findall(kb_placeholder)):
            filler = FILLERS.get(placeholder["kind"])
            replacement = filler(self, placeholder, domain) if filler else []
            if replacement:
                placeholder.replace_self(replacement)
            else:
                placeholder.parent.remove(placeholder)

    def links(self, node: kb_placeholder, domain: KBDomain, records: Sequence[Record]) -> list[Node]:
        builder = self.app.builder
        return render.joined([domain.make_link(builder, node["docname"], r, None, None) for r in records])


def _talk_date(self: FillPlaceholders, node: kb_placeholder, domain: KBDomain) -> list[Node]:
    talk = domain.index.get("talk", node["kbid"])
    date = domain.index.talk_date(talk) if isinstance(talk, Talk) else ""
    if not date:
        return []
    text = format_date(date, self.config.language)
    return [render.field(_("Date"), nodes.Text(text), name="date")]


def _related(label: str, kind: str, lookup: Callable[[KBDomain, str], Sequence[Record]]) -> Any:
    def fill(self: FillPlaceholders, node: kb_placeholder, domain: KBDomain) -> list[Node]:
        records = lookup(domain, node["kbid"])
        if not records:
            return []
        return [render.field(label, *self.links(node, domain, records), name=kind)]

    return fill


def _recs_of(domain: KBDomain, talk: str) -> Sequence[Recommendation]:
    return domain.index.recs_by_talk.get(talk, [])


def _talks_of_speaker(domain: KBDomain, speaker: str) -> Sequence[Talk]:
    return domain.index.talks_by_speaker.get(speaker, [])


def _talks_of_event(domain: KBDomain, event: str) -> Sequence[Talk]:
    return domain.index.talks_by_event.get(event, [])


FILLERS: dict[str, Any] = {
    "talk-date": _talk_date,
    "talk-recommendations": _related(_("Recommendations"), "recommendations", _recs_of),
    "speaker-talks": _related(_("Talks"), "talks", _talks_of_speaker),
    "event-talks": _related(_("Talks"), "talks", _talks_of_event),
}


def placeholder(kind: str, kbid: str, docname: str) -> kb_placeholder:
    """Mark where ``kind`` of content about object ``kbid`` goes (read phase)."""
    return kb_placeholder(kind=kind, kbid=kbid, docname=docname)


def setup(app: Sphinx) -> None:
    app.add_post_transform(FillPlaceholders)

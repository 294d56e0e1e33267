"""Fields an object shows about its relations: a talk's inherited date and its
recommendations, a speaker's talks, an event's talks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import get_translation

from talkbase import dependencies, render
from talkbase.l10n import format_date
from talkbase.model import Talk
from talkbase.placeholders import NoProblems

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from docutils.nodes import Node

    from talkbase.dependencies import Fact
    from talkbase.lookup import KBIndex
    from talkbase.model import ObjectParams, Query, Record
    from talkbase.placeholders import FillContext, Filler

_ = get_translation("talkbase")


class TalkDate(NoProblems):
    """The date of a talk without ``:date:``: its event's."""

    def _date(self, index: KBIndex, query: Query[ObjectParams]) -> str:
        talk = index.get("talk", query.params.id)
        return index.talk_date(talk) if isinstance(talk, Talk) else ""

    def shown(self, index: KBIndex, query: Query[ObjectParams]) -> object:
        return self._date(index, query)

    def depends(self, index: KBIndex, query: Query[ObjectParams]) -> Iterator[Fact]:
        yield dependencies.obj("talk", query.params.id)
        talk = index.get("talk", query.params.id)
        if isinstance(talk, Talk):
            yield dependencies.obj("event", talk.event)

    def fill(self, context: FillContext, query: Query[ObjectParams]) -> list[Node]:
        date = self._date(context.index, query)
        if not date:
            return []
        text = format_date(date, context.config.language)
        return [render.field(_("Date"), nodes.Text(text), name="date")]


@dataclass(frozen=True)
class RelatedField(NoProblems):
    """A field listing the objects related to one object, as links."""

    label: str
    name: str
    #: The relation of the index it shows (one of :data:`talkbase.dependencies.RELATIONS`).
    relation: str

    def lookup(self, index: KBIndex, objid: str) -> Sequence[Record]:
        records: Sequence[Record] = getattr(index, self.relation).get(objid, [])
        return records

    def shown(self, index: KBIndex, query: Query[ObjectParams]) -> object:
        return tuple(map(index.link_shown, self.lookup(index, query.params.id)))

    def depends(self, index: KBIndex, query: Query[ObjectParams]) -> Iterator[Fact]:
        yield dependencies.relation(self.relation, query.params.id)
        yield from dependencies.links(index, self.lookup(index, query.params.id))

    def fill(self, context: FillContext, query: Query[ObjectParams]) -> list[Node]:
        records = self.lookup(context.index, query.params.id)
        if not records:
            return []
        return [render.field(self.label, *context.links(records), name=self.name)]


def fillers() -> dict[str, Filler[ObjectParams]]:
    """The fillers of the fields above, by query kind (see :func:`talkbase.placeholders.setup`)."""
    return {
        "talk-date": TalkDate(),
        "talk-recommendations": RelatedField(_("Recommendations"), "recommendations", "recs_by_talk"),
        "speaker-talks": RelatedField(_("Talks"), "talks", "talks_by_speaker"),
        "event-talks": RelatedField(_("Talks"), "talks", "talks_by_event"),
    }

"""Fields an object shows about its relations: a talk's inherited date and its
recommendations, a speaker's talks, an event's talks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import get_translation

from talkbase import render
from talkbase.l10n import format_date
from talkbase.model import Talk
from talkbase.placeholders import register

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from docutils.nodes import Node

    from talkbase.lookup import KBIndex
    from talkbase.model import Query, Record
    from talkbase.placeholders import FillContext

_ = get_translation("talkbase")


class TalkDate:
    """The date of a talk without ``:date:``: its event's."""

    def _date(self, index: KBIndex, query: Query) -> str:
        talk = index.get("talk", str(query.get("id")))
        return index.talk_date(talk) if isinstance(talk, Talk) else ""

    def shown(self, index: KBIndex, query: Query) -> object:
        return self._date(index, query)

    def fill(self, context: FillContext, query: Query) -> list[Node]:
        date = self._date(context.index, query)
        if not date:
            return []
        text = format_date(date, context.config.language)
        return [render.field(_("Date"), nodes.Text(text), name="date")]


@dataclass(frozen=True)
class RelatedField:
    """A field listing the objects related to one object, as links."""

    label: str
    name: str
    lookup: Callable[[KBIndex, str], Sequence[Record]]

    def shown(self, index: KBIndex, query: Query) -> object:
        return tuple(map(index.link_shown, self.lookup(index, str(query.get("id")))))

    def fill(self, context: FillContext, query: Query) -> list[Node]:
        records = self.lookup(context.index, str(query.get("id")))
        if not records:
            return []
        return [render.field(self.label, *context.links(records), name=self.name)]


def setup() -> None:
    register("talk-date", TalkDate())
    register(
        "talk-recommendations",
        RelatedField(_("Recommendations"), "recommendations", lambda index, i: index.recs_by_talk.get(i, [])),
    )
    register("speaker-talks", RelatedField(_("Talks"), "talks", lambda index, i: index.talks_by_speaker.get(i, [])))
    register("event-talks", RelatedField(_("Talks"), "talks", lambda index, i: index.talks_by_event.get(i, [])))

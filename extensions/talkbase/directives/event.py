"""The ``event`` directive: a conference, a session day, a meetup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation

from talkbase import render
from talkbase.directives.base import ObjectDirective
from talkbase.l10n import format_range
from talkbase.model import Event, ObjectParams
from talkbase.placeholders import placeholder
from talkbase.warnings import Subtype

if TYPE_CHECKING:
    from docutils.nodes import Node

    from talkbase.model import Record

_ = get_translation("talkbase")


class EventDirective(ObjectDirective):
    objtype = "event"
    option_spec = {
        **ObjectDirective.option_spec,
        "date": directives.unchanged,
        "end": directives.unchanged,
        "place": directives.unchanged,
        "url": directives.unchanged,
        "hashtag": directives.unchanged,
        "series": directives.unchanged,
    }
    required_options = ("date",)
    hash_options = frozenset({"hashtag"})

    def parse_options(self) -> dict[str, Any]:
        date, end = self.date_option("date"), self.date_option("end")
        if date and end and end < date:
            self.warn(Subtype.BAD_DATE, f":end: {end} is before :date: {date}; the end date is ignored")
            end = ""
        return {
            "date": date,
            "end": end,
            "place": self.text_option("place"),
            "url": self.url_option("url"),
            "hashtag": self.text_option("hashtag").lstrip("#"),
            "series": self.text_option("series"),
        }

    def make_record(self, **fields: Any) -> Record:
        return Event(**fields)

    def render(self, record: Record, body: nodes.Element) -> list[Node]:
        assert isinstance(record, Event)
        language = self.config.language
        fields = [
            record.date
            and render.field(_("Date"), nodes.Text(format_range(record.date, record.end, language)), name="date"),
            record.place and render.field(_("Place"), nodes.Text(record.place), name="place"),
            record.series and render.field(_("Series"), nodes.Text(record.series), name="series"),
            record.hashtag and render.field(_("Hashtag"), nodes.Text(f"#{record.hashtag}"), name="hashtag"),
            record.url
            and render.field(_("Website"), render.external_link(record.url, record.url, "website"), name="url"),
            record.id and placeholder(self.env, "event-talks", self.lineno, ObjectParams(record.id)),
        ]
        header = render.card(
            render.title(self.type_label, record.title, self.objtype),
            render.field_list(f or None for f in fields),
            classes=["kb-header"],
        )
        return [header, body]

"""The ``talk`` directive: one session of an event and its recap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation

from talkbase import render
from talkbase.cite.block import cite_this_placeholder
from talkbase.directives.base import CITE_OPTION, ObjectDirective
from talkbase.l10n import format_date, language_name
from talkbase.model import ObjectParams, Talk
from talkbase.placeholders import placeholder
from talkbase.translation import other_language
from talkbase.warnings import Subtype

if TYPE_CHECKING:
    from docutils.nodes import Node

    from talkbase.model import Record

_ = get_translation("talkbase")

#: Keys in ``env.current_document`` (reset for every document).
TALK_STACK = "talkbase:talk-stack"
LAST_TALK = "talkbase:last-talk"


class TalkDirective(ObjectDirective):
    objtype = "talk"
    option_spec = {
        **ObjectDirective.option_spec,
        "speakers": directives.unchanged,
        "event": directives.unchanged,
        "date": directives.unchanged,
        "language": directives.unchanged,
        "slides": directives.unchanged,
        "video": directives.unchanged,
        "tags": directives.unchanged,
        **CITE_OPTION,
    }
    required_options = ("speakers",)

    def parse_options(self) -> dict[str, Any]:
        events = self.ids_option("event")
        if len(events) > 1:
            self.warn(
                Subtype.BAD_VALUE,
                f":event: names {len(events)} events; a talk belongs to one, {events[0]!r} is used",
            )
        return {
            "speakers": tuple(self.ids_option("speakers")),
            "event": events[0] if events else "",
            "date": self.date_option("date"),
            "language": self.language_option("language"),
            "slides": self.url_option("slides"),
            "video": self.url_option("video"),
            "tags": tuple(dict.fromkeys(self.list_option("tags"))),
        }

    def parse_body(self, objid: str) -> nodes.Element:
        state = self.env.current_document
        stack = cast("list[str]", state.setdefault(TALK_STACK, []))
        if stack:
            self.warn(
                Subtype.NESTED_OBJECT, f"talk {objid!r} is nested in talk {stack[-1]!r}; talks cannot contain talks"
            )
        state[LAST_TALK] = objid
        stack.append(objid)
        try:
            return super().parse_body(objid)
        finally:
            stack.pop()

    def make_record(self, **fields: Any) -> Record:
        return Talk(**fields)

    def text_language(self, record: Record) -> str:
        assert isinstance(record, Talk)
        return other_language(record.language, self.config.language)

    def render(self, record: Record, body: nodes.Element) -> list[Node]:
        assert isinstance(record, Talk)
        language = self.config.language
        speakers = [self.xref("speaker", speaker, "speakers") for speaker in record.speakers]
        if record.date:
            date: Node | None = render.field(_("Date"), nodes.Text(format_date(record.date, language)), name="date")
        else:
            date = placeholder(self.env, "talk-date", self.lineno, ObjectParams(record.id)) if record.id else None
        fields = [
            speakers and render.field(_("Speakers"), *render.joined(speakers), name="speakers"),
            record.event and render.field(_("Event"), self.xref("event", record.event, "event"), name="event"),
            date,
            record.language
            and render.field(
                _("Language"), render.in_language(language_name(record.language, language), ""), name="language"
            ),
            record.tags and render.field(_("Tags"), *render.badges(record.tags), name="tags"),
            self.cite_field(),
            record.id and placeholder(self.env, "talk-recommendations", self.lineno, ObjectParams(record.id)),
        ]
        links = [
            render.external_link(_("Slides"), record.slides, "slides") if record.slides else None,
            render.external_link(_("Video"), record.video, "video") if record.video else None,
        ]
        header: list[Node] = [
            render.title(self.type_label, record.title, self.objtype),
            render.field_list(f or None for f in fields),
        ]
        if any(links):
            buttons = nodes.paragraph(classes=["kb-links"])
            buttons.extend(render.joined([link for link in links if link is not None], " "))
            header.append(buttons)
        result: list[Node] = [render.card(*header, classes=["kb-header"]), body]
        if record.id:
            result.append(cite_this_placeholder(self.env, record.id, self.lineno))
        return result

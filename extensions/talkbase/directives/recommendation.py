"""The ``recommendation`` directive: a piece of advice drawn from a talk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation

from talkbase import render
from talkbase.directives.base import CITE_OPTION, ObjectDirective
from talkbase.directives.talk import LAST_TALK, TALK_STACK
from talkbase.model import Recommendation
from talkbase.warnings import Subtype

if TYPE_CHECKING:
    from docutils.nodes import Node

    from talkbase.model import Record
    from talkbase.nodes import kb_object

_ = get_translation("talkbase")


class RecommendationDirective(ObjectDirective):
    objtype = "rec"
    option_spec = {
        **ObjectDirective.option_spec,
        "talk": directives.unchanged,
        "tags": directives.unchanged,
        **CITE_OPTION,
    }

    def parse_options(self) -> dict[str, Any]:
        state = self.env.current_document
        talks = self.ids_option("talk")
        if len(talks) > 1:
            self.warn(Subtype.BAD_VALUE, f":talk: names {len(talks)} talks; {talks[0]!r} is used")
        stack = state.get(TALK_STACK) or []
        #: Nested recommendations need no link to the talk around them.
        self.nested = not talks and bool(stack)
        talk = talks[0] if talks else (stack[-1] if stack else state.get(LAST_TALK) or "")
        if not talk:
            self.warn(
                Subtype.ORPHAN_RECOMMENDATION,
                f"recommendation {(self.arguments or [''])[0]!r} is not in a talk, "
                "has no :talk: and no talk precedes it",
            )
        return {"talk": talk, "tags": tuple(dict.fromkeys(self.list_option("tags")))}

    def make_record(self, **fields: Any) -> Record:
        return Recommendation(**fields)

    def render(self, record: Record, body: nodes.Element) -> list[Node]:
        assert isinstance(record, Recommendation)
        box = self.box = nodes.admonition(classes=["kb-recommendation-box"])
        heading = nodes.title(f"{self.type_label} {record.title}")  # its text, as rawsource
        heading.extend(render.title_parts(self.type_label, record.title))
        box += heading
        fields = [
            record.talk
            and not self.nested
            and render.field(_("Talk"), self.xref("talk", record.talk, "talk"), name="talk"),
            record.tags and render.field(_("Tags"), *render.badges(record.tags), name="tags"),
            self.cite_field(),
        ]
        if any(fields):
            box += render.field_list(f or None for f in fields)
        box += body
        return [box]

    def extras_parent(self, node: kb_object) -> nodes.Element:
        """The recommendation's box (read phase)."""
        # Inside the box: after it, "Referenced by" would read as the surrounding talk's.
        return self.box

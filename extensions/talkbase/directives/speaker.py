"""The ``speaker`` directive: a person who gave talks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation

from talkbase import render
from talkbase.directives.base import ObjectDirective
from talkbase.model import ObjectParams, Speaker
from talkbase.placeholders import placeholder
from talkbase.values import BadValue, check_orcid, clean_text
from talkbase.warnings import Subtype

if TYPE_CHECKING:
    from docutils.nodes import Node

    from talkbase.model import Record

_ = get_translation("talkbase")


class SpeakerDirective(ObjectDirective):
    objtype = "speaker"
    option_spec = {
        **ObjectDirective.option_spec,
        "affiliation": directives.unchanged,
        "url": directives.unchanged,
        "orcid": directives.unchanged,
        "photo": directives.unchanged,
        "family": directives.unchanged,
        "given": directives.unchanged,
        "suffix": directives.unchanged,
        "literal": directives.flag,
    }

    def parse_options(self) -> dict[str, Any]:
        orcid = ""
        if (self.options.get("orcid") or "").strip():
            try:
                orcid = check_orcid(clean_text(self.options["orcid"]))
            except BadValue as exc:
                self.warn(Subtype.BAD_VALUE, f":orcid: {exc}")
        return {
            "affiliation": self.text_option("affiliation"),
            "url": self.url_option("url"),
            "orcid": orcid,
            "photo": self.url_option("photo"),
            **self.name_parts(),
        }

    def name_parts(self) -> dict[str, Any]:
        """How the name splits in citations (``:family:``, ``:given:``, ``:suffix:``, ``:literal:``),
        read with the other options; :func:`talkbase.cite.record.speaker_person` uses them."""
        family, given, suffix = (self.text_option(name) for name in ("family", "given", "suffix"))
        literal = "literal" in self.options
        if literal and (family or given or suffix):
            self.warn(Subtype.BAD_VALUE, ":literal: keeps the name whole; :family:, :given: and :suffix: are ignored")
            family = given = suffix = ""
        elif (given or suffix) and not family:
            self.warn(Subtype.BAD_VALUE, ":given: and :suffix: need :family:; the name is split automatically")
            given = suffix = ""
        return {"family": family, "given": given, "suffix": suffix, "literal_name": literal}

    def make_record(self, **fields: Any) -> Record:
        return Speaker(**fields)

    def render(self, record: Record, body: nodes.Element) -> list[Node]:
        assert isinstance(record, Speaker)
        links = []
        if record.url:
            links.append(render.external_link(_("Website"), record.url, "website"))
        if record.orcid:
            links.append(render.external_link(f"ORCID {record.orcid}", f"https://orcid.org/{record.orcid}", "orcid"))
        fields = [
            record.affiliation and render.field(_("Affiliation"), nodes.Text(record.affiliation), name="affiliation"),
            links and render.field(_("Links"), *render.joined(links, " "), name="links"),
            record.id and placeholder(self.env, "speaker-talks", self.lineno, ObjectParams(record.id)),
        ]
        header: list[Node] = []
        if record.photo:
            header.append(nodes.image(uri=record.photo, alt=record.title, classes=["kb-photo"]))
        header += [
            render.title(self.type_label, record.title, self.objtype),
            render.field_list(f or None for f in fields),
        ]
        return [render.card(*header, classes=["kb-header"]), body]

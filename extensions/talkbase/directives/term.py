"""The ``term`` directive: a glossary entry, in one language with translations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation

from talkbase import render
from talkbase.directives.base import CITE_OPTION, ObjectDirective
from talkbase.model import Term
from talkbase.translation import TITLE_CLASS
from talkbase.values import BadValue, check_language, split_list
from talkbase.warnings import Subtype

if TYPE_CHECKING:
    from docutils.nodes import Node

    from talkbase.model import Record

_ = get_translation("talkbase")


class TermDirective(ObjectDirective):
    objtype = "term"
    option_spec = {
        **ObjectDirective.option_spec,
        "lang": directives.unchanged,
        "translations": directives.unchanged,
        "aliases": directives.unchanged,
        "see": directives.unchanged,
        **CITE_OPTION,
    }

    def parse_options(self) -> dict[str, Any]:
        return {
            "lang": self.language_option("lang") or self.config.language or "en",
            "translations": tuple(self.translations()),
            "aliases": tuple(dict.fromkeys(self.list_option("aliases"))),
            "see": tuple(self.ids_option("see")),
        }

    def translations(self) -> list[tuple[str, str]]:
        """``en: proxemics, de: Proxemik``; a bad pair is warned about and, if it has a text, kept."""
        if not (self.options.get("translations") or "").strip():
            return []
        items, had_empty = split_list(self.text_option("translations"))
        if had_empty:
            self.warn(Subtype.BAD_VALUE, f":translations: {self.options['translations']!r} has an empty item")
        pairs = []
        for item in items:
            code, sep, text = (part.strip() for part in item.partition(":"))
            if not sep or not code or not text:
                self.warn(Subtype.BAD_VALUE, f":translations: {item!r} is not of the form 'lang: text'")
                continue
            try:
                code = check_language(code)
            except BadValue as exc:
                self.warn(Subtype.BAD_LANGUAGE, f":translations: {exc}; the translation is kept without a language")
                code = "und"
            pairs.append((code, text))
        return pairs

    def make_record(self, **fields: Any) -> Record:
        if self.title_translated:
            # Translated by the project's catalogue: the term reads in the build's language
            # and the name as written becomes one of its translations (docs/i18n.md).
            others = tuple(pair for pair in fields["translations"] if pair[1] != fields["title"])
            fields["translations"] = ((fields["lang"], self.source_title), *others)
            fields["lang"] = self.config.language or fields["lang"]
        return Term(**fields)

    def registered(self, record: Record, anchor: str) -> None:
        """Make Sphinx's ``{term}`` and ``std:term`` inventory entries know every name."""
        assert isinstance(record, Term)
        std = self.env.domains.standard_domain
        # The title as typed too, when smart quotes curled it: the inventory knows both.
        for name in dict.fromkeys((*record.names, self.source_title)):
            # Another term already owns this text: talkbase reports the clash
            # (talkbase.duplicate-term) after reading, so don't let Sphinx warn untyped.
            if ("term", name) not in std.objects:
                std.note_object("term", name, anchor, location=self.get_location())

    def render(self, record: Record, body: nodes.Element) -> list[Node]:
        assert isinstance(record, Term)
        page_language = self.config.language or "en"
        text_language = record.lang if record.lang != page_language else ""
        term = nodes.term("", "", render.in_language(record.title, text_language), classes=[TITLE_CLASS])
        classifier = nodes.classifier(record.lang, record.lang, classes=["kb-term-lang"])
        translations = [
            [render.in_language(text, code), nodes.Text(f" ({code})")] for code, text in record.translations
        ]
        see = [self.xref("term", target, "see") for target in record.see]
        fields = [
            translations
            and render.field(
                _("Translations"),
                *render.joined([nodes.inline("", "", *pair) for pair in translations]),
                name="translations",
            ),
            record.aliases and render.field(_("Aliases"), nodes.Text(", ".join(record.aliases)), name="aliases"),
            see and render.field(_("See also"), *render.joined(see), name="see"),
            self.cite_field(),
        ]
        definition = nodes.definition()
        if any(fields):
            definition += render.field_list(f or None for f in fields)
        definition += body
        item = nodes.definition_list_item("", term, classifier, definition)
        return [nodes.definition_list("", item, classes=["glossary", "kb-term-entry"])]

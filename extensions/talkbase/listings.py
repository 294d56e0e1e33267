"""Listing directives: ``talk-list``, ``speaker-list``, ``event-list``,
``recommendation-list`` and ``term-list``.

A listing is a query over the whole project, recorded while its page is read
and answered from the domain's indexes when the page is written; its
``shown()`` value makes an incremental build rewrite the page whenever the
listing's result changes (an object added, renamed, moved or removed elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from talkbase import collation, render
from talkbase.l10n import format_date
from talkbase.model import TYPE_LABELS, Event, ListingParams, Recommendation, Record, Speaker, Talk, Term
from talkbase.nodes import kb_card, kb_card_grid
from talkbase.options import CheckedOptions
from talkbase.placeholders import Problem, placeholder
from talkbase.values import slugify, split_list
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from docutils.nodes import Node
    from sphinx.application import Sphinx

    from talkbase.lookup import KBIndex
    from talkbase.model import Query
    from talkbase.placeholders import CheckContext, FillContext

_ = get_translation("talkbase")

FILTERS = ("event", "speaker", "talk", "tag", "lang")
SORTS = ("date", "-date", "title", "name")
STYLES = ("list", "table", "cards")
#: Filters naming objects, checked after reading: option -> object type.
ID_FILTERS = {"event": "event", "speaker": "speaker", "talk": "talk"}
#: Widest column of a table listing in plain text, in characters.
TEXT_COLUMN_WIDTH = 40


def _choice(values: Sequence[str]) -> Callable[[str | None], str]:
    def convert(argument: str | None) -> str:
        return directives.choice((argument or "").strip(), values)

    return convert


class ListingDirective(CheckedOptions, SphinxDirective):
    """Base of the five listings (read phase: records the query)."""

    objtype: ClassVar[str]
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **dict.fromkeys(FILTERS, directives.unchanged),
        "sort": _choice(SORTS),
        "limit": directives.positive_int,
        "style": _choice(STYLES),
    }

    def run(self) -> list[Node]:
        self.check_options()
        filters: dict[str, tuple[str, ...]] = {}
        for name in FILTERS:
            if name in self.options:
                items, had_empty = split_list(self.options[name])
                if had_empty:
                    warn(
                        Subtype.BAD_VALUE,
                        f":{name}: {self.options[name]!r} has an empty item",
                        location=self.get_location(),
                    )
                keys = [item.lower() if name == "lang" else slugify(item) for item in items]
                filters[name] = tuple(dict.fromkeys(key for key in keys if key))
        params = ListingParams(
            self.objtype,
            **filters,
            sort=self.options.get("sort", ""),
            limit=self.options.get("limit", 0),
            style=self.options.get("style", "list"),
            # Names sort for a reader of the project's language (talkbase.collation); the
            # query carries it so that ``shown`` after reading sees the order ``fill`` writes.
            collation=self.config.language or "",
        )
        return [placeholder(self.env, "listing", self.lineno, params)]


class TalkList(ListingDirective):
    objtype = "talk"


class SpeakerList(ListingDirective):
    objtype = "speaker"


class EventList(ListingDirective):
    objtype = "event"


class RecommendationList(ListingDirective):
    objtype = "rec"


class TermList(ListingDirective):
    objtype = "term"


LISTINGS: dict[str, type[ListingDirective]] = {
    "talk-list": TalkList,
    "speaker-list": SpeakerList,
    "event-list": EventList,
    "recommendation-list": RecommendationList,
    "term-list": TermList,
}


# -- answering the query ---------------------------------------------------------------------


def related_talks(index: KBIndex, record: Record) -> list[Talk]:
    """The talks through which filters apply to an object."""
    if isinstance(record, Talk):
        return [record]
    if isinstance(record, Speaker):
        return index.talks_by_speaker.get(record.id, [])
    if isinstance(record, Event):
        return index.talks_by_event.get(record.id, [])
    if isinstance(record, Recommendation):
        talk = index.get("talk", record.talk)
        return [talk] if isinstance(talk, Talk) else []
    talks = (index.get("talk", talk) for talk in index.talks_by_term.get(record.id, []))
    return [talk for talk in talks if isinstance(talk, Talk)]


def _matches(index: KBIndex, record: Record, params: ListingParams) -> bool:
    talks = related_talks(index, record)
    for name, wanted in params.filters():
        if name == "lang" and isinstance(record, Term):
            languages = {record.lang.lower(), *(code.lower() for code, _text in record.translations)}
            if not languages & set(wanted):
                return False
        elif name == "tag":
            tags = {slugify(tag) for talk in talks for tag in talk.tags}
            if isinstance(record, Recommendation):
                tags |= {slugify(tag) for tag in record.tags}
            if not tags & set(wanted):
                return False
        elif name == "lang":
            if not any(talk.language.lower() in wanted for talk in talks):
                return False
        elif name == ID_FILTERS[name] == record.objtype:
            if record.id not in wanted:
                return False
        elif not any(_talk_field(talk, name) & set(wanted) for talk in talks):
            return False
    return True


def _talk_field(talk: Talk, name: str) -> set[str]:
    if name == "speaker":
        return set(talk.speakers)
    if name == "event":
        return {talk.event}
    return {talk.id}


def date_of(index: KBIndex, record: Record) -> str:
    if isinstance(record, Event):
        return record.date
    dates = sorted(filter(None, (index.talk_date(talk) for talk in related_talks(index, record))))
    return dates[0] if dates else ""


def display_name(record: Record, query: Query[ListingParams]) -> str:
    """A term listed for other languages shows its name in the first of them."""
    languages = query.params.lang or ()
    if isinstance(record, Term) and languages and record.lang.lower() not in languages:
        for language in languages:
            for code, text in record.translations:
                if code.lower() == language:
                    return text
    return record.title


def results(index: KBIndex, query: Query[ListingParams]) -> list[Record]:
    """The records ``query`` lists, in order (through :func:`entries`, once per index)."""
    params = query.params
    objtype = params.objtype
    found = [r for r in index.objects[objtype].values() if _matches(index, r, params)]
    sort = params.sort or ("date" if objtype in {"talk", "event"} else "title")

    language = params.collation or None

    def by_title(record: Record) -> tuple[object, str]:
        return collation.sort_key(display_name(record, query), language), record.id

    found.sort(key=by_title)
    if sort in {"date", "-date"}:
        # Undated objects go last either way; ties keep title order (sorts are stable).
        dates = {record.id: date_of(index, record) for record in found}
        dated = [r for r in found if dates[r.id]]
        undated = [r for r in found if not dates[r.id]]
        dated.sort(key=lambda r: dates[r.id], reverse=sort == "-date")
        found = dated + undated
    return found[: params.limit] if params.limit else found


@dataclass(frozen=True, slots=True)
class Date:
    """A date of an entry, ISO; written in the project's language."""

    iso: str


@dataclass(frozen=True, slots=True)
class InLanguage:
    """A text of an entry in another language (a term's translation)."""

    text: str
    language: str


#: One value an entry shows: a linked object, a text, a date or a text in another language.
Value = Record | str | Date | InLanguage


def details(index: KBIndex, query: Query[ListingParams], record: Record) -> list[tuple[str, tuple[Value, ...]]]:
    """``(label, values)`` of each detail of an entry besides its own link, in column order.

    Read by the renderers when the page is written and by :meth:`Listing.shown`
    after reading: one function for both, so the fingerprint of a listing's page
    covers every value its entries show (and the previews of the objects linked).
    """
    date = date_of(index, record)
    dates = (Date(date),) if date else ()
    if isinstance(record, Talk):
        speakers = tuple(r for r in (index.get("speaker", s) for s in record.speakers) if r)
        event = index.get("event", record.event)
        return [(_("Speakers"), speakers), (_("Event"), (event,) if event else ()), (_("Date"), dates)]
    if isinstance(record, Speaker):
        count = len(index.talks_by_speaker.get(record.id, []))
        return [(_("Affiliation"), (record.affiliation,) if record.affiliation else ()), (_("Talks"), (str(count),))]
    if isinstance(record, Event):
        return [(_("Date"), dates), (_("Place"), (record.place,) if record.place else ())]
    if isinstance(record, Recommendation):
        talk = index.get("talk", record.talk)
        return [(_("Talk"), (talk,) if talk else ())]
    assert isinstance(record, Term)
    shown_name = display_name(record, query)
    names = [(record.lang, record.title), *record.translations]
    return [(_("Translations"), tuple(InLanguage(text, code) for code, text in names if text != shown_name))]


@dataclass(frozen=True, slots=True)
class Entry:
    """One listed object: the name its link shows and its details (:func:`details`)."""

    record: Record
    name: str
    details: list[tuple[str, tuple[Value, ...]]]


def entries(index: KBIndex, query: Query[ListingParams]) -> tuple[Entry, ...]:
    """What ``query`` lists, computed once per index (after reading, for :meth:`Listing.shown`,
    and again when the page is written, for :meth:`Listing.fill`): a function of the
    index and the query's parameters only, so two listings with the same parameters share it."""

    def compute() -> tuple[Entry, ...]:
        return tuple(
            Entry(record, display_name(record, query), details(index, query, record))
            for record in results(index, query)
        )

    return index.memo(("listing", query.params), compute)


class Listing:
    """Filler of the ``listing`` query."""

    def shown(self, index: KBIndex, query: Query[ListingParams]) -> object:
        def value_shown(value: Value) -> object:
            return index.link_shown(value) if isinstance(value, Record) else value

        return tuple(
            (
                entry.name,
                index.link_shown(entry.record),
                tuple(tuple(map(value_shown, values)) for _label, values in entry.details),
            )
            for entry in entries(index, query)
        )

    def depends(self, index: KBIndex, query: Query[ListingParams]) -> None:
        """A listing reads every object of its type, their related talks and what they link to."""
        return

    def problems(self, check: CheckContext, queries: Sequence[Query[ListingParams]]) -> Iterable[Problem]:
        """Filters naming objects that do not exist or are of another type."""
        index = check.index
        for query in queries:
            for name, wanted in query.params.filters():
                objtype = ID_FILTERS.get(name, "")
                for objid in wanted if objtype else ():
                    if index.get(objtype, objid) is not None:
                        continue
                    if others := sorted(index.types_of.get(objid, ())):
                        kinds = " and ".join(others)
                        message = f":{name}: filter {objid!r} is the id of a {kinds}, not of a {objtype}"
                        yield Problem(query, Subtype.WRONG_TYPE, message)
                    else:
                        message = f":{name}: filter names no {objtype} with id {objid!r}"
                        yield Problem(query, Subtype.UNKNOWN_REF, message)

    def fill(self, context: FillContext, query: Query[ListingParams]) -> list[Node]:
        found = entries(context.index, query)
        if not found:
            text = str(_("Nothing matches this listing."))
            return [nodes.paragraph(text, text, classes=["kb-listing-empty"])]
        style = query.params.style or "list"
        renderer = {"table": _table, "cards": _cards}.get(style, _bullets)
        container = nodes.container(classes=["kb-listing", f"kb-listing-{query.params.objtype}", f"kb-listing-{style}"])
        container += renderer(context, query, found)
        return [container]


def _columns(context: FillContext, entry: Entry) -> list[tuple[str, list[Node]]]:
    """(label, content) of each detail of an entry, in column order (write phase)."""

    def node(value: Value) -> Node:
        if isinstance(value, Record):
            return context.link(value)
        if isinstance(value, Date):
            return nodes.Text(format_date(value.iso, context.config.language))
        if isinstance(value, InLanguage):
            return render.in_language(value.text, value.language)
        return nodes.Text(value)

    return [(str(label), render.joined([node(value) for value in values])) for label, values in entry.details]


def _entry_link(context: FillContext, entry: Entry) -> Node:
    record, name = entry.record, entry.name
    if name == record.title:
        return context.link(record)
    return context.link(record, context.label(name))


def _bullets(context: FillContext, query: Query[ListingParams], found: Sequence[Entry]) -> list[Node]:
    if query.params.objtype == "rec":
        return _bullets_by_talk(context, found)
    items = nodes.bullet_list()
    for entry in found:
        para = nodes.paragraph()
        para += _entry_link(context, entry)
        details = [content for _label, content in _columns(context, entry) if content]
        if details:
            para += nodes.Text(" — ")
            for position, content in enumerate(details):
                if position:
                    para += nodes.Text(" · ")
                para.extend(content)
        items += nodes.list_item("", para)
    return [items]


def _bullets_by_talk(context: FillContext, found: Sequence[Entry]) -> list[Node]:
    """Recommendations as a digest: one item per talk, its recommendations under it."""
    groups: dict[str, list[Entry]] = {}
    for entry in found:
        assert isinstance(entry.record, Recommendation)
        groups.setdefault(entry.record.talk, []).append(entry)
    outer = nodes.bullet_list(classes=["kb-listing-groups"])
    for talk_id, recs in groups.items():
        talk = context.index.get("talk", talk_id)
        head = nodes.paragraph()
        if talk is not None:
            head += context.link(talk)
        else:
            label = str(_("Without a talk"))
            head += nodes.Text(label)
        inner = nodes.bullet_list()
        for rec in recs:
            inner += nodes.list_item("", nodes.paragraph("", "", _entry_link(context, rec)))
        outer += nodes.list_item("", head, inner)
    return [outer]


def _table(context: FillContext, query: Query[ListingParams], found: Sequence[Entry]) -> list[Node]:
    header_cells = [str(TYPE_LABELS[query.params.objtype])]
    header_cells += [str(label) for label, _values in found[0].details]
    rows = [
        [
            nodes.paragraph("", "", _entry_link(context, entry)),
            *(nodes.paragraph("", "", *content) for _label, content in _columns(context, entry)),
        ]
        for entry in found
    ]
    table = nodes.table(classes=["kb-listing-table"])
    group = nodes.tgroup(cols=len(header_cells))
    table += group
    # Widths in characters (the text writer wraps at them; HTML and LaTeX size columns
    # themselves, as no "colwidths-given" class is set).
    for column, cell in enumerate(header_cells):
        longest = max(len(cell), *(len(row[column].astext()) for row in rows))
        group += nodes.colspec(colwidth=min(longest, TEXT_COLUMN_WIDTH))
    head_row = nodes.row()
    for cell in header_cells:
        head_row += nodes.entry("", nodes.paragraph(cell, cell))
    group += nodes.thead("", head_row)
    body = nodes.tbody()
    for cells in rows:
        body += nodes.row("", *(nodes.entry("", cell) for cell in cells))
    group += body
    return [table]


def _cards(context: FillContext, query: Query[ListingParams], found: Sequence[Entry]) -> list[Node]:
    """A card per record (sphinx-design's grid of cards in HTML, see :mod:`talkbase.structure`)."""
    grid = kb_card_grid(classes=["kb-cards"])
    for entry in found:
        card = kb_card("", nodes.paragraph("", "", _entry_link(context, entry), classes=["kb-card-title"]),
                       variant="listing")  # fmt: skip
        for label, content in _columns(context, entry):
            if content:
                card += nodes.paragraph(
                    "", "", nodes.strong(label, label), nodes.Text(" "), *content, classes=["kb-card-text"]
                )
        grid += card
    return [grid]


def setup(app: Sphinx) -> None:
    for name, directive in LISTINGS.items():
        app.add_directive(name, directive)

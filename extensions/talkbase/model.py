"""The records talkbase reads from sources.

Directives create these while a document is read; they are pickled with the
environment inside the ``kb`` domain's data, always together with the docname
that defined them, so that purging and merging a document is a matter of
dropping or copying its entry.  Everything else (indexes, backlinks, listings)
is derived from them after reading and never pickled.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from sphinx.locale import get_translation

if TYPE_CHECKING:
    from collections.abc import Callable

_ = get_translation("talkbase")

#: Object type name -> prefix of its HTML anchor; part of the public interface.
OBJECT_TYPES: tuple[str, ...] = ("event", "talk", "speaker", "rec", "term")
#: Role name -> object type (the roles are named after the types).
ROLE_TYPES: dict[str, str] = {name: name for name in OBJECT_TYPES}
#: Target type of a reference made by Sphinx's ``{any}`` role: whichever object its text names.
ANY = "any"
#: Object type -> its name in warning messages and options (English): ``:types: recommendation``.
TYPE_NAMES: dict[str, str] = {
    "event": "event",
    "talk": "talk",
    "speaker": "speaker",
    "rec": "recommendation",
    "term": "term",
}
#: Object type -> the label readers see before a title, in tables and tag pages (translated).
TYPE_LABELS: dict[str, str] = {
    "event": _("Event"),
    "talk": _("Talk"),
    "speaker": _("Speaker"),
    "rec": _("Recommendation"),
    "term": _("Term"),
}


#: Field names of each record class (class metadata, filled on first pickling).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _reduce_by_fields(self: Any) -> tuple[type, tuple[object, ...]]:
    """Pickle a frozen record as its constructor call.

    The environment (every worker's, with ``-j``) and the doctrees are unpickled many
    times per build; the ``__setstate__`` that dataclasses give frozen slotted classes
    sets each field in a Python loop, calling the constructor is about 40 % faster.
    """
    cls = type(self)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(item.name for item in fields(cls))
    return cls, tuple([getattr(self, name) for name in names])


@dataclass(frozen=True, slots=True)
class Mention:
    """A cross-reference inside a summary, kept as what it points to (read phase).

    Its text is known only later: an object's current title once every document is
    read, a citation's text once sphinxcontrib-bibtex has labelled its entries.
    :func:`talkbase.summary.plain_text` puts it in when the summary is shown.
    """

    __reduce__ = _reduce_by_fields

    domain: str
    reftype: str
    target: str
    #: What the page shows before resolution (the target as written): the text used
    #: when the reference does not resolve.
    text: str


@dataclass(frozen=True, slots=True)
class Record:
    """Fields every knowledge-base object has."""

    objtype: ClassVar[str] = ""
    __reduce__ = _reduce_by_fields

    id: str
    title: str
    docname: str
    lineno: int
    #: The first paragraph of the body as text and the references in it, for previews,
    #: metadata and exports: read it as text through ``KBIndex.summary``.
    summary: tuple[str | Mention, ...] = ()

    @property
    def anchor(self) -> str:
        return anchor_for(self.objtype, self.id)

    def shown(self) -> tuple[object, ...]:
        """The fields another page may show of this object: its link's text and target,
        and the fields of its rows and cards in listings.

        Used for the fingerprints that decide which pages to rewrite; a page that
        *links* to the object also shows its preview, whose summary needs the other
        objects' titles: use ``KBIndex.link_shown`` there.
        """
        return (self.objtype, self.id, self.title, self.docname)


@dataclass(frozen=True, slots=True)
class Event(Record):
    objtype: ClassVar[str] = "event"

    date: str = ""
    end: str = ""
    place: str = ""
    url: str = ""
    hashtag: str = ""
    series: str = ""

    def shown(self) -> tuple[object, ...]:
        return (*Record.shown(self), self.date, self.end, self.place)


@dataclass(frozen=True, slots=True)
class Speaker(Record):
    objtype: ClassVar[str] = "speaker"

    affiliation: str = ""
    url: str = ""
    orcid: str = ""
    photo: str = ""
    #: How the name splits for citations (``:family:``, ``:given:``, ``:suffix:``), when
    #: the author says so; ``literal_name`` (``:literal:``) keeps it whole.
    family: str = ""
    given: str = ""
    suffix: str = ""
    literal_name: bool = False

    def shown(self) -> tuple[object, ...]:
        return (*Record.shown(self), self.affiliation)


@dataclass(frozen=True, slots=True)
class Talk(Record):
    objtype: ClassVar[str] = "talk"

    speakers: tuple[str, ...] = ()
    event: str = ""
    date: str = ""
    language: str = ""
    slides: str = ""
    video: str = ""
    tags: tuple[str, ...] = ()

    def shown(self) -> tuple[object, ...]:
        return (*Record.shown(self), self.speakers, self.event, self.date, self.tags)


@dataclass(frozen=True, slots=True)
class Recommendation(Record):
    objtype: ClassVar[str] = "rec"

    talk: str = ""
    tags: tuple[str, ...] = ()

    def shown(self) -> tuple[object, ...]:
        return (*Record.shown(self), self.talk)


@dataclass(frozen=True, slots=True)
class Term(Record):
    objtype: ClassVar[str] = "term"

    lang: str = ""
    translations: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    see: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every text the term can be referred to by: itself, translations, aliases."""
        return (self.title, *(text for _lang, text in self.translations), *self.aliases)

    def shown(self) -> tuple[object, ...]:
        return (*Record.shown(self), self.lang, self.translations)


@dataclass(frozen=True, slots=True)
class Ref:
    """One link from a document to an object, recorded while reading.

    ``via`` tells how: the role name (``"talk"``, ``"term"``…) or the option
    (``"speakers"``, ``"event"``, ``"talk"``, ``"see"``).  ``source`` is the
    ``(objtype, id)`` of the object the link sits in, if any.
    """

    __reduce__ = _reduce_by_fields

    docname: str
    lineno: int
    target_type: str
    target: str
    via: str
    source: tuple[str, str] | None = None
    #: The id of the node in the page (for "Referenced by" links to the spot).
    node_id: str = ""


@dataclass(frozen=True, slots=True)
class ObjectParams:
    """The parameters of a query about one object: its date, its related objects, its "Cite this"."""

    __reduce__ = _reduce_by_fields

    id: str


@dataclass(frozen=True, slots=True)
class BacklinksParams:
    """The parameters of a ``backlinks`` query: the object whose referrers are shown."""

    __reduce__ = _reduce_by_fields

    objtype: str
    id: str


@dataclass(frozen=True, slots=True)
class ListingParams:
    """The parameters of a ``listing`` query.

    A filter is ``None`` when the directive does not give it; an empty tuple (every
    item empty) matches nothing.
    """

    __reduce__ = _reduce_by_fields

    objtype: str
    event: tuple[str, ...] | None = None
    speaker: tuple[str, ...] | None = None
    talk: tuple[str, ...] | None = None
    tag: tuple[str, ...] | None = None
    lang: tuple[str, ...] | None = None
    sort: str = ""
    limit: int = 0
    style: str = "list"
    #: The project's language, for which names sort (see :mod:`talkbase.collation`).
    collation: str = ""

    def filters(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(option, wanted keys)`` of the filters given, in option order."""
        given = (
            ("event", self.event), ("speaker", self.speaker), ("talk", self.talk), ("tag", self.tag),
            ("lang", self.lang),
        )  # fmt: skip
        return [(name, wanted) for name, wanted in given if wanted is not None]


@dataclass(frozen=True, slots=True)
class GraphParams:
    """The parameters of a ``graph`` query (``kb-graph`` or an object's own graph)."""

    __reduce__ = _reduce_by_fields

    #: ``kind:id`` or an id or title; empty for the whole project.
    root: str = ""
    depth: int = 1
    types: tuple[str, ...] = ()
    #: An object's own neighbourhood (``talkbase_object_graph``), not a ``kb-graph``.
    own: bool = False


#: The parameters of any query kind.
QueryParams = ObjectParams | BacklinksParams | ListingParams | GraphParams
P_co = TypeVar("P_co", bound=QueryParams, covariant=True)


@dataclass(frozen=True, slots=True)
class Query(Generic[P_co]):
    """Content a page shows that is computed from the whole project.

    Recorded while reading (a listing, the backlinks of an object, the date a talk
    inherits…) and answered when the page is written; ``kind`` names the
    :mod:`talkbase.placeholders` filler, ``params`` are its typed parameters.
    """

    __reduce__ = _reduce_by_fields

    kind: str
    docname: str
    lineno: int
    params: P_co


@dataclass(slots=True)
class DocData:
    """Everything one document contributed, in document order."""

    objects: list[Record] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    queries: list[Query[QueryParams]] = field(default_factory=list)

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        """Pickle the document's name once, not in each of its records, references and queries.

        They all carry it (the domain stores each under its own document), and the
        environment pickles thousands of them: written once, and each item as the
        values of its other fields, the domain's data is about a sixth smaller.
        """
        first = self.objects or self.refs or self.queries
        docname = first[0].docname if first else None
        if docname is None or any(
            item.docname != docname for items in (self.objects, self.refs, self.queries) for item in items
        ):  # nothing to share (an empty document), or never the case
            return DocData, (self.objects, self.refs, self.queries)
        objects = tuple((type(record), _values(type(record))(record)) for record in self.objects)
        refs = tuple(map(_values(Ref), self.refs))
        queries = tuple((query.kind, query.lineno, query.params) for query in self.queries)
        return _doc_data, (docname, objects, refs, queries)


#: Record or reference class -> what gets the values of its fields but ``docname``.
_GETTERS: dict[type, Callable[[Any], tuple[object, ...]]] = {}


def _values(cls: type) -> Callable[[Any], tuple[object, ...]]:
    """The values of a record's or reference's fields but its ``docname``, in field order
    (every such class has more than one, so ``attrgetter`` gives a tuple)."""
    getter = _GETTERS.get(cls)
    if getter is None:
        getter = _GETTERS[cls] = attrgetter(*(item.name for item in fields(cls) if item.name != "docname"))
    return getter


#: Record class -> the position of ``docname`` among its fields.
_DOCNAME_AT: dict[type, int] = {}


def _doc_data(
    docname: str,
    objects: tuple[tuple[type[Any], tuple[object, ...]], ...],
    refs: tuple[tuple[Any, ...], ...],
    queries: tuple[tuple[str, int, QueryParams], ...],
) -> DocData:
    """A :class:`DocData` from what its ``__reduce__`` keeps (unpickling)."""
    records: list[Record] = []
    for cls, values in objects:
        at = _DOCNAME_AT.get(cls)
        if at is None:
            at = _DOCNAME_AT[cls] = [f.name for f in fields(cls)].index("docname")
        records.append(cls(*values[:at], docname, *values[at:]))
    return DocData(
        records,
        [Ref(docname, *values) for values in refs],
        [Query(kind, docname, lineno, params) for kind, lineno, params in queries],
    )


def anchor_for(objtype: str, objid: str) -> str:
    """The stable HTML anchor of an object: ``talk-etat-des-lieux``."""
    return f"{objtype}-{objid}"

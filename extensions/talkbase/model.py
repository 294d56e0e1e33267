"""The records talkbase reads from sources.

Directives create these while a document is read; they are pickled with the
environment inside the ``kb`` domain's data, always together with the docname
that defined them, so that purging and merging a document is a matter of
dropping or copying its entry.  Everything else (indexes, backlinks, listings)
is derived from them after reading and never pickled.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from sphinx.locale import get_translation

if TYPE_CHECKING:
    from collections.abc import Iterator

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


#: Record class -> (its field names, their defaults: ``MISSING`` for a required field).
_FIELDS: dict[type, tuple[tuple[str, ...], tuple[object, ...]]] = {}


def _fields_of(cls: type) -> tuple[tuple[str, ...], tuple[object, ...]]:
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = (
            tuple(item.name for item in fields(cls)),
            tuple(item.default for item in fields(cls)),  # no field has a default_factory
        )
    return known


def _without_defaults(values: list[object], defaults: tuple[object, ...]) -> tuple[object, ...]:
    """``values`` without the trailing ones equal to their field's default (of the same type:
    ``False`` is not ``0``); the constructor gives them back."""
    end = len(values)
    while end and type(values[end - 1]) is type(defaults[end - 1]) and values[end - 1] == defaults[end - 1]:
        end -= 1
    return tuple(values[:end])


def _reduce_by_fields(self: Any) -> tuple[type, tuple[object, ...]]:
    """Pickle a frozen record as its constructor call, trailing default values left out.

    The environment (every worker's, with ``-j``) and the doctrees are unpickled many
    times per build; the ``__setstate__`` that dataclasses give frozen slotted classes
    sets each field in a Python loop, calling the constructor is about 40 % faster.
    """
    cls = type(self)
    names, defaults = _fields_of(cls)
    return cls, _without_defaults([getattr(self, name) for name in names], defaults)


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

    @property
    def cites_elsewhere(self) -> bool:
        """Whether the summary shows text another domain makes (a citation, a ``{doc}`` title)."""
        return any(isinstance(part, Mention) and part.domain != "kb" for part in self.summary)

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


class DocData:
    """Everything one document contributed, in document order.

    Made empty when a document is read, and filled through
    :meth:`talkbase.domain.KBDomain.doc_data` only.  One that comes out of the pickled
    environment stays read-only and *lazy*: it keeps the compact form its
    :meth:`__reduce__` wrote (:func:`_doc_data`) and makes its records, references and
    queries each when first asked for.  A no-op rebuild never asks for most of them,
    and a build that pickles the environment again writes that form back as it was
    instead of packing every document anew (:meth:`touch` drops it before any change).
    """

    __slots__ = ("_objects", "_packed", "_queries", "_refs")

    def __init__(
        self,
        objects: list[Record] | None = None,
        refs: list[Ref] | None = None,
        queries: list[Query[QueryParams]] | None = None,
    ) -> None:
        self._objects: list[Record] | None = [] if objects is None else objects
        self._refs: list[Ref] | None = [] if refs is None else refs
        self._queries: list[Query[QueryParams]] | None = [] if queries is None else queries
        #: ``(docname, records, references, queries)`` as pickled, while it still says what this holds.
        self._packed: tuple[str, _Packed, _Packed, _Packed] | None = None

    @classmethod
    def packed(cls, docname: str, objects: _Packed, refs: _Packed, queries: _Packed) -> DocData:
        """The data :meth:`__reduce__` packed, made when first read (unpickling)."""
        data = cls.__new__(cls)
        data._objects = data._refs = data._queries = None
        data._packed = (docname, objects, refs, queries)
        return data

    @property
    def objects(self) -> list[Record]:
        if self._objects is None:
            docname, objects, _refs, _queries = cast("tuple[str, _Packed, _Packed, _Packed]", self._packed)
            self._objects = [_unpack_record(docname, packed) for packed in objects]
        return self._objects

    @property
    def refs(self) -> list[Ref]:
        if self._refs is None:
            docname, _objects, refs, _queries = cast("tuple[str, _Packed, _Packed, _Packed]", self._packed)
            records = self.objects
            self._refs = [_unpack_ref(docname, records, position, packed) for position, packed in enumerate(refs)]
        return self._refs

    @refs.setter
    def refs(self, refs: list[Ref]) -> None:
        self.touch()
        self._refs = refs

    def ref_keys(self) -> tuple[list[str], list[str], list[tuple[str, str] | None]]:
        """The ``target_type``, ``target`` and ``source`` of each reference, as three lists
        in reference order, without making the references of a lazy document.

        After reading, :mod:`talkbase.lookup` indexes every reference of the project,
        and a rebuild writing a few pages shows a few of them (:meth:`ref`); three lists,
        not a tuple per reference, as the collector would visit the tens of thousands.
        """
        if self._refs is not None:
            refs = self._refs
            return [ref.target_type for ref in refs], [ref.target for ref in refs], [ref.source for ref in refs]
        _docname, _objects, packed_refs, _queries = cast("tuple[str, _Packed, _Packed, _Packed]", self._packed)
        records = [(record.objtype, record.id) for record in self.objects]
        kinds = _REF_KINDS
        types: list[str] = []
        targets: list[str] = []
        sources: list[tuple[str, str] | None] = []
        for packed in packed_refs:  # what _unpack_ref reads, inlined: tens of thousands in a project
            kind = packed[1]
            if isinstance(kind, int):
                types.append(kinds[kind][0])
                source = packed[3] if len(packed) > 3 else None
            else:
                types.append(kind)
                source = packed[4]
            targets.append(packed[2])
            sources.append(records[source] if isinstance(source, int) else source)
        return types, targets, sources

    def made_refs(self) -> list[Ref] | None:
        """:attr:`refs` if they are made (a document read in this build), else ``None``."""
        return self._refs

    def ref(self, position: int) -> Ref:
        """The reference at ``position`` of :attr:`refs`, made alone in a lazy document."""
        if self._refs is not None:
            return self._refs[position]
        docname, _objects, refs, _queries = cast("tuple[str, _Packed, _Packed, _Packed]", self._packed)
        return _unpack_ref(docname, self.objects, position, refs[position])

    @property
    def queries(self) -> list[Query[QueryParams]]:
        if self._queries is None:
            docname, _objects, _refs, queries = cast("tuple[str, _Packed, _Packed, _Packed]", self._packed)
            records = self.objects
            self._queries = [_unpack_query(docname, records, packed) for packed in queries]
        return self._queries

    def query_kinds(self) -> Iterator[str]:
        """The kind of each query, without making the queries of a lazy document."""
        if self._queries is None and self._packed is not None:
            return (packed[0] for packed in self._packed[3])
        return (query.kind for query in self.queries)

    def touch(self) -> DocData:
        """Make every item and forget the pickled form: the lists are about to change (read phase)."""
        if self._packed is not None:
            self.objects, self.refs, self.queries  # noqa: B018 (made before the form goes)
            self._packed = None
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DocData):
            return NotImplemented
        if self._packed is not None and self._packed == other._packed:
            return True
        return (self.objects, self.refs, self.queries) == (other.objects, other.refs, other.queries)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaced

    def __repr__(self) -> str:
        return f"DocData(objects={self.objects!r}, refs={self.refs!r}, queries={self.queries!r})"

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        """Pickle the document compactly: the environment holds thousands of these.

        The document's name is written once, not in each record, reference and query;
        each record is its class and the values of its other fields but the trailing
        defaults; what a reference or query repeats of a record of the same document is
        written as that record's position (see :func:`_pack_ref`, :func:`_pack_query`).
        At N = 1 000 talks the kb data pickles to 1.02 MB instead of 1.57 MB with
        each item's fields but docname written in full, and loads about as fast.
        A document unchanged since it was unpickled writes the form it was read from.
        """
        if self._packed is not None:
            return _doc_data, self._packed
        objects, refs, queries = self.objects, self.refs, self.queries
        first = objects or refs or queries
        docname = first[0].docname if first else None
        if docname is None or any(
            item.docname != docname for items in (objects, refs, queries) for item in items
        ):  # nothing to share (an empty document), or never the case
            return DocData, (objects, refs, queries)
        at: dict[tuple[str, str], int] = {}
        for position, record in enumerate(objects):
            at.setdefault((record.objtype, record.id), position)
        return _doc_data, (
            docname,
            tuple(map(_pack_record, objects)),
            tuple(_pack_ref(ref, position, at) for position, ref in enumerate(refs)),
            tuple(_pack_query(query, objects, at) for query in queries),
        )


#: The packed items of one kind of a document (:meth:`DocData.__reduce__`).
_Packed = tuple[tuple[Any, ...], ...]


#: The record classes, by their code in a pickle (a subclass is written whole).
_RECORD_CLASSES: tuple[type[Record], ...] = (Event, Talk, Speaker, Recommendation, Term)


def _pack_record(record: Record) -> tuple[object, ...]:
    """``(class code, values of its fields but docname…)``, trailing defaults left out."""
    cls = type(record)
    names, defaults = _fields_of(cls)
    values: list[object] = [getattr(record, name) for name in names]
    at = names.index("docname")
    del values[at]
    code = _RECORD_CLASSES.index(cls) if cls in _RECORD_CLASSES else cls
    return (code, *_without_defaults(values, defaults[:at] + defaults[at + 1 :]))


def _unpack_record(docname: str, packed: tuple[Any, ...]) -> Record:
    cls: Any = _RECORD_CLASSES[packed[0]] if isinstance(packed[0], int) else packed[0]
    at = _fields_of(cls)[0].index("docname")
    return cast("Record", cls(*packed[1 : at + 1], docname, *packed[at + 1 :]))


#: How a reference's ``node_id`` is written when it is what :mod:`talkbase.collect` gives
#: by default: ``None`` for a role's spot (``kbref-<position>``), ``True`` for its
#: enclosing object's anchor (an option's reference); any other id is written whole.
_ROLE_SPOT, _OBJECT_SPOT = None, True


#: (target type, via) of a reference, by their code in a pickle: the roles' and options'.
_REF_KINDS: tuple[tuple[str, str], ...] = tuple(
    (target_type, via)
    for target_type in (*OBJECT_TYPES, ANY)
    for via in dict.fromkeys((*ROLE_TYPES, ANY, "speakers", "event", "talk", "see"))
)
_REF_KIND_CODES: dict[tuple[str, str], int] = {kind: code for code, kind in enumerate(_REF_KINDS)}


def _pack_ref(ref: Ref, position: int, at: dict[tuple[str, str], int]) -> tuple[object, ...]:
    """``(lineno, code of (target_type, via), target, source, spot)``, trailing defaults
    left out: ``source`` is the position of the object among its document's records,
    ``spot`` one of the ``_…_SPOT`` codes when the id is the default one.  A reference
    of a kind without a code is ``(lineno, target_type, target, via, source, spot)``."""
    source: object = ref.source
    if ref.source is not None and ref.source in at:
        source = at[ref.source]
    spot: object = ref.node_id
    if ref.node_id == f"kbref-{position}":
        spot = _ROLE_SPOT
    elif ref.source is not None and ref.node_id == anchor_for(*ref.source):
        spot = _OBJECT_SPOT
    code = _REF_KIND_CODES.get((ref.target_type, ref.via))
    if code is None:
        return (ref.lineno, ref.target_type, ref.target, ref.via, source, spot)
    packed = (ref.lineno, code, ref.target, source, spot)
    return packed if spot is not _ROLE_SPOT else packed[:-1] if source is not None else packed[:-2]


def _unpack_ref(docname: str, records: list[Record], position: int, packed: tuple[Any, ...]) -> Ref:
    if isinstance(packed[1], int):
        lineno, code, target, source, spot = (*packed, None, None)[:5]
        target_type, via = _REF_KINDS[code]
    else:
        lineno, target_type, target, via, source, spot = packed
    if isinstance(source, int):
        record = records[source]
        source = (record.objtype, record.id)
    if spot is _ROLE_SPOT:
        spot = f"kbref-{position}"
    elif spot is _OBJECT_SPOT:
        spot = anchor_for(*source)
    return Ref(docname, lineno, target_type, target, via, source, spot)


#: The parameters a query may take from a record of its document, by their code in a pickle.
_RECORD_PARAMS: tuple[type[ObjectParams | BacklinksParams], ...] = (ObjectParams, BacklinksParams)


def _pack_query(query: Query[QueryParams], records: list[Record], at: dict[tuple[str, str], int]) -> tuple[object, ...]:
    """``(kind, position of the record, code of its params)`` for the query of a record
    about itself (on its line: its backlinks, its "Cite this"…), else ``(kind, lineno, params)``."""
    params = query.params
    if isinstance(params, ObjectParams | BacklinksParams):
        for key in ((objtype, params.id) for objtype in OBJECT_TYPES):
            position = at.get(key)
            if position is None or records[position].lineno != query.lineno:
                continue
            code = _RECORD_PARAMS.index(type(params))
            if _record_params(records[position], code) == params:
                return (query.kind, position, code)
    return (query.kind, query.lineno, params)


def _record_params(record: Record, code: int) -> ObjectParams | BacklinksParams:
    if _RECORD_PARAMS[code] is ObjectParams:
        return ObjectParams(record.id)
    return BacklinksParams(record.objtype, record.id)


def _unpack_query(docname: str, records: list[Record], packed: tuple[Any, ...]) -> Query[QueryParams]:
    kind, number, params = packed
    if isinstance(params, int):  # a record's own query: number is its position
        record = records[number]
        return Query(kind, docname, record.lineno, _record_params(record, params))
    return Query(kind, docname, number, params)


def _doc_data(docname: str, objects: _Packed, refs: _Packed, queries: _Packed) -> DocData:
    """A :class:`DocData` from what its ``__reduce__`` keeps (unpickling): lazy, see the class."""
    return DocData.packed(docname, objects, refs, queries)


def anchor_for(objtype: str, objid: str) -> str:
    """The stable HTML anchor of an object: ``talk-etat-des-lieux``."""
    return f"{objtype}-{objid}"

"""Indexes derived from the domain's records after reading.

Built on demand from the pickled :class:`~talkbase.model.DocData` of every
document and cached on the domain instance (never pickled, never merged), so
that every lookup while resolving and writing is a dictionary access.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING, Any, TypeVar, cast

from talkbase.model import (
    ANY,
    OBJECT_TYPES,
    ROLE_TYPES,
    DocData,
    Event,
    Mention,
    Recommendation,
    Record,
    Ref,
    Speaker,
    Talk,
    Term,
)
from talkbase.summary import plain_text
from talkbase.values import fold, slugify

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Iterator

T = TypeVar("T")


def _unresolved(docname: str, mention: Mention) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class Preview:
    """The hover preview of a link to an object: the reader's text, no id or marker."""

    title: str
    objtype: str
    #: The summary as text (:meth:`KBIndex.summary`).
    summary: str
    #: A speaker's ``:photo:`` as written (relative to the speaker's page, or a URL).
    photo: str = ""


@dataclass(frozen=True, slots=True)
class Clash:
    """A definition that lost to an earlier one (duplicate id or term text)."""

    loser: Record
    winner: Record
    #: For term clashes: the text both claim.
    text: str = ""


@dataclass(slots=True)
class KBIndex:
    """Every lookup the build needs, computed once per build phase."""

    #: objtype -> id -> the winning record (first in docname, line order).
    objects: dict[str, dict[str, Record]] = field(default_factory=lambda: defaultdict(dict))
    #: id -> the object types that define it, to explain wrong-type references.
    types_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: folded term text, alias or translation -> term.
    term_names: dict[str, Term] = field(default_factory=dict)
    #: text -> what :meth:`term` finds for it; filled once every record is in (thousands
    #: of ``{term}`` references use a few hundred texts, folding each is the slow part).
    _term_lookups: dict[str, Term | None] = field(default_factory=dict)
    duplicates: list[Clash] = field(default_factory=list)
    term_clashes: list[Clash] = field(default_factory=list)
    talks_by_event: dict[str, list[Talk]] = field(default_factory=lambda: defaultdict(list))
    talks_by_speaker: dict[str, list[Talk]] = field(default_factory=lambda: defaultdict(list))
    recs_by_talk: dict[str, list[Recommendation]] = field(default_factory=lambda: defaultdict(list))
    #: (docname, data) of every document in docname order, whose references
    #: :attr:`refs_to` and the others index when first asked for.
    docs: tuple[tuple[str, DocData], ...] = ()
    _by_refs: _RefIndexes | None = field(default=None, repr=False, compare=False)
    #: docname -> page title, for links to places outside any object.
    page_titles: Mapping[str, str] = field(default_factory=dict)
    #: The text of a summary's citation, ``{doc}`` or ``{ref}`` in a document, from
    #: the domain that resolves it (:func:`talkbase.summary.resolve_elsewhere`).
    resolve_elsewhere: Callable[[str, Mention], str | None] = _unresolved
    #: Whether the pages of this build show hover previews (the talkbase theme's HTML).
    previews: bool = False
    #: (objtype, id) -> (record, its preview): each computed once, after reading.
    _previews: dict[tuple[str, str], tuple[Record, Preview]] = field(default_factory=dict)
    #: Answers computed from this index (:meth:`memo`).
    _memo: dict[Hashable, object] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once for this index (after reading and while writing).

        For answers that are a function of the index alone (a listing's entries, an
        object's referrers), asked for by a filler's ``shown`` after reading and again
        by its ``fill`` when the page is written.  The index is rebuilt whenever the
        domain data change, and never pickled, so nothing kept here outlives the data
        it was computed from.
        """
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def forget_answers(self) -> None:
        """Drop what :meth:`memo` and :meth:`preview` kept (``build-finished``, by
        :mod:`talkbase.collector`): every page is written, and asked again they are
        computed again, the same."""
        self._memo.clear()
        self._previews.clear()

    @property
    def refs_to(self) -> Mapping[tuple[str, str], list[Ref]]:
        """(objtype, id) -> every reference to it, in docname, line order.

        Each list is made when first asked for (:class:`_RefsTo`).
        """
        return self._refs().refs_to

    @property
    def refs_from(self) -> dict[str, list[Ref]]:
        """docname -> references made from it."""
        found = self._refs()
        if found.refs_from is None:
            found.refs_from = {docname: list(data.refs) for docname, data in self.docs}
        return found.refs_from

    @property
    def terms_by_talk(self) -> dict[str, list[str]]:
        """talk id -> ids of the terms used inside it (in the talk or its recommendations)."""
        return self._refs().terms_by_talk

    @property
    def talks_by_term(self) -> dict[str, list[str]]:
        """term id -> ids of the talks using it."""
        return self._refs().talks_by_term

    def _refs(self) -> _RefIndexes:
        """The indexes of the references, made when first asked for.

        Every record is indexed at once, but most of a rebuild that reads nothing
        (the search index, the domain indices, the checks across pages) needs no
        reference: left out, the documents' references are not even unpickled
        (:class:`~talkbase.model.DocData` is lazy).  The documents are those the index
        was built from; the domain builds a new index whenever one changes.
        """
        if self._by_refs is None:
            self._by_refs = _index_refs(self)
        return self._by_refs

    def get(self, objtype: str, objid: str) -> Record | None:
        return self.objects[objtype].get(objid)

    def term(self, text: str) -> Term | None:
        """A term by id, text, alias or translation, ignoring case and accents."""
        try:
            return self._term_lookups[text]
        except KeyError:
            pass
        found = self.objects["term"].get(text) or self.objects["term"].get(slugify(text))
        term = found if isinstance(found, Term) else self.term_names.get(fold(text))
        self._term_lookups[text] = term
        return term

    def lookup(self, objtype: str, text: str) -> Record | None:
        """The object of ``objtype`` a role's or option's target text names."""
        return self.term(text) if objtype == "term" else self.get(objtype, slugify(text))

    def lookup_any(self, text: str) -> list[Record]:
        """The objects ``{any}`text``` may name, in the order the link takes the first of."""
        return [found for objtype in OBJECT_TYPES if (found := self.lookup(objtype, text)) is not None]

    def resolve(self, ref: Ref) -> Record | None:
        """The object a recorded reference points to, if it exists."""
        return self.resolve_target(ref.target_type, ref.target)

    def resolve_target(self, target_type: str, target: str) -> Record | None:
        """The object a reference of ``target_type`` to the text ``target`` points to."""
        if target_type == "term":
            return self.term(target)
        if target_type == ANY:
            return next(iter(self.lookup_any(target)), None)
        return self.get(target_type, target)

    def summary(self, record: Record) -> str:
        """A record's summary as text: the current titles of the objects it links to,
        its citations as rendered (write phase)."""
        return plain_text(record.summary, lambda mention: self._mention_text(record.docname, mention))

    def preview(self, record: Record) -> Preview:
        """What a link to ``record`` shows when hovered or focused (theme previews).

        Read by :mod:`talkbase.theme.previews` when a page is written and, through
        :meth:`link_shown`, by the fingerprints after reading (``env-updated``, after
        sphinxcontrib-bibtex has labelled its citations): one function for both, so
        a page's fingerprint covers every field its previews show.
        """
        # Kept: a listing and every page linking to an object show the same preview.
        # Never asked for before the citations are labelled, and the index is rebuilt
        # whenever the data change.
        cached = self._previews.get((record.objtype, record.id))
        if cached is not None and cached[0] is record:
            return cached[1]
        photo = record.photo if isinstance(record, Speaker) else ""
        preview = Preview(record.title, record.objtype, self.summary(record), photo)
        self._previews[record.objtype, record.id] = (record, preview)
        return preview

    def link_shown(self, record: Record) -> tuple[object, ...]:
        """Everything a page linking to ``record`` shows of it, for the fingerprints.

        The link (its text and target) and the record's fields listings, cards and
        metadata show (:meth:`Record.shown`), and, when this build shows previews,
        the link's preview (:meth:`preview`).  Every filler whose content links to
        an object puts this in its ``shown``.
        """
        return (*record.shown(), self.preview(record) if self.previews else None)

    def _mention_text(self, docname: str, mention: Mention) -> str | None:
        if mention.domain != "kb":
            return self.resolve_elsewhere(docname, mention)
        objtype = ROLE_TYPES.get(mention.reftype, mention.reftype)
        found = self.lookup(objtype, mention.target)
        return found.title if found is not None else None

    def talk_of(self, source: tuple[str, str] | None) -> str:
        """The talk a reference sits in: the talk itself, or a recommendation's talk."""
        if source is None:
            return ""
        objtype, objid = source
        if objtype == "talk":
            return objid
        rec = self.get("rec", objid) if objtype == "rec" else None
        return rec.talk if isinstance(rec, Recommendation) else ""

    def talk_date(self, talk: Talk) -> str:
        """The talk's own date, else its event's."""
        if talk.date:
            return talk.date
        event = self.get("event", talk.event)
        return event.date if isinstance(event, Event) else ""

    def all_records(self) -> Iterable[Record]:
        for by_id in self.objects.values():
            yield from by_id.values()


def build_index(
    docs: Mapping[str, DocData],
    page_titles: Mapping[str, str],
    resolve_elsewhere: Callable[[str, Mention], str | None] = _unresolved,
    *,
    previews: bool = False,
) -> KBIndex:
    """Derive every index from the per-document records (after reading)."""
    index = KBIndex(
        page_titles=page_titles,
        resolve_elsewhere=resolve_elsewhere,
        previews=previews,
        docs=tuple((docname, docs[docname]) for docname in sorted(docs)),
    )
    for _docname, data in index.docs:
        for record in data.objects:
            _add_record(index, record)
    _index_relations(index)
    return index


class _RefsTo(Mapping[tuple[str, str], list[Ref]]):
    """(objtype, id) -> the references to it, each list made when first asked for.

    Indexing keeps, per object, where its references are (document, position);
    a rebuild writing one page asks for the references to the few objects it
    defines, and makes only those: the project's tens of thousands of references
    stay packed in the documents' pickled form (:meth:`DocData.ref`).
    """

    __slots__ = ("_at", "_lazy", "_made")

    def __init__(self, at: dict[tuple[str, str], list[Ref | DocData | int]], lazy: set[tuple[str, str]]) -> None:
        #: (objtype, id) -> its references, each a Ref when made, else its document and
        #: position (see _index_refs); ``lazy``: the objects with some not made.
        self._at, self._lazy = at, lazy
        self._made: dict[tuple[str, str], list[Ref]] = {}

    def __getitem__(self, key: tuple[str, str]) -> list[Ref]:
        made = self._made.get(key)
        if made is None:
            spots = self._at[key]
            if key not in self._lazy:
                made = self._made[key] = cast("list[Ref]", spots)
                return made
            made = self._made[key] = []
            items = iter(spots)
            for item in items:
                made.append(item.ref(cast("int", next(items))) if isinstance(item, DocData) else cast("Ref", item))
        return made

    def get(self, key: tuple[str, str], default: Any = None) -> Any:
        # Not Mapping's (a KeyError raised for each object nothing references).
        return self[key] if key in self._at else default

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


@dataclass(slots=True)
class _RefIndexes:
    """What :class:`KBIndex` derives from the references (see :meth:`KBIndex._refs`)."""

    refs_to: _RefsTo
    #: Made when first asked for (:attr:`KBIndex.refs_from`): only the relations graph reads it.
    refs_from: dict[str, list[Ref]] | None = None
    terms_by_talk: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    talks_by_term: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _index_refs(index: KBIndex) -> _RefIndexes:
    # Thousands of references share a few hundred targets: each text is resolved once.
    # No tuple is made per reference (nor any object the collector would visit).
    resolved: dict[str, dict[str, tuple[str, str] | None]] = defaultdict(dict)
    #: (objtype, id) -> document, position, document, position… of the references to it.
    at: defaultdict[tuple[str, str], list[Ref | DocData | int]] = defaultdict(list)
    #: The sources of the references to each term, for _index_term_usage.
    term_sources: dict[tuple[str, str], list[tuple[str, str] | None]] = defaultdict(list)
    lazy: set[tuple[str, str]] = set()  # the objects with a reference still packed
    for _docname, data in index.docs:
        made = data.made_refs()
        if made is not None:  # read in this build (a clean build: all of them): no spot to keep
            for ref in made:
                by_text = resolved[ref.target_type]
                try:
                    key = by_text[ref.target]
                except KeyError:
                    record = index.resolve_target(ref.target_type, ref.target)
                    key = by_text[ref.target] = None if record is None else (record.objtype, record.id)
                if key is not None:
                    at[key].append(ref)
                    if key[0] == "term":
                        term_sources[key].append(ref.source)
            continue
        types, targets, sources = data.ref_keys()
        for position, target_type, target, source in zip(count(), types, targets, sources, strict=False):
            by_text = resolved[target_type]
            try:
                key = by_text[target]
            except KeyError:
                record = index.resolve_target(target_type, target)
                key = by_text[target] = None if record is None else (record.objtype, record.id)
            if key is not None:
                spots = at[key]
                spots.append(data)
                spots.append(position)
                lazy.add(key)
                if key[0] == "term":
                    term_sources[key].append(source)
    at.default_factory = None  # an object nothing references is not in refs_to
    indexes = _RefIndexes(_RefsTo(at, lazy))
    _index_term_usage(index, indexes, term_sources)
    return indexes


def _index_relations(index: KBIndex) -> None:
    for record in index.all_records():
        if isinstance(record, Talk):
            if record.event:
                index.talks_by_event[record.event].append(record)
            for speaker in record.speakers:
                index.talks_by_speaker[speaker].append(record)
        elif isinstance(record, Recommendation) and record.talk:
            index.recs_by_talk[record.talk].append(record)


def _index_term_usage(
    index: KBIndex, found: _RefIndexes, term_sources: dict[tuple[str, str], list[tuple[str, str] | None]]
) -> None:
    usage: dict[str, dict[str, None]] = defaultdict(dict)  # term -> talks, ordered set
    for (_objtype, objid), sources in term_sources.items():  # in the order of refs_to
        for source in sources:
            talk = index.talk_of(source)
            if talk:
                usage[objid][talk] = None
    for term, talks in usage.items():
        found.talks_by_term[term] = list(talks)
        for talk in talks:
            found.terms_by_talk[talk].append(term)


def _add_record(index: KBIndex, record: Record) -> None:
    by_id = index.objects[record.objtype]
    winner = by_id.get(record.id)
    if winner is not None:
        index.duplicates.append(Clash(record, winner))
        return
    by_id[record.id] = record
    index.types_of[record.id].add(record.objtype)
    if isinstance(record, Term):
        for name in dict.fromkeys(record.names):
            key = fold(name)
            owner = index.term_names.get(key)
            if owner is None:
                index.term_names[key] = record
            elif owner.id != record.id:
                index.term_clashes.append(Clash(record, owner, name))


__all__ = ["Clash", "Event", "KBIndex", "Preview", "Speaker", "build_index"]

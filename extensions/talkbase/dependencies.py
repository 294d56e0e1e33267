"""What a page's fingerprint reads of the derived index, and which of it changed (after reading).

A page's fingerprint (:func:`talkbase.incremental.fingerprint`) is computed from
the :class:`~talkbase.lookup.KBIndex`.  Each thing it reads there is a *fact*, a
small hashable key whose value :class:`Values` gives for any index:

- ``("obj", objtype, id)``: the object with that id (the winning definition), or none;
  ``("shown", objtype, id)``: only what a link to it shows (``Record.shown``);
- ``("term", text)``, ``("term-shown", text)``: the same of the term a ``{term}`` text names;
- ``("title", docname)``: a page's title;
- ``("rel", relation, key)``: one entry of a relation of the index (the talks of a
  speaker, the references to an object…, see :data:`RELATIONS`);
- ``("graph", (objtype, id))``: the edges of an object in the relations graph;
- :data:`ANYTHING`: what a filler cannot list (a listing reads every object of its type
  and their relations): a fact that changes whenever any document's data does.

:func:`page_facts` lists the facts one page's fingerprint reads, in the index it is
computed from, each placeholder filler giving those of its ``shown`` (``Filler.depends``).
When each of them has, in that index, the value it had in the index of the last build,
the fingerprint computes as it did then (the same facts read in the same order give
the same result), so the page need not be fingerprinted again: an incremental build
fingerprints the pages read and those reading a fact that changed (:func:`changed_pages`),
whatever the size of the project.  A fact left out of a filler's ``depends`` is a page left
stale: ``tests/test_incremental_equivalence.py`` fingerprints every page after each edit
and fails when one changed that was not listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from talkbase.model import ANY, OBJECT_TYPES, ROLE_TYPES, Mention, Record
from talkbase.values import slugify

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from talkbase.graph.relations import Edge, Key
    from talkbase.lookup import KBIndex
    from talkbase.model import DocData, Ref
    from talkbase.placeholders import Filler

#: A fact: a family name and its key (see the module's docstring).
Fact = tuple[object, ...]
#: The fact of what a filler cannot list: changed whenever a document's data changed.
ANYTHING: Final[Fact] = ("anything",)
#: The relations of :class:`~talkbase.lookup.KBIndex` a filler may read through ``("rel", …)`` facts.
RELATIONS = frozenset(
    {"talks_by_speaker", "talks_by_event", "recs_by_talk", "refs_to", "talks_by_term", "terms_by_talk"}
)


def obj(objtype: str, objid: str) -> Fact:
    """The fact of ``index.get(objtype, objid)``."""
    return ("obj", objtype, objid)


def shown(objtype: str, objid: str) -> Fact:
    """The fact of what a link to ``index.get(objtype, objid)`` shows but its preview
    (``Record.shown``: an object's summary, say, is not part of it)."""
    return ("shown", objtype, objid)


def relation(name: str, key: object) -> Fact:
    """The fact of ``getattr(index, name).get(key)`` (one of :data:`RELATIONS`)."""
    return ("rel", name, key)


def title(docname: str) -> Fact:
    """The fact of ``index.page_titles.get(docname)``."""
    return ("title", docname)


def graph_edges(key: Key) -> Fact:
    """The fact of the edges of object ``key`` in the relations graph."""
    return ("graph", key)


def lookup(objtype: str, text: str, *, whole: bool = True) -> Fact:
    """The fact of ``index.lookup(objtype, text)`` (``whole``: the record, else what links show of it)."""
    if objtype == "term":
        return ("term", text) if whole else ("term-shown", text)
    return (obj if whole else shown)(objtype, slugify(text))


def resolution(index: KBIndex, ref: Ref) -> Iterator[Fact]:
    """The facts of ``index.link_shown(index.resolve(ref))``."""
    # Previews show the summary and photo: the whole record, and the facts of the summary.
    whole = index.previews
    if ref.target_type == ANY:  # ``lookup_any`` looks the text up as every type
        for objtype in OBJECT_TYPES:
            yield lookup(objtype, ref.target, whole=whole)
    else:
        yield lookup(ref.target_type, ref.target, whole=whole)
    if whole and (target := index.resolve(ref)) is not None:
        yield from summary(target)


def summary(record: Record) -> Iterator[Fact]:
    """The facts of ``index.summary(record)``: the titles its mentions show."""
    for part in record.summary:
        if isinstance(part, Mention):
            # A citation or a {doc}/{ref}: another domain's data, not facts of the index.
            kind = ROLE_TYPES.get(part.reftype, part.reftype)
            yield lookup(kind, part.target, whole=False) if part.domain == "kb" else ANYTHING


def link(index: KBIndex, record: Record) -> Iterator[Fact]:
    """The facts of ``index.link_shown(record)``: the record, and its preview's summary."""
    if index.previews:
        yield obj(record.objtype, record.id)
        yield from summary(record)
    else:
        yield shown(record.objtype, record.id)


def links(index: KBIndex, records: Iterable[Record]) -> Iterator[Fact]:
    for record in records:
        yield from link(index, record)


def page_facts(index: KBIndex, fillers: Mapping[str, Filler[Any]], data: DocData) -> Iterator[Fact]:
    """The facts the fingerprint of the page with ``data`` reads (the same steps, in ``index``)."""
    for ref in data.refs:
        yield from resolution(index, ref)
    for query in data.queries:
        filler = fillers.get(query.kind)
        if filler is not None:
            facts = filler.depends(index, query)
            yield from (ANYTHING,) if facts is None else facts
    for record in data.objects:
        yield obj(record.objtype, record.id)
        yield from summary(record)


class Values:
    """The value of every fact in one index."""

    def __init__(self, index: KBIndex) -> None:
        self.index = index
        self._edges: dict[Key, list[Edge]] | None = None
        self._families: dict[object, Callable[..., object]] = {
            "obj": index.get,
            "shown": lambda objtype, objid: _shown(index.get(objtype, objid)),
            "term": index.term,
            "term-shown": lambda text: _shown(index.term(text)),
            "title": index.page_titles.get,
            "rel": lambda name, key: _members(getattr(index, name).get(key)),
            "graph": lambda key: self.edges().get(key),
        }

    def __call__(self, fact: Fact) -> object:
        return self._families[fact[0]](*fact[1:])

    def edges(self) -> dict[Key, list[Edge]]:
        """Object -> the edges it is in, in the relations graph's order."""
        from talkbase.graph.relations import build_relations  # noqa: PLC0415 (its dataclasses: keep setup cheap)

        if self._edges is None:
            self._edges = {}
            for edge in build_relations(self.index).edges:
                for end in dict.fromkeys(edge):
                    self._edges.setdefault(end, []).append(edge)
        return self._edges


def _shown(record: Record | None) -> object:
    return record.shown() if record is not None else None


def _members(items: list[Any] | None) -> object:
    """A relation's entry as the objects (by type and id) or references it holds: what
    a filler shows of each object is a fact of its own (:func:`link`)."""
    return tuple((item.objtype, item.id) if isinstance(item, Record) else item for item in items or ())


def changed_pages(
    before: KBIndex, now: KBIndex, pages: Mapping[str, Callable[[], Iterable[Fact]]]
) -> list[str]:
    """The pages (docname -> its facts in ``now``) reading a fact whose value differs in ``before``."""
    old, new = Values(before), Values(now)
    changed: dict[Fact, bool] = {ANYTHING: True}
    found = []
    for docname, facts in pages.items():
        for fact in facts():
            differs = changed.get(fact)
            if differs is None:
                was, is_ = old(fact), new(fact)
                differs = changed[fact] = not (was is is_ or was == is_)
            if differs:
                found.append(docname)
                break
    return found

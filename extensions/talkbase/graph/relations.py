"""Relation derivation: which objects a relations graph shows and how they are linked.

Pure functions of the :class:`~talkbase.lookup.KBIndex`, so they run whenever the
index is current: after reading (``env-updated``, for the problems of a query and
the fingerprints of :mod:`talkbase.incremental`) and when a page is written (the
filler).  Edges: speaker → talk (``:speakers:``), talk → event (``:event:``), talk →
recommendation, talk → term (terms referenced inside the talk), term → term
(``:see:`` and terms referenced in the definition).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from talkbase.model import OBJECT_TYPES, TYPE_NAMES, Talk, Term
from talkbase.values import slugify

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from talkbase.lookup import KBIndex
    from talkbase.model import Record

Key = tuple[str, str]
Edge = tuple[Key, Key]

#: Names accepted in ``:types:`` and before the colon of ``:root: kind:id`` -> object type.
OBJTYPE_OF = {**{objtype: objtype for objtype in OBJECT_TYPES}, **{name: kind for kind, name in TYPE_NAMES.items()}}


def key(record: Record) -> Key:
    return record.objtype, record.id


def sort_key(item: Key) -> tuple[int, str]:
    return OBJECT_TYPES.index(item[0]), item[1]


@dataclass(frozen=True, slots=True)
class Relations:
    """Every object and every edge of the project (derived once per index)."""

    records: dict[Key, Record]
    edges: tuple[Edge, ...]
    neighbours: dict[Key, tuple[Key, ...]]


def build_relations(index: KBIndex) -> Relations:
    """Every edge between existing objects, sorted (after reading, once per index)."""
    records = {key(record): record for record in index.all_records()}
    edges = {
        (source, target)
        for source, target in (*_option_edges(index, records.values()), *_reference_edges(index))
        if source != target and source in records and target in records
    }
    neighbours: dict[Key, set[Key]] = {}
    for source, target in edges:
        neighbours.setdefault(source, set()).add(target)
        neighbours.setdefault(target, set()).add(source)
    return Relations(
        records,
        tuple(sorted(edges, key=lambda edge: (sort_key(edge[0]), sort_key(edge[1])))),
        {item: tuple(sorted(others, key=sort_key)) for item, others in neighbours.items()},
    )


def _option_edges(index: KBIndex, records: Iterable[Record]) -> Iterator[Edge]:
    """Speaker → talk, talk → event, talk → recommendation, term → ``:see:`` term."""
    for record in records:
        if isinstance(record, Talk):
            for speaker in record.speakers:
                yield ("speaker", speaker), key(record)
            if record.event:
                yield key(record), ("event", record.event)
            for rec in index.recs_by_talk.get(record.id, []):
                yield key(record), key(rec)
        elif isinstance(record, Term):
            for see in record.see:
                seen = index.term(see)
                if seen is not None:
                    yield key(record), key(seen)


def _reference_edges(index: KBIndex) -> Iterator[Edge]:
    """Talk → term and term → term: the terms referenced from inside a talk or a term."""
    for refs in index.refs_from.values():
        for ref in refs:
            if ref.source is not None and ref.source[0] in {"talk", "term"} and ref.target_type == "term":
                found = index.resolve(ref)
                if found is not None:
                    yield ref.source, key(found)


@dataclass(frozen=True, slots=True)
class Graph:
    """The objects and edges one graph shows, in a stable order."""

    root: Record | None
    records: tuple[Record, ...]
    edges: tuple[tuple[Record, Record], ...]

    def shown(self, index: KBIndex) -> object:
        """What the page shows of the graph: the fingerprint input of :mod:`talkbase.incremental`.

        Drawn as a list of links (no ``dot``, text builders), the objects have previews.
        """
        return (
            key(self.root) if self.root else None,
            tuple(map(index.link_shown, self.records)),
            tuple((key(a), key(b)) for a, b in self.edges),
        )


def root_lookups(root: str) -> list[tuple[str, str]]:
    """``(object type, text)`` of each lookup that finds what ``root`` (``id``, ``kind:id`` or a
    term's text) may name, in type order."""
    kind, sep, text = root.partition(":")
    kinds: Iterable[str] = OBJECT_TYPES
    if sep and kind.strip().lower() in OBJTYPE_OF:
        kinds, root = (OBJTYPE_OF[kind.strip().lower()],), text.strip()
    return [(objtype, root) for objtype in kinds]


def root_candidates(index: KBIndex, root: str) -> list[Record]:
    """The objects ``root`` (``id``, ``kind:id`` or a term's text) may name, in type order."""
    found = []
    for objtype, text in root_lookups(root):
        record = index.term(text) if objtype == "term" else index.get(objtype, slugify(text))
        if record is not None:
            found.append(record)
    return found


def select(relations: Relations, root: Record | None, depth: int, types: Iterable[str]) -> Graph:
    """The graph of ``types`` (all when empty): whole, or ``depth`` links around ``root``.

    Traversal stays within the kept types; the root is always kept.
    """
    allowed = set(types) or set(OBJECT_TYPES)
    if root is None:
        chosen = {item for item in relations.records if item[0] in allowed}
    else:
        allowed.add(root.objtype)
        chosen = {key(root)}
        frontier = [key(root)]
        for _level in range(depth):
            reached = []
            for item in frontier:
                for other in relations.neighbours.get(item, ()):
                    if other[0] in allowed and other not in chosen:
                        chosen.add(other)
                        reached.append(other)
            frontier = reached
    records = relations.records
    return Graph(
        root,
        tuple(records[item] for item in sorted(chosen, key=sort_key)),
        tuple((records[a], records[b]) for a, b in relations.edges if a in chosen and b in chosen),
    )

"""The kb domain's data survives the pickled environment unchanged, and compactly.

:class:`talkbase.model.DocData` pickles its document's name once instead of in
every record, reference and query; the records and references Sphinx pickles
after reading must come back equal to those the directives made, for every
object type (``test-indices`` has events, talks, speakers, recommendations and
terms with translations and aliases; ``test-listings`` has listing queries).
"""

from __future__ import annotations

import pickle
from dataclasses import fields
from typing import TYPE_CHECKING, NoReturn

import pytest
from sphinx.testing.util import SphinxTestApp

from talkbase import model
from talkbase.domain import KBDomain
from talkbase.model import (
    BacklinksParams,
    DocData,
    Event,
    GraphParams,
    ListingParams,
    Mention,
    ObjectParams,
    Query,
    QueryParams,
    Recommendation,
    Ref,
    Speaker,
    Talk,
    Term,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


@pytest.mark.parametrize("root", ["indices", "listings"])
def test_pickled_domain_data_equals_what_was_read(root: str, copy_root: Callable[[str], Path]) -> None:
    app = SphinxTestApp("html", srcdir=copy_root(root))
    try:
        app.build()
        read = app.env.domaindata["kb"]["docs"]
        with (app.doctreedir / "environment.pickle").open("rb") as file:
            pickled = pickle.load(file).domaindata["kb"]["docs"]
    finally:
        app.cleanup()
    assert {type(record).__name__ for data in read.values() for record in data.objects} >= {
        "Event", "Talk", "Speaker", "Recommendation", "Term"
    } or root == "listings"  # fmt: skip
    assert any(data.queries for data in read.values())
    assert pickled == read
    for docname, data in pickled.items():
        assert {item.docname for item in (*data.objects, *data.refs, *data.queries)} <= {docname}


def name() -> str:
    """The same docname as another ``str`` object each time (as read from different nodes)."""
    return "".join(["talks/", "some-long-document-name"])


def test_docname_pickled_once() -> None:
    talk = Talk("t1", "A talk", name(), 3, ("Text",), speakers=("s1",), date="2024-01-01")
    ref = Ref(name(), 4, "speaker", "s1", "speakers", ("talk", "t1"), "talk-t1")
    query = Query("cite-this", name(), 3, ObjectParams("t1"))
    data = DocData([talk], [ref], [query])
    dumped = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    assert dumped.count(b"some-long-document-name") == 1
    assert pickle.loads(dumped) == data
    assert pickle.loads(pickle.dumps(DocData())) == DocData()


def every_kind_of_item() -> DocData:
    """A document with every record class (fields given and left default), references whose
    spot and source are and are not the defaults, and queries that do and do not repeat a record."""
    doc = name()
    talk = Talk("t1", "A talk", doc, 3, ("Text ", Mention("kb", "talk", "t2", "t2"), "."), speakers=("s1",))
    records = [
        Event("e1", "An event", doc, 1, (), date="2024-01-01", end="2024-01-02", place="Lyon", series="S"),
        talk,
        Talk("t2", "Bare talk", doc, 20),
        Speaker("s1", "Ada", doc, 30, ("Bio.",), affiliation="Lab", literal_name=True),
        Speaker("s2", "Bob", doc, 31, family="B", given="Bo", suffix="Jr"),
        Recommendation("t1-r1", "Read it", doc, 40, talk="t1", tags=("x", "y")),
        Term("term-1", "Word", doc, 50, lang="fr", translations=(("en", "word"),), aliases=("w",), see=("v",)),
        Term("term-2", "Zero", doc, 0),
    ]
    refs = [
        Ref(doc, 3, "speaker", "s1", "speakers", ("talk", "t1"), "talk-t1"),  # an option's: the object's anchor
        Ref(doc, 4, "talk", "t2", "talk", ("talk", "t1"), "kbref-1"),  # a role's: its position
        Ref(doc, 5, "term", "word", "term", None, "kbref-2"),
        Ref(doc, 6, "term", "word", "term", None, "kbref-3x"),  # the id was taken
        Ref(doc, 7, "talk", "t9", "talk", ("talk", "t9"), "kbref-4"),  # an object this document lacks
        Ref(doc, 8, "event", "e1", "event", None, ""),  # an option outside any object
        Ref(doc, 9, "any", "Word", "any", ("rec", "t1-r1"), "rec-t1-r1"),
        Ref(doc, 0, "talk", "t1", "talk", ("term", "term-2"), "kbref-7"),
        Ref(doc, 10, "talk", "t1", "a future option", ("talk", "t1"), "talk-t1"),  # a kind without a code
        Ref(doc, 11, "any", "Word", "any", None, "kbref-9"),
    ]
    queries: list[Query[QueryParams]] = [
        Query("cite-this", doc, 3, ObjectParams("t1")),
        Query("backlinks", doc, 3, BacklinksParams("talk", "t1")),
        Query("backlinks", doc, 40, BacklinksParams("rec", "t1-r1")),
        Query("backlinks", doc, 0, BacklinksParams("term", "term-2")),
        Query("backlinks", doc, 4, BacklinksParams("talk", "t1")),  # not on the object's line
        Query("backlinks", doc, 3, BacklinksParams("speaker", "t1")),  # not the type of the object there
        Query("speaker-talks", doc, 30, ObjectParams("s9")),  # an object of another document
        Query("listing", doc, 60, ListingParams("talk", speaker=("s1",), tag=(), limit=3, collation="fr")),
        Query("graph", doc, 61, GraphParams("talk:t1", 2, ("talk",))),
        Query("graph", doc, 62, GraphParams(own=True)),
    ]
    return DocData(records, refs, queries)


def test_every_item_round_trips_equal() -> None:
    data = every_kind_of_item()
    back = pickle.loads(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))
    assert back == data
    for items, back_items in ((data.objects, back.objects), (data.refs, back.refs), (data.queries, back.queries)):
        assert [type(item) for item in back_items] == [type(item) for item in items]
        for item, back_item in zip(items, back_items, strict=True):
            assert back_item == item
            # the same values of the same types (False is not 0, () is not None)
            assert list(map(type, values(back_item))) == list(map(type, values(item)))
    for record in (*data.objects, *data.refs, *data.queries, *(query.params for query in data.queries)):
        assert pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL)) == record


def values(item: object) -> tuple[object, ...]:
    return tuple(getattr(item, field.name) for field in fields(item))  # type: ignore[arg-type]


def test_repeated_values_are_not_pickled() -> None:
    """A record's defaults, and what a reference or query repeats of a record of its document,
    are left out of the pickle: the environment holds thousands of them."""
    data = every_kind_of_item()
    dumped = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    assert b"kbref-1" not in dumped  # a role's spot is its position
    assert b"talk-t1" not in dumped  # an option's spot is its object's anchor
    assert b"rec-t1-r1" not in dumped
    assert b"kbref-3x" in dumped
    # a record's own query costs a few bytes, not its parameters: two more "backlinks"…
    one = pickle.dumps(DocData(data.objects, [], data.queries[1:2]), pickle.HIGHEST_PROTOCOL)
    three = pickle.dumps(DocData(data.objects, [], data.queries[1:4]), pickle.HIGHEST_PROTOCOL)
    assert len(three) - len(one) <= 2 * 8
    bare = pickle.dumps(Speaker("s2", "Bob", "d", 1), pickle.HIGHEST_PROTOCOL)
    assert len(bare) < len(pickle.dumps(Speaker("s2", "Bob", "d", 1, literal_name=True), pickle.HIGHEST_PROTOCOL)) - 10


def refuse(*args: object) -> NoReturn:
    raise AssertionError("called")


def test_unchanged_document_is_pickled_as_it_was_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document unpickled with the environment makes its items only when first read, and,
    unchanged, is pickled again in the form it was read from: a build that saves the
    environment does not pack every document anew."""
    data = every_kind_of_item()
    dumped = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    for name in ("_pack_record", "_pack_ref", "_pack_query", "_unpack_ref", "_unpack_query"):
        monkeypatch.setattr(model, name, refuse)
    loaded = pickle.loads(dumped)
    assert loaded.objects == data.objects  # records made; references and queries not
    assert "graph" in loaded.query_kinds()
    assert pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL) == dumped
    monkeypatch.undo()
    assert (loaded.refs, loaded.queries) == (data.refs, data.queries)
    for name in ("_pack_record", "_pack_ref", "_pack_query"):
        monkeypatch.setattr(model, name, refuse)
    assert pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL) == dumped
    assert pickle.loads(dumped) == loaded == data


def test_changed_document_is_packed_again() -> None:
    """Once changed (through ``touch``, as ``KBDomain.doc_data`` does, or a new list of
    references), a document unpickled earlier is pickled from what it holds now."""
    dumped = pickle.dumps(every_kind_of_item(), pickle.HIGHEST_PROTOCOL)
    added = Talk("t3", "Added", name(), 70)
    loaded = pickle.loads(dumped)
    loaded.touch().objects.append(added)
    back = pickle.loads(pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL))
    assert back.objects[-1] == added
    assert back == loaded != every_kind_of_item()
    loaded = pickle.loads(dumped)
    loaded.refs = loaded.refs[:1]
    back = pickle.loads(pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL))
    assert back.refs == every_kind_of_item().refs[:1]
    assert back.objects == every_kind_of_item().objects


def test_domain_changes_a_document_through_doc_data(copy_root: Callable[[str], Path]) -> None:
    """``KBDomain.doc_data``, the one way to add to a document's data, drops the form it was read from."""
    app = SphinxTestApp("html", srcdir=copy_root("indices"))
    try:
        app.build()
        docname = next(docname for docname, data in app.env.domaindata["kb"]["docs"].items() if data.objects)
        with (app.doctreedir / "environment.pickle").open("rb") as file:
            env = pickle.load(file)
    finally:
        app.cleanup()
    data = env.domaindata["kb"]["docs"][docname]
    domain = KBDomain(env)
    added = Talk("added", "Added", docname, 999)
    domain.note_record(added)
    back = pickle.loads(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))
    assert back.objects[-1] == added

"""The kb domain's data survives the pickled environment unchanged, and compactly.

:class:`talkbase.model.DocData` pickles its document's name once instead of in
every record, reference and query; the records and references Sphinx pickles
after reading must come back equal to those the directives made, for every
object type (``test-indices`` has events, talks, speakers, recommendations and
terms with translations and aliases; ``test-listings`` has listing queries).
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from talkbase.model import DocData, ObjectParams, Query, Ref, Talk

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

"""The index of the references (``KBIndex.refs_to`` and the relations derived from it).

Its lists are made when first asked for, from the documents' packed references
(issue 16): they must equal those of indexing every reference eagerly, and a
rebuild writing one page must make only the references that page shows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from talkbase import model
from talkbase.domain import kb_domain
from talkbase.lookup import build_index
from talkbase.model import DocData

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from talkbase.lookup import KBIndex
    from talkbase.model import Record, Ref


def eager(index: KBIndex) -> tuple[dict[tuple[str, str], list[Ref]], dict[str, list[str]], dict[str, list[str]]]:
    """refs_to, terms_by_talk, talks_by_term as indexing every reference at once made them."""
    refs_to: dict[tuple[str, str], list[Ref]] = defaultdict(list)
    for _docname, data in index.docs:
        for ref in data.refs:
            target = index.resolve(ref)
            if target is not None:
                refs_to[target.objtype, target.id].append(ref)
    usage: dict[str, dict[str, None]] = defaultdict(dict)
    for (objtype, objid), refs in refs_to.items():
        for ref in refs if objtype == "term" else ():
            if talk := index.talk_of(ref.source):
                usage[objid][talk] = None
    terms_by_talk: dict[str, list[str]] = defaultdict(list)
    for term, talks in usage.items():
        for talk in talks:
            terms_by_talk[talk].append(term)
    return dict(refs_to), dict(terms_by_talk), {term: list(talks) for term, talks in usage.items()}


def lazily(index: KBIndex) -> tuple[dict[tuple[str, str], list[Ref]], dict[str, list[str]], dict[str, list[str]]]:
    return dict(index.refs_to.items()), dict(index.terms_by_talk), dict(index.talks_by_term)


def built(copy_root: Callable[[str], Path], name: str) -> Path:
    srcdir = copy_root(name)
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
    finally:
        app.cleanup()
    return srcdir


def test_lazy_lists_equal_the_eager_ones(copy_root: Callable[[str], Path]) -> None:
    """On the pickled documents (references still packed) and on documents just read."""
    srcdir = built(copy_root, "backlinks")
    app = SphinxTestApp("html", srcdir=srcdir)  # loads the pickled environment, builds nothing
    try:
        domain = kb_domain(app.env)
        packed = domain.index
        lazy = [data for _docname, data in packed.docs if data._refs is None]
        assert lazy  # (a document without references pickles whole)
        found = lazily(packed)  # before eager() makes every document's references
        assert all(data._refs is None for data in lazy)
        expected = eager(packed)
        assert expected[0] and expected[1] and expected[2]
        assert list(found[0]) == list(expected[0])  # the objects, in the order of their first reference
        assert found == expected
        assert packed.refs_from == {docname: data.refs for docname, data in packed.docs}
        read = build_index(
            {docname: DocData(data.objects, data.refs, data.queries) for docname, data in packed.docs}, {}
        )
        assert lazily(read) == expected
        # Asked for again, a list is the one made the first time.
        some = next(iter(expected[0]))
        assert packed.refs_to[some] is packed.refs_to.get(some)
        assert packed.refs_to.get(("talk", "nobody")) is None
    finally:
        app.cleanup()


@pytest.mark.parametrize("page", ["speakers", "talks"])
def test_a_body_edit_makes_only_the_references_shown(
    copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """Writing the edited page makes the references (pickled, still packed) to the objects
    it defines, no other; its own references, just read, are indexed as they are."""
    srcdir = built(copy_root, "backlinks")
    made: list[Ref] = []
    unpack = model._unpack_ref

    def counted(docname: str, records: list[Record], position: int, packed: tuple[object, ...]) -> Ref:
        ref = unpack(docname, records, position, packed)
        made.append(ref)
        return ref

    monkeypatch.setattr(model, "_unpack_ref", counted)
    source = srcdir / f"{page}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA sentence added at the end.\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        assert "sentence added" in (app.outdir / f"{page}.html").read_text(encoding="utf-8")
        made_by_build = list(made)
        index = kb_domain(app.env).index
        # Every list as indexing every reference eagerly makes it: the page's references
        # (made) and the other pages' (packed), in document order.
        expected = eager(index)
        assert lazily(index) == expected
    finally:
        app.cleanup()
    defined = {(record.objtype, record.id) for record in index.all_records() if record.docname == page}
    shown = [ref for key in defined for ref in expected[0].get(key, []) if ref.docname != page]
    assert len(shown) >= 3
    # The page's references as they were before the edit are made too, to compare them
    # with those read (incremental.read_back_unchanged): not the index's doing.
    made_by_index = [ref for ref in made_by_build if ref.docname != page]
    assert sorted(made_by_index, key=repr) == sorted(shown, key=repr)

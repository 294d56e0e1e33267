"""The index of the references (``KBIndex.refs_to`` and the relations derived from it).

Its lists are made when first asked for, from the documents' packed references
(issue 16): they must equal those of indexing every reference eagerly, and a
rebuild writing one page must make only the references that page shows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sphinx.testing.util import SphinxTestApp

from talkbase import model
from talkbase.domain import kb_domain
from talkbase.lookup import build_index
from talkbase.model import DocData

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import pytest

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


def test_a_body_edit_makes_only_the_references_shown(
    copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the edited page of speakers makes the references to its speakers, no other."""
    srcdir = built(copy_root, "backlinks")
    made: list[Ref] = []
    unpack = model._unpack_ref

    def counted(docname: str, records: list[Record], position: int, packed: tuple[object, ...]) -> Ref:
        ref = unpack(docname, records, position, packed)
        made.append(ref)
        return ref

    monkeypatch.setattr(model, "_unpack_ref", counted)
    page = srcdir / "speakers.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added at the end.\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        assert "sentence added" in (app.outdir / "speakers.html").read_text(encoding="utf-8")
        index = kb_domain(app.env).index
        shown = [*index.refs_to[("speaker", "alice")], *index.refs_to[("speaker", "bob")]]
    finally:
        app.cleanup()
    assert len(shown) == 4
    assert sorted(made, key=repr) == sorted(shown, key=repr)

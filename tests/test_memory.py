"""What a build lets go once no step needs it (talkbase/collation.py, talkbase/collector.py):
pyuca's table when the pages are written, sphinx-design's octicon table before reading, the
answers kept on the derived index when every page is written, each doctree once Sphinx
pickled it after reading and once its page is written.  Root ``test-collation``
(listings sorted by name, speaker and term indices, "Referenced by"), built in this process."""

from __future__ import annotations

import gc
import weakref
from typing import TYPE_CHECKING, Any

import pytest
import sphinx_design.icons
from sphinx.testing.util import SphinxTestApp

from talkbase import collation
from talkbase.domain import kb_domain

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def build_listening(srcdir: Path, listeners: list[tuple[str, Callable[..., Any], int]], *, jobs: int = 1) -> None:
    """Build ``srcdir`` in this process with ``listeners`` (event, handler, priority) connected;
    the root builds without a warning."""
    app = SphinxTestApp("html", srcdir=srcdir, parallel=jobs)
    try:
        for event, handler, priority in listeners:
            app.connect(event, handler, priority=priority)
        app.build()
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()


def seen_during(srcdir: Path) -> dict[str, list[int]]:
    """How many pyuca tables, octicon tables and kept answers existed at each point of a build."""
    seen: dict[str, list[int]] = {"reading": [], "read": [], "resolved": [], "finished": [], "answers": []}

    def tables() -> int:
        return collation._collator.cache_info().currsize

    def reading(app: Sphinx, docname: str, source: list[str]) -> None:
        seen["reading"].append(sphinx_design.icons.get_octicon_data.cache_info().currsize)

    def read(app: Sphinx, env: BuildEnvironment) -> list[str]:
        seen["read"].append(tables())
        seen["answers"].append(len(kb_domain(env).index._memo))
        return []

    def resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        seen["resolved"].append(tables())

    def finished(app: Sphinx, exception: BaseException | None) -> None:
        seen["finished"].append(len(kb_domain(app.env).index._memo))

    build_listening(srcdir, [
        ("source-read", reading, 500),
        ("env-updated", read, 999),  # after the fingerprints
        ("doctree-resolved", resolved, 999),
        ("build-finished", finished, 999),
    ])  # fmt: skip
    return seen


@pytest.fixture
def fresh_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    """No weight known from an earlier test of this process, no table loaded."""
    monkeypatch.setattr(collation, "_KNOWN", collation._Known())
    collation.release_table()


def test_tables_let_go(copy_root: Callable[[str], Path], fresh_weights: None) -> None:
    seen = seen_during(copy_root("collation"))
    # The listings sorted new names after reading, with pyuca's table; no page is written with it.
    assert seen["read"] == [1]
    assert seen["resolved"] and set(seen["resolved"]) == {0}
    # sphinx-design's octicon table was gone before the first page was read (none shows an icon).
    assert seen["reading"] and set(seen["reading"]) == {0}


def test_answers_forgotten_once_pages_are_written(copy_root: Callable[[str], Path], fresh_weights: None) -> None:
    seen = seen_during(copy_root("collation"))
    assert seen["answers"][0] > 0  # the listings and "Referenced by" were answered for the fingerprints
    assert seen["finished"] == [0]


def test_names_new_after_the_table_went_are_sorted_the_same(fresh_weights: None) -> None:
    """A name first seen after :func:`collation.release_table` loads the table again."""
    names = ["Ølaf Zed", "Émile Ångström", "Łukasz Straße"]
    before = [collation.sort_key(name, "en") for name in names]
    groups = [collation.group_of(name, "en") for name in names]
    collation.sort_key.cache_clear()
    collation._KNOWN = collation._Known()  # undone by the fixture's monkeypatch
    collation.release_table()
    assert [collation.sort_key(name, "en") for name in names] == before
    assert [collation.group_of(name, "en") for name in names] == groups == ["O", "E", "L"]


def doctrees_during(srcdir: Path, *, jobs: int = 1) -> dict[str, Any]:
    """What was left of the doctrees read and written at the points of a build where
    talkbase lets them go (talkbase/collector.py), and what the collector held then."""
    read: list[weakref.ref[nodes.document]] = []
    written: list[weakref.ref[nodes.document]] = []
    seen: dict[str, Any] = {}

    def after_read(app: Sphinx, doctree: nodes.document) -> None:
        read.append(weakref.ref(doctree))

    def writing(app: Sphinx, builder: object) -> None:
        # After collector's handler; no collection of this test's own.
        seen["read alive"] = sum(ref() is not None for ref in read)
        seen["read cached"] = len(app.env._write_doc_doctree_cache)

    def resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        written.append(weakref.ref(doctree))
        if "data tracked" not in seen:
            tracked = {id(obj) for obj in gc.get_objects()}
            made = kb_domain(app.env).data["docs"].values()  # one per document read
            seen["data made"] = len(made)
            seen["data tracked"] = sum(id(data) in tracked for data in made)

    def finished(app: Sphinx, exception: BaseException | None) -> None:
        # Before collector's unfreeze: a doctree frozen with the environment survives this.
        gc.collect()
        seen["written alive"] = sum(ref() is not None for ref in written)
        seen["pickled kept"] = sorted(app.env._pickled_doctree_cache)

    build_listening(srcdir, [
        ("doctree-read", after_read, 500),
        ("write-started", writing, 1001),
        ("doctree-resolved", resolved, 1001),
        ("build-finished", finished, 999),
    ], jobs=jobs)  # fmt: skip
    seen["read"], seen["written"] = len(read), len(written)
    return seen


def test_doctrees_read_are_freed_before_the_pages_are_written(copy_root: Callable[[str], Path]) -> None:
    seen = doctrees_during(copy_root("collation"))
    assert seen["read"] == 4
    # Sphinx's cache of the doctrees read was emptied, and the doctrees (reference cycles)
    # were collected before the write phase, not frozen with the environment.
    assert seen["read cached"] == 0
    assert seen["read alive"] == 0


def test_written_doctrees_are_not_kept(copy_root: Callable[[str], Path]) -> None:
    seen = doctrees_during(copy_root("collation"))
    assert seen["written"] == 4
    # Each page's doctree, unpickled for writing, is garbage once written: the
    # environment frozen at write-started holds none of them, nor their pickles.
    assert seen["written alive"] == 0
    assert seen["pickled kept"] == []


def test_environment_frozen_while_writing(copy_root: Callable[[str], Path]) -> None:
    """What reading made (here the kb domain's records) is out of the collector's reach
    while the pages are written, so its full collections walk only the write phase's."""
    seen = doctrees_during(copy_root("collation"))
    assert seen["data made"] == 4
    assert seen["data tracked"] == 0
    assert gc.get_freeze_count() == 0  # given back at build-finished


def test_parallel_build_lets_doctrees_go_too(copy_root: Callable[[str], Path]) -> None:
    """With ``-j 2`` the main process unpickles every page's doctree to resolve it."""
    seen = doctrees_during(copy_root("collation"), jobs=2)
    assert seen["pickled kept"] == []

"""What a build lets go once no step needs it (talkbase/collation.py, talkbase/collector.py):
pyuca's table when the pages are written, sphinx-design's octicon table before reading, the
answers kept on the derived index when every page is written.  Root ``test-collation``
(listings sorted by name, speaker and term indices, "Referenced by"), built in this process."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.connect("source-read", reading)
        app.connect("env-updated", read, priority=999)  # after the fingerprints
        app.connect("doctree-resolved", resolved, priority=999)
        app.connect("build-finished", finished, priority=999)
        app.build()
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
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

"""The kb domain indices kept between builds (``talkbase.indexcache``).

Sphinx writes the talk, speaker and term indices on every build; talkbase keeps
their content next to the doctrees with a digest of what it was made from.  A
rebuild that changes none of it makes none of it again; any edit an index shows
(a name, a date, an affiliation, a speaker's talk count, a translation, a new
object) makes it again, so an incremental build shows what a clean one does.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from tests.conftest import build_copy

from talkbase import indexcache

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

PAGES = ("kb-talkindex", "kb-speakerindex", "kb-termindex")

#: (file, old text, new text, a text the indices show only after the edit).
EDITS = {
    "speaker renamed (moves to another letter)": (
        "speakers.md", "{speaker} Carol King", "{speaker} Aaron King", "Aaron King"
    ),
    "affiliation": ("speakers.md", ":affiliation: Acme", ":affiliation: Acme Corp", "Acme Corp"),
    "event date (reorders the talk index)": ("events.md", ":date: 2023-10-05", ":date: 2025-10-05", "2025"),
    "talk's speakers (counts and names)": (
        "talks/day1.md", ":speakers: alice, bob", ":speakers: alice, carol", "Alice Martin, Carol King"
    ),
    "translation": ("terms.md", "en: proxemics", "en: personal space", "personal space"),
}  # fmt: skip


def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The indices whose content is computed (not taken from the last build) from now on."""
    names: list[str] = []
    original = indexcache.cached

    def counting(doctreedir: str, name: str, key: str, make: Callable[[], object]) -> object:
        def counted() -> object:
            names.append(name)
            return make()

        return original(doctreedir, name, key, counted)

    monkeypatch.setattr(indexcache, "cached", counting)
    return names


def page(build: BuiltRoot, name: str) -> str:
    body = build.html(name).select_one("div.body")
    assert body is not None, name
    return str(body)


def test_noop_rebuild_makes_no_index(copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = copy_root("indices")
    first = build_copy(srcdir)
    before = {name: page(first, name) for name in PAGES}
    names = made(monkeypatch)
    again = build_copy(srcdir)
    assert names == []
    assert {name: page(again, name) for name in PAGES} == before
    assert "Carol King" in before["kb-speakerindex"]


@pytest.mark.parametrize("edit", EDITS)
def test_edited_index_equals_a_clean_build(
    edit: str, copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = copy_root("indices")
    before = "".join(page(build_copy(srcdir), name) for name in PAGES)
    name, old, new, now_shown = EDITS[edit]
    path = srcdir / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    names = made(monkeypatch)
    incremental = build_copy(srcdir)
    assert names, "no index was made again after an edit it shows"
    clean_src = tmp_path / "clean"
    shutil.copytree(srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build_copy(clean_src)
    for name in PAGES:
        assert page(incremental, name) == page(clean, name), name
    shown = "".join(page(incremental, name) for name in PAGES)
    assert now_shown in shown
    assert now_shown not in before

"""The ``_kb/`` exports of an incremental build equal a clean build's, byte for byte, although
each record's texts are kept between builds (:mod:`talkbase.cite.exportcache`); root ``test-cite``.

Each change is on another page than the talks whose texts it changes where it can be, so
that the talk's page is not read again and only the kept texts could be stale.
"""

from __future__ import annotations

import pickle
import shutil
from typing import TYPE_CHECKING

import pytest
from tests.conftest import ROOTS, build_copy, clean_build, edit

from talkbase.cite import exportcache

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import BuiltRoot

EXPORTS = ("talks.bib", "talks.csl.json", "talks.ris", "kb.json")

#: name -> (file, old text, new text): what changes a talk's citation or an object's kb.json value.
CHANGES = {
    "talk renamed": ("talks.md", "{talk} Médias sociaux : état des lieux", "{talk} Médias sociaux : le bilan"),
    "speaker renamed": ("speakers.md", "{speaker} Stéphane Hugon", "{speaker} Stéphane Hugon-Martin"),
    "event moved": ("events.md", ":place: Paris", ":place: Marseille"),
    "event dated": ("events.md", ":date: 2011-09-05", ":date: 2011-09-06"),
    "term renamed": ("terms.md", "{term} signaux faibles", "{term} signaux très faibles"),
    "term translated": ("terms.md", ":translations: en: proxemics", ":translations: en: proxemics, de: Proxemik"),
}


def exports(build: BuiltRoot) -> dict[str, bytes]:
    return {name: (build.outdir / "_kb" / name).read_bytes() for name in EXPORTS}


def exports_around_edit(
    tmp_path: Path, root: str, change: tuple[str, str, str]
) -> tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]]:
    """The exports of ``root`` built, then rebuilt after ``change`` (file, old, new), and of
    a clean build of the changed sources."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    before = exports(build_copy(srcdir))
    name, old, new = change
    edit(srcdir / name, old, new)
    incremental = build_copy(srcdir)
    assert incremental.warnings == ""
    return before, exports(incremental), exports(clean_build(srcdir, tmp_path))


@pytest.mark.parametrize("change", CHANGES)
def test_incremental_exports_equal_clean(tmp_path: Path, change: str) -> None:
    before, after, clean = exports_around_edit(tmp_path, "cite", CHANGES[change])
    assert after != before  # the change reaches the exports: the kept texts were not enough
    assert after == clean


#: Changes that reach the exports through another domain (root ``test-incremental-shown``):
#: a citation in a talk's summary (sphinxcontrib-bibtex), a page title shown by ``{doc}``.
ELSEWHERE = {
    "changed citation": ("refs.bib", 'year = "2000"', 'year = "1999"'),
    "retitled page": ("events.md", "# Events of 2011", "# Events of 2012"),
}


@pytest.mark.parametrize("change", ELSEWHERE)
def test_incremental_exports_equal_clean_through_other_domains(tmp_path: Path, change: str) -> None:
    before, after, clean = exports_around_edit(tmp_path, "incremental-shown", ELSEWHERE[change])
    assert after["kb.json"] != before["kb.json"]
    assert after == clean


def test_changed_base_url_is_not_served_from_the_kept_texts(tmp_path: Path) -> None:
    """``html_baseurl`` reaches every talk's URL without any document being read again."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-cite", srcdir)
    build_copy(srcdir)
    overrides = {"html_baseurl": "https://elsewhere.example.org/"}
    incremental = build_copy(srcdir, confoverrides=overrides)
    assert b"https://elsewhere.example.org/talks.html#talk-hostile" in exports(incremental)["talks.ris"]
    assert exports(incremental) == exports(clean_build(srcdir, tmp_path, confoverrides=overrides))


def _poison(doctreedir: Path) -> None:
    """Replace every kept text by a marker, keeping the keys."""
    path = doctreedir / exportcache.TEXTS_FILE
    stored = pickle.loads(path.read_bytes())
    stored["talks"] = dict.fromkeys(stored["talks"], ("POISON",) * 3)
    stored["objects"] = dict.fromkeys(stored["objects"], "POISON")
    path.write_bytes(pickle.dumps(stored))


def test_kept_texts_are_used_only_for_their_own_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A talk whose citation did not change takes its kept texts; a changed one is made again;
    texts kept by another version of the code are not used at all."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-cite", srcdir)
    first = build_copy(srcdir)
    doctreedir = first.outdir.parent / "doctrees"
    _poison(doctreedir)
    # Only the hostile talk's citation changes (its event's place).
    edit(srcdir / "events.md", ":place: Lyon & {Villeurbanne} 100%", ":place: Lyon")
    ris = exports(build_copy(srcdir))["talks.ris"].decode()
    kept, made = ris.split("\r\n", 1)  # talks in id order, records joined by a blank line
    assert kept == "POISON"  # etat-des-lieux, unchanged: its kept text (here, the marker)
    assert made.startswith("TY  - SLIDE\r\nID  - hostile\r\n")  # hostile: made again
    assert "CY  - Lyon\r\n" in made
    _poison(doctreedir)
    monkeypatch.setattr(exportcache, "FORMAT", exportcache.FORMAT + 1)
    exportcache.code_version.cache_clear()
    exportcache.texts_version.cache_clear()
    try:
        edit(srcdir / "events.md", ":place: Lyon\n", ":place: Lyon 2\n")
        after = exports(build_copy(srcdir))
    finally:
        exportcache.code_version.cache_clear()
        exportcache.texts_version.cache_clear()
    assert all(b"POISON" not in text for text in after.values())
    assert after == exports(clean_build(srcdir, tmp_path))

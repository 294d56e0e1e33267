"""The search index's stemmer is memoised for the whole build (talkbase/stems.py);
root ``test-stems``: two pages sharing words, built in this process, serial and ``-j 2``."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from sphinx.search.en import SearchEnglish
from tests.conftest import ROOTS, build_copy

import talkbase.stems

if TYPE_CHECKING:
    from pathlib import Path

SHARED = ("running", "studies", "proxemics", "counting", "audiences")


def stemmed_words(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the words the English stemmer is asked for from now on."""
    asked: Counter[str] = Counter()
    stem = SearchEnglish.stem

    def counting(self: SearchEnglish, word: str) -> str:
        asked[word] += 1
        return stem(self, word)

    monkeypatch.setattr(SearchEnglish, "stem", counting)
    return asked


def search_index(outdir: Path) -> dict[str, object]:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("parallel", [1, 2])
def test_each_word_stemmed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: int) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-stems", srcdir)
    asked = stemmed_words(monkeypatch)
    built = build_copy(srcdir, parallel=parallel)
    assert built.warnings == ""
    assert built.parallel == (parallel > 1)
    assert set(SHARED) <= set(asked)
    assert max(asked.values()) == 1, asked.most_common(3)
    index = search_index(built.outdir)
    terms, docnames = index["terms"], index["docnames"]
    assert isinstance(terms, dict) and isinstance(docnames, list)
    both = sorted([docnames.index("distance"), docnames.index("gestures")])
    for word, stem in {"proxemics": "proxem", "running": "run", "audiences": "audienc"}.items():
        assert sorted(terms[stem]) == both, word


def test_same_index_as_sphinx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx's per-page memo gives the same search index, while stemming a shared word on every page."""
    memoised = build_copy(shutil.copytree(ROOTS / "test-stems", tmp_path / "memoised"))
    monkeypatch.setattr(talkbase.stems, "memoise_stemmer", lambda *args: None)
    asked = stemmed_words(monkeypatch)
    per_page = build_copy(shutil.copytree(ROOTS / "test-stems", tmp_path / "per-page"))
    assert asked["proxemics"] == 2  # once per page: what the memo saves
    assert (memoised.outdir / "searchindex.js").read_bytes() == (per_page.outdir / "searchindex.js").read_bytes()

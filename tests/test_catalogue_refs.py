"""Catalogue of broken references (issue 8): unknown ids and wrong types in every
role, id-taking option and listing filter.  The core cases (``{talk}``,
``:speakers:``, ``:event:``, ``:talk:``, ``:see:``, ``{term}``) are in
test_core_warnings.py; this adds the other roles, the prefixed roles, wrong
types in every option and filter, the exit status, and what survives."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from tests.conftest import assert_warning

from catalogue_support import (
    ROOTS,
    BuiltRoot,
    assert_intact,
    assert_only_talkbase_warnings,
    build_root,
    sphinx_build,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def refs(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_root("catalogue-refs", tmp_path_factory.mktemp("catalogue-refs"))


CASES = [
    (3, "unknown-ref", ("{event}", "'ghost-event'")),
    (3, "unknown-ref", ("{rec}", "no recommendation", "'ghost-rec'")),
    (3, "unknown-ref", ("{term}", "no term", "'ghost-term'")),
    (5, "unknown-ref", ("{talk}", "'ghost-talk'")),
    (5, "unknown-ref", ("{speaker}", "'ghost-speaker'")),
    (7, "wrong-type", ("{talk}", "'good-speaker'", "a speaker, not a talk")),
    (7, "wrong-type", ("{event}", "'good-talk'", "a talk, not an event")),
    (7, "wrong-type", ("{rec}", "'good-event'", "an event, not a recommendation")),
    (9, "wrong-type", ("{term}", "'good-talk'", "a talk, not a term")),
    (9, "wrong-type", ("{speaker}", "'good-rec'", "a recommendation, not a speaker")),
    (11, "wrong-type", (":speakers:", "'good-talk'", "a talk, not a speaker")),
    (11, "wrong-type", (":event:", "'good-rec'", "a recommendation, not an event")),
    (17, "wrong-type", (":talk:", "'good-speaker'", "a speaker, not a talk")),
    (22, "wrong-type", (":see:", "'good-event'", "an event, not a term")),
    (26, "unknown-ref", (":event: filter", "'ghost-event'")),
    (26, "unknown-ref", (":speaker: filter", "'ghost-speaker'")),
    (26, "unknown-ref", (":talk: filter", "'ghost-talk'")),
    (32, "wrong-type", (":talk: filter", "'good-speaker'", "speaker", "not of a talk")),
]


@pytest.mark.parametrize(("line", "subtype", "words"), CASES)
def test_broken_reference_warns(refs: BuiltRoot, line: int, subtype: str, words: tuple[str, ...]) -> None:
    assert_warning(refs, "refs.md", line, subtype, *words)


def test_each_mistake_warns_once_and_typed(refs: BuiltRoot) -> None:
    assert len(refs.warning_lines()) == len(CASES)
    assert_only_talkbase_warnings(refs)
    assert "objects.md" not in refs.warnings


def test_build_fails_under_w_but_finishes(refs: BuiltRoot) -> None:
    assert refs.statuscode == 1
    for page in ("index", "objects", "refs", "listing", "genindex", "kb-talkindex"):
        assert (refs.outdir / f"{page}.html").is_file()
    assert (refs.outdir / "_kb" / "kb.json").is_file()


def test_broken_references_make_no_link(refs: BuiltRoot) -> None:
    page = refs.html("refs")
    hrefs = [str(a.get("href", "")) for a in page.select("div.body a")]
    assert not [href for href in hrefs if "ghost" in href]
    # A wrongly typed reference does not link to the object of the other type.
    first = page.select("div.body > section > p")[2]
    assert first.select("a") == []
    assert "good-speaker" in first.get_text()
    talk = page.select_one('div.kb-object[id="talk-wrong-ids"]')
    assert talk is not None
    assert talk.select("dd.kb-field-speakers a, dd.kb-field-event a") == []
    # The listing filtered on unknown ids finds nothing, and says so.
    assert page.select("p.kb-listing-empty")


def test_valid_references_still_link(refs: BuiltRoot) -> None:
    last = refs.html("refs").select("div.body > section > p")[-1]
    assert [a["href"] for a in last.select("a[href]")] == [
        "objects.html#talk-good-talk",
        "objects.html#speaker-good-speaker",
        "objects.html#event-good-event",
        "objects.html#rec-good-rec",
        "objects.html#term-good-term",
    ]


def test_everything_else_is_rendered_indexed_listed_exported(refs: BuiltRoot) -> None:
    assert_intact(
        refs,
        [
            ("event", "good-event", "objects"),
            ("speaker", "good-speaker", "objects"),
            ("talk", "good-talk", "objects"),
            ("rec", "good-rec", "objects"),
            ("term", "good-term", "objects"),
            # The objects holding the broken references are kept too.
            ("talk", "wrong-ids", "refs"),
            ("rec", "wrong-talk", "refs"),
            ("term", "wrong-see", "refs"),
        ],
    )
    kb = refs.kb()["objects"]
    # Relations only name objects that exist with the right type.
    assert kb["talk"]["wrong-ids"]["relations"]["speakers"] == []
    assert kb["talk"]["wrong-ids"]["relations"]["event"] is None
    assert kb["rec"]["wrong-talk"]["relations"]["talk"] is None


@pytest.mark.parametrize(("options", "status"), [((), 0), (("-W",), 1), (("-W", "--keep-going"), 1)])
def test_exit_status(tmp_path: Path, options: tuple[str, ...], status: int) -> None:
    """What CI sees: warnings alone pass; with -W the build finishes and fails."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-catalogue-refs", src)
    out = tmp_path / "html"
    assert sphinx_build(src, out, *options) == status
    # Finished: the pages and the exports are written whole, failing or not.
    page = BeautifulSoup((out / "refs.html").read_text(encoding="utf-8"), "lxml")
    assert "objects.html#term-good-term" in [a.get("href") for a in page.select("div.body a")]
    kb = json.loads((out / "_kb" / "kb.json").read_text(encoding="utf-8"))
    assert sorted(kb["objects"]["talk"]) == ["good-talk", "wrong-ids"]

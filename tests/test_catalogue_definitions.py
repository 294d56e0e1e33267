"""Catalogue of broken definitions (issue 8): duplicate ids on a page, across
pages and across types; empty titles; ids that slug to nothing; term texts and
translations claimed twice; NFC and NFD spellings of one id."""

from __future__ import annotations

import unicodedata

import pytest
from tests.conftest import assert_warning

from catalogue_support import (
    BuiltRoot,
    assert_intact,
    assert_only_talkbase_warnings,
    build_root,
)


@pytest.fixture(scope="module")
def defs(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_root("catalogue-definitions", tmp_path_factory.mktemp("catalogue-definitions"))


CASES = [
    ("defs.md", 7, "duplicate-id", ("speaker", "'twice'", "already defined in defs, line 3")),
    ("other.md", 5, "duplicate-id", ("speaker", "'twice'", "already defined in defs, line 3")),
    ("defs.md", 20, "empty-title", ("talk has no title", "'untitled-talk'")),
    ("defs.md", 27, "empty-title", ("term has no title", "cannot be linked")),
    ("defs.md", 32, "empty-id", (":id: '---'",)),
    ("defs.md", 36, "empty-id", ("'🎤🎧'",)),
    ("defs.md", 44, "duplicate-term", ("'proxemie-two'", "'Proxémie'", "'proxemie-one' (defs, line 39)")),
    ("defs.md", 48, "duplicate-term", ("'proxemics'", "already names term 'proxemie-one' (defs, line 39)")),
    ("defs.md", 52, "duplicate-term", ("'distance'", "'proxémie'", "'proxemie-one' (defs, line 39)")),
    # "Café" (NFC) and "café" written decomposed (NFD) are one id.
    ("defs.md", 63, "duplicate-id", ("speaker", "'cafe'", "already defined in defs, line 60")),
]


@pytest.mark.parametrize(("filename", "line", "subtype", "words"), CASES)
def test_bad_definition_warns(defs: BuiltRoot, filename: str, line: int, subtype: str, words: tuple[str, ...]) -> None:
    assert_warning(defs, filename, line, subtype, *words)


def test_each_mistake_warns_once_and_typed(defs: BuiltRoot) -> None:
    assert len(defs.warning_lines()) == len(CASES)
    assert_only_talkbase_warnings(defs)
    assert defs.statuscode == 1


def test_same_id_across_types_is_allowed(defs: BuiltRoot) -> None:
    """A talk and a speaker may both be ``shared``: their anchors differ."""
    page = defs.html("defs")
    assert page.select_one('div.kb-object.kb-talk[id="talk-shared"]') is not None
    assert page.select_one('div.kb-object.kb-speaker[id="speaker-shared"]') is not None
    links = [a["href"] for a in page.select("div.body > section > p a.kb-ref")]
    assert "#speaker-shared" in links
    assert "#talk-shared" in links
    kb = defs.kb()["objects"]
    assert kb["talk"]["shared"]["anchor"] == "talk-shared"
    assert kb["speaker"]["shared"]["anchor"] == "speaker-shared"


def test_duplicates_are_shown_and_links_go_to_the_first(defs: BuiltRoot) -> None:
    page = defs.html("defs")
    titles = {o.select_one(".kb-title-text").get_text(): o.get("id") for o in page.select("div.kb-object.kb-speaker")}
    assert titles["Twice on a page"] == "speaker-twice"
    assert titles["Twice again"] is None  # shown, not linkable
    other = defs.html("other")
    loser = other.select_one("div.kb-object.kb-speaker")
    assert loser is not None
    assert loser.get("id") is None
    assert "Twice on another page" in loser.get_text()
    talk = other.select_one('div.kb-object[id="talk-good-talk"]')
    assert talk is not None
    assert [a["href"] for a in talk.select("dd.kb-field-speakers a")] == ["defs.html#speaker-twice"]


def test_empty_title_keeps_the_object_and_its_body(defs: BuiltRoot) -> None:
    page = defs.html("defs")
    talk = page.select_one('div.kb-object[id="talk-untitled-talk"]')
    assert talk is not None
    assert talk.select_one(".kb-title-text").get_text() == "untitled-talk"
    assert "The body of a talk without a title." in talk.get_text()
    terms = [t for t in page.select("div.kb-object.kb-term") if "The body of a term without its text." in t.get_text()]
    assert len(terms) == 1
    assert terms[0].get("id") is None


def test_ids_that_slug_to_nothing_are_shown_unlinked(defs: BuiltRoot) -> None:
    page = defs.html("defs")
    speakers = {o.select_one(".kb-title-text").get_text(): o.get("id") for o in page.select("div.kb-object.kb-speaker")}
    assert speakers["Dashes"] is None
    assert speakers["🎤🎧"] is None


def test_nfc_and_nfd_are_the_same_id(defs: BuiltRoot) -> None:
    source = (defs.srcdir / "defs.md").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFD", "café") in source  # the root really has both forms
    assert unicodedata.normalize("NFC", "Café") in source
    links = defs.html("defs").select("div.body > section > p a.kb-ref")
    assert [a["href"] for a in links][:2] == ["#talk-cafe-nfc", "#speaker-cafe"]
    assert links[1].get_text() == "Café"


def test_term_clashes_keep_every_term(defs: BuiltRoot) -> None:
    page = defs.html("defs")
    for anchor in ("term-proxemie-one", "term-proxemie-two", "term-proxemics", "term-distance"):
        assert page.select_one(f'div.kb-object[id="{anchor}"]') is not None


def test_everything_else_is_rendered_indexed_listed_exported(defs: BuiltRoot) -> None:
    assert_intact(
        defs,
        [
            ("speaker", "twice", "defs"),
            ("talk", "shared", "defs"),
            ("speaker", "shared", "defs"),
            ("talk", "untitled-talk", "defs"),
            ("term", "proxemie-one", "defs"),
            ("term", "proxemie-two", "defs"),
            ("term", "proxemics", "defs"),
            ("term", "distance", "defs"),
            ("talk", "cafe-nfc", "defs"),
            ("speaker", "cafe", "defs"),
            ("talk", "good-talk", "other"),
        ],
    )

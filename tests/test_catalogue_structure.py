"""Catalogue of structural mistakes and unusual places (issue 8): a talk nested
in a talk; objects inside an admonition, a grid table, a list table and ``only``
blocks; objects on an orphan page and in ``exclude_patterns``.  A
recommendation outside any talk is in test_core_warnings.py.

``only`` is decided when a page is written, after talkbase has recorded the
objects inside it: an object in an excluded ``only`` block keeps its record
(it is indexed, listed and exported) and links to it lead to its page."""

from __future__ import annotations

import pytest
from tests.conftest import assert_warning

from catalogue_support import (
    BuiltRoot,
    assert_intact,
    assert_only_talkbase_warnings,
    build_root,
)


@pytest.fixture(scope="module")
def structure(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_root("catalogue-structure", tmp_path_factory.mktemp("catalogue-structure"))


def test_nested_talk_warns(structure: BuiltRoot) -> None:
    assert_warning(structure, "structure.md", 7, "nested-object", "'inner'", "nested in talk 'outer'")


def test_excluded_document_is_not_read(structure: BuiltRoot) -> None:
    assert_warning(structure, "structure.md", 43, "unknown-ref", "{talk}", "'excluded-talk'")
    assert "excluded-talk" not in structure.kb()["objects"]["talk"]
    assert not (structure.outdir / "excluded.html").exists()


def test_nothing_else_warns(structure: BuiltRoot) -> None:
    """No toctree warning for the orphan page, nothing for tables, notes and ``only``."""
    assert len(structure.warning_lines()) == 2
    assert_only_talkbase_warnings(structure)
    assert structure.statuscode == 1


def test_nested_talk_is_kept_with_its_recommendation(structure: BuiltRoot) -> None:
    page = structure.html("structure")
    outer = page.select_one('div.kb-object[id="talk-outer"]')
    assert outer is not None
    inner = outer.select_one('div.kb-object[id="talk-inner"]')
    assert inner is not None
    assert inner.select_one('div.kb-object[id="rec-inner-advice"]') is not None
    assert structure.kb()["objects"]["rec"]["inner-advice"]["relations"]["talk"] == "inner"
    assert "Outer body." in outer.get_text()


def test_objects_in_admonitions_and_tables(structure: BuiltRoot) -> None:
    page = structure.html("structure")
    assert page.select_one('div.admonition.note div.kb-object[id="talk-in-note"]') is not None
    table = structure.html("table")
    assert table.select_one('table td div.kb-object[id="speaker-in-table"]') is not None
    assert table.select_one('table td div.kb-object[id="term-term-in-a-list-table"]') is not None
    assert "Defined in a cell." in table.get_text()


def test_only_block_keeps_the_record_and_links_go_to_the_page(structure: BuiltRoot) -> None:
    page = structure.html("structure")
    assert page.select_one('[id="talk-only-never"]') is None  # excluded: not shown
    assert "Talk only for never" not in [title.get_text() for title in page.select(".kb-title-text")]
    # ... but recorded: its speaker lists it, linked to the page it was written on.
    talks = page.select('div.kb-object[id="speaker-teller"] dd.kb-field-talks a')
    assert ("Talk only for never", "#talk-only-never") in [(a.get_text(), a["href"]) for a in talks]
    assert page.select_one('div.kb-object[id="event-only-shown"]') is not None
    links = {a.get_text(): a["href"] for a in page.select("div.body > section > p a.kb-ref")}
    assert links["Talk only for never"] == "#talk-only-never"
    assert links["Event in an only block"] == "#event-only-shown"
    assert structure.kb()["objects"]["talk"]["only-never"]["page"] == "structure.html"


def test_orphan_page_objects_are_read_and_linked(structure: BuiltRoot) -> None:
    links = {a.get_text(): a["href"] for a in structure.html("structure").select("div.body > section > p a.kb-ref")}
    assert links["Talk on an orphan page"] == "orphan.html#talk-orphan-talk"


def test_everything_is_rendered_indexed_listed_exported(structure: BuiltRoot) -> None:
    assert_intact(
        structure,
        [
            ("talk", "outer", "structure"),
            ("talk", "inner", "structure"),
            ("rec", "inner-advice", "structure"),
            ("speaker", "teller", "structure"),
            ("talk", "in-note", "structure"),
            ("event", "only-shown", "structure"),
            ("speaker", "in-table", "table"),
            ("term", "term-in-a-list-table", "table"),
            ("talk", "orphan-talk", "orphan"),
        ],
    )


@pytest.mark.parametrize("buildername", ["latex", "text", "texinfo", "man"])
def test_other_builders_finish(tmp_path_factory: pytest.TempPathFactory, buildername: str) -> None:
    """Links to objects of pages an output leaves out (the orphan page in LaTeX) are plain text."""
    build = build_root("catalogue-structure", tmp_path_factory.mktemp(f"structure-{buildername}"), buildername)
    assert "Traceback" not in build.warnings
    assert len(build.warning_lines()) == 2
    suffix = {"latex": ".tex", "text": ".txt", "texinfo": ".texi", "man": ".1"}[buildername]
    written = " ".join(" ".join(path.read_text("utf-8").split()) for path in sorted(build.outdir.glob(f"*{suffix}")))
    # Objects nested in a talk, a note, a table cell, an included ``only`` block are all written.
    for text in ("Outer body.", "Inner talk", "Talk in a note", "Defined in a cell.", "Event in an only block"):
        assert text in written, text
    if buildername == "latex":
        tex = build.text("catalogue.tex")
        assert "Talk on an orphan page" in tex
        assert r"\hyperref[\detokenize{orphan:" not in tex

"""Incremental builds: a page showing another page's object is rewritten when it changes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.conftest import edit, spy_fingerprinted

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import pytest
    from tests.conftest import BuiltRoot



def doctree_mtime(srcdir: Path, docname: str) -> int:
    return (srcdir / "_build" / "doctrees" / f"{docname}.doctree").stat().st_mtime_ns


def talk_link_texts(build: BuiltRoot) -> list[str]:
    return [a.get_text() for a in build.html("links").select("div.body a.kb-ref-talk")]


def test_changed_title_rewrites_linking_page(
    copy_root: Callable[[str], Path], build_sphinx: Callable[..., BuiltRoot]
) -> None:
    srcdir = copy_root("core-incremental")
    first = build_sphinx(srcdir)
    assert first.warnings == ""
    assert talk_link_texts(first) == ["Old title"]
    read_at = doctree_mtime(srcdir, "links")

    edit(srcdir / "talk.md", "{talk} Old title", "{talk} New title")
    second = build_sphinx(srcdir)
    # links.md was not read again: it is rewritten because what it shows changed.
    assert doctree_mtime(srcdir, "links") == read_at
    assert second.warnings == ""
    assert talk_link_texts(second) == ["New title"]
    link = second.html("links").select_one("div.body a.kb-ref-talk")
    assert link is not None
    assert link["href"] == "talk.html#talk-moving-talk"


def test_inherited_date_follows_event_change(
    copy_root: Callable[[str], Path], build_sphinx: Callable[..., BuiltRoot]
) -> None:
    """The talk (talk.md) has no date of its own and shows its event's (event.md)."""
    srcdir = copy_root("core-incremental")
    first = build_sphinx(srcdir)
    assert first.warnings == ""
    assert talk_date(first) == "5 septembre 2011"
    read_at = doctree_mtime(srcdir, "talk")

    edit(srcdir / "event.md", ":date: 2011-09-05", ":date: 2011-10-07")
    second = build_sphinx(srcdir)
    # talk.md was not read again: it is rewritten because the date it shows changed.
    assert doctree_mtime(srcdir, "talk") == read_at
    assert second.warnings == ""
    assert talk_date(second) == "7 octobre 2011"


def talk_date(build: BuiltRoot) -> str:
    date = build.html("talk").select_one("#talk-moving-talk dd.kb-field-date")
    assert date is not None
    return date.get_text(strip=True)


def test_removed_object_rewrites_and_warns(
    copy_root: Callable[[str], Path], build_sphinx: Callable[..., BuiltRoot]
) -> None:
    srcdir = copy_root("core-incremental")
    first = build_sphinx(srcdir)
    assert first.html("links").select("div.body a.kb-ref-talk")
    read_at = doctree_mtime(srcdir, "links")

    talk_page = srcdir / "talk.md"
    text = talk_page.read_text(encoding="utf-8")
    start = text.index("```{talk}")
    edit(talk_page, text[start:], "")
    second = build_sphinx(srcdir)
    assert doctree_mtime(srcdir, "links") == read_at
    # links.md was not edited, yet it is written again without the dead link ...
    links = second.html("links")
    assert links.select("div.body a.kb-ref-talk") == []
    assert "moving-talk" in links.select_one("div.body p").get_text()
    # ... and the speaker link on it still works.
    speakers = [a["href"] for a in links.select("div.body a.kb-ref-speaker")]
    assert speakers == ["talk.html#speaker-the-speaker"]
    # ... and it warns where the reference is.
    expected = f"{srcdir / 'links.md'}:3: WARNING: "
    lines = [line for line in second.warnings.splitlines() if line.startswith(expected)]
    assert len(lines) == 1, second.warnings
    assert lines[0].endswith("[talkbase.unknown-ref]")
    assert "'moving-talk'" in lines[0]


def test_noop_rebuild_sees_an_unchanged_configuration(
    copy_root: Callable[[str], Path], build_sphinx: Callable[..., BuiltRoot]
) -> None:
    """sphinx-design appends its static directory after Sphinx compares configurations:
    talkbase registers it earlier (talkbase.static_paths), so a rebuild of an unchanged
    project neither reports a changed configuration nor writes a page."""
    srcdir = copy_root("core-incremental")
    first = build_sphinx(srcdir)
    assert first.warnings == ""
    second = build_sphinx(srcdir)
    assert "The configuration has changed" not in second.status, second.status
    assert "no targets are out of date" in second.status
    static = second.outdir / "_static"
    assert (static / "sphinx-design.min.css").is_file()


def test_body_edit_fingerprints_no_page(
    copy_root: Callable[[str], Path], build_sphinx: Callable[..., BuiltRoot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that leaves every object, reference and title as it was fingerprints no page,
    not even the one read again (talkbase.incremental.pages_to_fingerprint: every fingerprint
    is a function of what did not change), and rewrites only that page and its toctree parent."""
    srcdir = copy_root("core-incremental")
    setup_edit(srcdir / "links.md", "# Links\n", "# Links\n\nSome words.\n")
    assert build_sphinx(srcdir).warnings == ""
    fingerprinted = spy_fingerprinted(monkeypatch)
    edit(srcdir / "links.md", "Some words.", "Other words.")
    second = build_sphinx(srcdir)
    assert second.warnings == ""
    assert fingerprinted == []
    written = re.findall(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", second.status, re.MULTILINE)
    assert sorted(written) == ["index", "links"]


def test_summary_citing_another_domain_follows_it(
    copy_root: Callable[[str], Path], build_sphinx: Callable[..., BuiltRoot]
) -> None:
    """A talk's summary shows a section title through {ref}: when only that section's
    title changes (no talkbase data changes), the talk's page is still rewritten."""
    srcdir = copy_root("core-incremental")
    setup_edit(srcdir / "talk.md", ":event: the-event\n", ":event: the-event\n\nBuilds on {ref}`the-section`.\n")
    setup_edit(srcdir / "event.md", "# Event page\n", "# Event page\n\n(the-section)=\n## Old section\n")
    first = build_sphinx(srcdir)
    assert first.warnings == ""
    assert "Builds on Old section." in cite_bibtex(first)
    read_at = doctree_mtime(srcdir, "talk")
    edit(srcdir / "event.md", "## Old section", "## New section")
    second = build_sphinx(srcdir)
    assert doctree_mtime(srcdir, "talk") == read_at
    assert "Builds on New section." in cite_bibtex(second)


def setup_edit(path: Path, old: str, new: str) -> None:
    """An edit before the first build (no mtime in the future, which would make Sphinx re-read the file)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def cite_bibtex(build: BuiltRoot) -> str:
    block = build.html("talk").select_one("div.kb-cite-bibtex pre")
    assert block is not None
    return " ".join(block.get_text().split())

"""Talks cited through sphinxcontrib-bibtex, wherever a page holds them.

Root ``test-bibtex-sources``: a talk inside ``{eval-rst}``, one in an ``{include}``d
file, one in a colon fence and one in a tilde fence, one in sphinx-design tabs, one in
an rST page and one whose title the French catalogue translates (a ``.po`` in the
root's ``locale`` directory); ``citing.md`` cites each with ``{cite:p}`` and
``bibliography.md`` lists them.  The entries come from the talks the directives
recorded, so each is cited under the title its page shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import BuiltRoot, build_copy

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

#: Talk id -> (its page, the title it must be cited under).
TALKS = {
    "eval-rst-talk": ("evalrst", "Talk inside eval-rst"),
    "included-talk": ("included", "Talk in an included file"),
    "colon-talk": ("fences", "Talk in a colon fence"),
    "tilde-talk": ("fences", "Talk in a tilde fence"),
    "tab-talk": ("tabs", "Talk in a tab"),
    "rst-talk": ("rst", "Talk in reStructuredText"),
    "translated-talk": ("translated", "Exposé au titre traduit"),
}
GENERATED = "doctrees/talkbase-talks.bib"

# MyST (its {include}/{eval-rst} on Sphinx 9) reads a deprecated Sphinx attribute.
pytestmark = pytest.mark.filterwarnings("ignore::sphinx.deprecation.RemovedInSphinx11Warning")


def shown_title(built: BuiltRoot, talk_id: str) -> str:
    page, _title = TALKS[talk_id]
    title = built.html(page).select_one(f"#talk-{talk_id} .kb-title-text")
    assert title is not None, talk_id
    return title.get_text()


def entries(built: BuiltRoot) -> list[str]:
    """The texts of the bibliography's entries."""
    return [" ".join(p.get_text().split()) for p in built.html("bibliography").select("div.citation p")]


def citations(built: BuiltRoot) -> list[tuple[str, str]]:
    """Every citation on citing.md: (link target, tooltip)."""
    return [
        (str(link["href"]), str(link.get("title", "")))
        for link in built.html("citing").select("span.bibtex-citation a")
    ]


def assert_cited_as_shown(built: BuiltRoot, titles: dict[str, str]) -> None:
    """Every talk is on its page, in the bibliography and in citing.md's citations under ``titles[id]``."""
    texts = entries(built)
    cited = citations(built)
    assert len(cited) == len(TALKS), cited
    for (talk_id, title), (href, tooltip) in zip(titles.items(), cited, strict=True):
        assert shown_title(built, talk_id) == title
        assert [text for text in texts if text.startswith(f"Ada Martin. {title}.")] != [], (title, texts)
        assert href.startswith("bibliography.html#"), href
        assert f"{title}." in tooltip, (title, tooltip)
    assert len(texts) == len(TALKS), texts


def titles(**changed: str) -> dict[str, str]:
    return {talk_id: changed.get(talk_id.replace("-", "_"), title) for talk_id, (_page, title) in TALKS.items()}


def test_every_way_of_writing_a_talk_is_citable(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    built = build_copy(copy_root("bibtex-sources"), outdir=tmp_path / "build")
    assert built.warnings == ""
    assert_cited_as_shown(built, titles())


def test_an_unchanged_project_reads_nothing_again(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """The generated file keeps its mtime, so sphinxcontrib-bibtex's cache and the
    bibliography page (read again in the first build, after the file was written) stay valid."""
    srcdir, outdir = copy_root("bibtex-sources"), tmp_path / "build"
    build_copy(srcdir, outdir=outdir)
    written = (outdir / GENERATED).stat().st_mtime_ns
    built = build_copy(srcdir, outdir=outdir)
    assert (outdir / GENERATED).stat().st_mtime_ns == written
    assert "0 added, 0 changed, 0 removed" in built.status, built.status
    assert built.warnings == ""


def test_renamed_talks_are_cited_under_their_new_titles(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """A talk renamed in its included file, and one whose translation changed: the
    citing page and the bibliography (both unchanged) follow in the next build."""
    srcdir, outdir = copy_root("bibtex-sources"), tmp_path / "build"
    build_copy(srcdir, outdir=outdir)
    part = srcdir / "_parts" / "talk.md"
    part.write_text(part.read_text(encoding="utf-8").replace("Talk in an included file", "Renamed talk"))
    po = srcdir / "locale" / "fr" / "LC_MESSAGES" / "translated.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Exposé au titre traduit", "Exposé renommé"))
    built = build_copy(srcdir, outdir=outdir)
    assert built.warnings == ""
    assert_cited_as_shown(built, titles(included_talk="Renamed talk", translated_talk="Exposé renommé"))
    clean = build_copy(srcdir, outdir=tmp_path / "clean")
    assert entries(clean) == entries(built)
    assert citations(clean) == citations(built)


def test_parallel_read(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    srcdir = copy_root("bibtex-sources")
    serial = build_copy(srcdir, outdir=tmp_path / "serial")
    parallel = build_copy(srcdir, outdir=tmp_path / "parallel", parallel=2)
    assert parallel.parallel
    assert parallel.warnings == ""
    assert_cited_as_shown(parallel, titles())
    assert entries(parallel) == entries(serial)
    assert citations(parallel) == citations(serial)


def test_a_key_added_to_the_projects_bib_leaves_the_talk_out(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """A ``.bib`` entry added later with a talk's key: talkbase reports the clash, and
    sphinxcontrib-bibtex never reads the key twice (which would stop its parser)."""
    srcdir, outdir = copy_root("bibtex-sources"), tmp_path / "build"
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace("bibtex_bibfiles: list[str] = []", 'bibtex_bibfiles = ["refs.bib"]')
    )
    refs = srcdir / "refs.bib"
    refs.write_text('@book{hall1966, author = "Hall, Edward T.", title = "The Hidden Dimension", year = "1966"}\n')
    assert build_copy(srcdir, outdir=outdir).warnings == ""
    refs.write_text(
        refs.read_text() + '@book{tab-talk, author = "Doe, Jane", title = "A Book", publisher = "P", year = "2000"}\n'
    )
    built = build_copy(srcdir, outdir=outdir)
    assert [line for line in built.warnings.splitlines() if line] == [
        f"{srcdir / 'tabs.md'}:7: WARNING: talk id 'tab-talk' is also a key in refs.bib: {{cite}} of 'tab-talk' "
        "cites that entry, not the talk; give the talk another :id: [talkbase.bib-key-clash]"
    ]
    assert "Jane Doe. A Book. P, 2000." in entries(built)
    assert "tab-talk" not in (outdir / GENERATED).read_text(encoding="utf-8")

"""``make pdf`` of a ``talkbase new`` project: XeLaTeX, every name set, and a book's outline.

The scaffold gets four speakers whose names need more than Latin-1 (Ł, Ø, ß and
a Chinese name; the CJK font is Debian's fonts-wqy-microhei, see
scripts/system-deps.sh) and is built once with its own Makefile, as an author
runs it.  pypdf reads the outline, pdftotext the text, pdffonts the fonts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader
from tests.conftest import pdftotext, talkbase
from tests.test_cli_new import conf_values

if TYPE_CHECKING:
    from pathlib import Path

NAMES = {"lukasz": "Łukasz Wiśniewski", "soren": "Søren Øberg", "jurgen": "Jürgen Weiß", "zhang-wei": "张伟"}
TALK = "Space, distance and remote work"  # the scaffold's example talk


@dataclass
class Book:
    project: Path
    path: Path
    pages: list[str]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    project = tmp_path_factory.mktemp("new-pdf") / "kb"
    result = talkbase("new", project, "--title", "Talks we attended")
    assert result.returncode == 0, result.stderr
    speakers = "".join(f"```{{speaker}} {name}\n:id: {id_}\n```\n\n" for id_, name in NAMES.items())
    (project / "speakers" / "more.md").write_text(f"# More speakers\n\n{speakers}", encoding="utf-8")
    talk = project / "talks" / "example-talk.md"
    text = talk.read_text(encoding="utf-8")
    speakers_option = ":speakers: ada-martin, " + ", ".join(NAMES)
    talk.write_text(text.replace(":speakers: ada-martin", speakers_option), encoding="utf-8")
    env = {**os.environ, "LATEXMKOPTS": "-halt-on-error -interaction=nonstopmode -quiet"}
    run = subprocess.run(
        ["make", "pdf", f"SPHINXBUILD={sys.executable} -m sphinx"],
        cwd=project, capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    path = project / "_build" / "latex" / "talksweattended.pdf"
    count = len(PdfReader(path).pages)
    pages = [flat(pdftotext("-f", str(n), "-l", str(n), str(path), "-")) for n in range(1, count + 1)]
    return Book(project, path, pages)


def test_every_name_is_set(book: Book) -> None:
    assert conf_values(book.project / "conf.py")["latex_engine"] == "xelatex"
    text = " ".join(book.pages)
    for name in NAMES.values():
        assert f"{name}" in text, name
    log = book.path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert "undefined" not in log  # no reference, citation or font shape (the CJK name in bold)


def outline(reader: PdfReader) -> list[tuple[str, list[str]]]:
    """The chapters and the titles of the sections right under each."""
    chapters: list[tuple[str, list[str]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            chapters[-1][1].extend(child.title for child in item if not isinstance(child, list))
        else:
            chapters.append((item.title, []))
    return chapters


def test_outline_is_a_book(book: Book) -> None:
    chapters = outline(PdfReader(book.path))
    # references.md holds only {bibliography}, whose entries Sphinx moves to the
    # Bibliography: no empty "References" chapter is left before it.
    assert [title for title, _sections in chapters] == [
        "Events", "Talks", "Speakers", "Glossary",
        "Bibliography", "Talk Index", "Speaker Index", "Term Index", "Index",
    ]
    sections = dict(chapters)
    assert TALK in sections["Talks"]
    assert "Docs Day 2024" in sections["Events"]
    assert "Ada Martin" in sections["Speakers"]
    assert all(TALK not in titles for chapter, titles in chapters if chapter != "Talks")


def test_no_blank_pages(book: Book) -> None:
    """A chapter starts on the next page (``openany``), not on the next right-hand one."""
    blank = [number for number, text in enumerate(book.pages, start=1) if not any(c.isalpha() for c in text)]
    assert blank == []


def test_indices_are_not_typewriter(book: Book) -> None:
    first = next(n for n, text in enumerate(book.pages, start=1) if text.startswith("TALK INDEX"))
    fonts = subprocess.run(
        ["pdffonts", "-f", str(first), "-l", str(len(book.pages)), str(book.path)],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "FreeSerif" in fonts
    assert "Mono" not in fonts, fonts

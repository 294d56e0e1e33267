"""The PDF builds on every LaTeX engine Sphinx offers, pdfLaTeX (its default) included.

tests/roots/test-pdf-engines is an English project that adds talkbase and sets
no ``latex_engine``: a two-day event (CLDR puts thin spaces around the dash of
"Mar 15 – 16, 2012"), Latin-1 and Polish names (the index letter groups), a
French talk with no-break, narrow no-break and thin spaces, a non-breaking
hyphen and dashes.  Each engine builds it once (through latexmk, as ``make
latexpdf`` does); pdftotext reads the text back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from sphinx.testing.util import SphinxTestApp
from tests.conftest import make_pdf, pdftotext

ROOT = Path(__file__).parent / "roots" / "test-pdf-engines"

# (engine, talkbase_latex_style): pdfLaTeX also without talkbase's style, whose
# absence must not bring back the characters pdfLaTeX cannot read.
BUILDS = [("pdflatex", True), ("pdflatex", False), ("xelatex", True), ("lualatex", True)]


@dataclass
class Built:
    engine: str
    text: str
    pages: list[str]
    log: str


def flat(text: str) -> str:
    """One space for every run of spaces (pdftotext keeps thin and no-break spaces as such)."""
    return " ".join(text.replace("\u2011", "-").split())


@pytest.fixture(scope="module", params=BUILDS, ids=[f"{e}{'' if s else '-nostyle'}" for e, s in BUILDS])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    engine, style = request.param
    builddir = tmp_path_factory.mktemp(engine)
    overrides = {"talkbase_latex_style": style}
    if engine != "pdflatex":  # pdflatex: conf.py's default, as an existing project has it
        overrides["latex_engine"] = engine
    app = SphinxTestApp("latex", srcdir=ROOT, builddir=builddir, confoverrides=overrides)
    try:
        app.build()
        assert app.config.latex_engine == engine
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    outdir = builddir / "latex"
    make_pdf(outdir)
    path = outdir / "engines.pdf"
    count = len(PdfReader(path).pages)
    pages = [flat(pdftotext("-f", str(n), "-l", str(n), str(path), "-")) for n in range(1, count + 1)]
    log = path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    return Built(engine, " ".join(pages), pages, log)


def test_text_reaches_the_pdf(built: Built) -> None:
    for text in [
        "Assises des Médias Sociaux, 2e session",
        "Mar 15 – 16, 2012",  # CLDR's interval, thin spaces around the dash
        "Stéphane Hugon",
        "Françoise Öhrström",
        "Łukasz Wiśniewski",
        "Médias sociaux : état des lieux",
        "Les réseaux sociaux ; vraiment ? Un rôle « clé » — pas un gadget : e-mail, 2011–2012.",
    ]:
        assert text in built.text, (built.engine, text)
    assert "Missing character" not in built.log


def test_index_groups_every_name(built: Built) -> None:
    """The general index (last page) lists the names that start with a non-ASCII letter."""
    assert "Index" in built.pages[-1]
    for name in ["Łukasz Wiśniewski", "Françoise Öhrström", "Stéphane Hugon"]:
        assert name in built.pages[-1], (built.engine, name, built.pages[-1])


def test_page_emptied_by_the_bibliography_leaves_no_chapter(tmp_path: Path) -> None:
    """Sphinx moves the citations of ``references.md`` to the book's bibliography: its
    chapter would be a bare heading.  A page its author left empty keeps its chapter."""
    root = Path(__file__).parent / "roots" / "test-latex-bibliography"
    app = SphinxTestApp("latex", srcdir=root, builddir=tmp_path)
    try:
        app.build()
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    tex = (tmp_path / "latex" / "book.tex").read_text(encoding="utf-8")
    assert re.findall(r"\\chapter\{(\w+)\}", tex) == ["Cited", "Later"]
    assert r"\begin{sphinxthebibliography}" in tex
    # The {doc} link to the page still has its target.
    assert r"\label{\detokenize{references::doc}}" in tex
    assert r"\hyperref[\detokenize{references::doc}]" in tex

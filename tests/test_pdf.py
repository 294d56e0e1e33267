"""The PDF of docs/ (Sphinx's LaTeX builder, XeLaTeX through latexmk), read back with poppler.

Needs latexmk, XeLaTeX, xindy and poppler-utils (``make test`` installs them, see
scripts/system-deps.sh); the test is never skipped.  The titles checked come from
the kb domain of the build.  The talk's first page is rendered to
``docs/_build/shots/`` for a person to look at.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from sphinx._cli.util.errors import strip_escape_sequences
from sphinx.testing.util import SphinxTestApp
from tests.conftest import make_pdf, pdftotext
from tests.pixels import read_png

from talkbase.domain import kb_domain
from talkbase.model import Talk

DOCS = Path(__file__).parent.parent / "docs"
SHOTS = DOCS / "_build" / "shots"

# MyST 5.2's reference resolver reads an attribute Sphinx 9 deprecates (the docs' Markdown links).
pytestmark = pytest.mark.filterwarnings("ignore::sphinx.deprecation.RemovedInSphinx11Warning")


@dataclass
class Pdf:
    path: Path
    warnings: str
    title: str
    titles: dict[str, list[str]]
    talks: list[Talk]
    index_names: list[str]
    pages: list[str]

    def page_of(self, *texts: str) -> int:
        """The first page (1-based) holding every text."""
        for number, text in enumerate(self.pages, start=1):
            if all(part in f" {text} " for part in texts):
                return number
        raise AssertionError(f"no page holds {texts}")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Pdf:
    builddir = tmp_path_factory.mktemp("pdf")
    app = SphinxTestApp("latex", srcdir=DOCS, builddir=builddir)
    try:
        app.build()
        domain = kb_domain(app.env)
        titles: dict[str, list[str]] = {}
        for record in domain.index.all_records():
            titles.setdefault(record.objtype, []).append(record.title)
        talks = [record for record in domain.index.all_records() if isinstance(record, Talk)]
        index_names = [str(index.localname) for index in domain.indices]
        target, title = app.config.latex_documents[0][1:3]
    finally:
        app.cleanup()
    outdir = builddir / "latex"
    make_pdf(outdir)
    path = outdir / target.replace(".tex", ".pdf")
    count = len(PdfReader(path).pages)
    pages = [
        flat(pdftotext("-f", str(n), "-l", str(n), str(path), "-"))
        for n in range(1, count + 1)
    ]
    return Pdf(path, strip_escape_sequences(app.warning.getvalue()), title, titles, talks, index_names, pages)


def test_latex_build_is_clean(pdf: Pdf) -> None:
    assert pdf.warnings == ""
    log = pdf.path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    # Every Latin character has a glyph (the CJK example in reference/warnings.md has none in FreeMono).
    missing = re.findall(r"Missing character: There is no (.)", log)
    assert [c for c in missing if not "\u4e00" <= c <= "\u9fff"] == []
    assert "There were undefined references" not in log


def test_every_object_title(pdf: Pdf) -> None:
    text = " ".join(pdf.pages)
    assert {"talk", "speaker", "rec", "term"} <= set(pdf.titles)
    missing = [title for titles in pdf.titles.values() for title in titles if flat(title) not in text]
    assert missing == []
    assert "é" in text and "É" in text  # accents intact (precomposed, as written)


def test_french_punctuation_spacing(pdf: Pdf) -> None:
    """In the French talk, ``;`` ``!`` ``?`` follow a thin space and ``:`` a word space, none breakable.

    pdftotext writes every gap as U+0020, so the widths are measured on the page.
    """
    talk = next(t for t in pdf.talks if t.language == "fr")
    first = pdf.page_of(" TALK ", flat(talk.title), "Speakers")  # the header, not a listing
    thin, word = [], []
    for page in range(first, first + 2):
        bbox = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf.path), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        words = [
            (float(x0), float(y0), float(x1), html_text)
            for x0, y0, x1, html_text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', bbox
            )
        ]
        for (_x0, y0, x1, _t), (nx0, ny0, _nx1, following) in itertools.pairwise(words):
            if abs(ny0 - y0) > 0.5:
                assert following not in {":", ";", "!", "?"}, "French punctuation starts a line"
                continue
            (thin if following in {";", "!", "?"} else word).append(nx0 - x1)
    assert thin, "no ; ! ? in the French talk"
    assert all(0.5 < gap < 0.8 * statistics.median(word) for gap in thin), (thin, statistics.median(word))
    assert flat(talk.title).split(" : ")[0] + " : " in " ".join(pdf.pages)


def test_backlinks_have_page_numbers(pdf: Pdf) -> None:
    text = " ".join(pdf.pages)
    sections = re.findall(r"Referenced by (.*?)(?=Referenced by|$)", text)
    assert sections
    numbers = [int(n) for n in re.findall(r"\(p\. (\d+)\)", text)]
    assert len(numbers) >= len(sections)
    assert all(1 <= n <= len(pdf.pages) for n in numbers)
    # The speaker's backlink to the talk names the talk's page.
    talk = pdf.talks[0]
    match = re.search(re.escape(f"talk: {flat(talk.title)}") + r" \(p\. (\d+)\)", text)
    assert match is not None
    labels = PdfReader(pdf.path).page_labels  # \\pageref prints the page's label (roman, then arabic)
    assert flat(talk.title) in pdf.pages[labels.index(match.group(1))]


def test_indices(pdf: Pdf) -> None:
    tail = " ".join(pdf.pages[-8:])
    for name in pdf.index_names:  # the kb domain's talk, speaker and term indices
        assert name in tail
    assert "Index" in pdf.pages[-1] or "Index" in pdf.pages[-2]
    # The general index lists the objects with their page numbers.
    assert re.search(re.escape(flat(pdf.talks[0].title)) + r".{0,40}\d", tail)


def test_metadata_and_outline(pdf: Pdf) -> None:
    info = subprocess.run(["pdfinfo", str(pdf.path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+" + re.escape(pdf.title) + "$", info, re.M)
    assert re.search(r"^Author:\s+\S", info, re.M)
    reader = PdfReader(pdf.path)
    assert reader.trailer["/Root"]["/Lang"] == "en"  # hyperref pdflang (pdfinfo does not print it)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("Vitrine" in title for title in outline)


def test_talk_page_shot(pdf: Pdf) -> None:
    talk = pdf.talks[0]
    page = pdf.page_of(" TALK ", flat(talk.title), "Speakers")
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = SHOTS / f"talk-{talk.id}"
    subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", "110", "-png", "-singlefile", str(pdf.path), str(stem)],
        check=True,
    )
    image = read_png(stem.with_suffix(".png").read_bytes())
    # The page's size at 110 dpi (pdftoppm rounds up), from the PDF's own media box (72 points an inch).
    box = PdfReader(pdf.path).pages[page - 1].mediabox
    assert (image.width, image.height) == (math.ceil(box.width * 110 / 72), math.ceil(box.height * 110 / 72))
    # Dark text on white paper, the talk's card and text covering part of it: neither blank nor a solid block.
    assert image.background() > 240
    assert 0.02 < image.ink() < 0.5, image.ink()
    # Every word pdftotext reads on the page is drawn where it says, in a colour that stands out
    # from what is behind it (not white on white, not under a box).
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        pdftotext("-bbox", "-f", str(page), "-l", str(page), str(pdf.path), "-"),
    )
    assert len(words) > 50
    scale = 110 / 72
    faint = [
        text
        for *box, text in words
        if image.contrast(*(round(float(edge) * scale) for edge in box)) < 80
    ]
    assert faint == [], faint

"""Labels and dates in the PDF follow ``language`` (talkbase's catalogue, CLDR dates).

The HTML side is in test_i18n.py; this builds a one-page project to PDF with
XeLaTeX in French and in English and reads the text back with pdftotext.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from tests.conftest import make_pdf, pdftotext

ROOT = Path(__file__).parent / "roots" / "test-pdf-labels"


def build_pdf_text(tmp_path: Path, language: str) -> str:
    app = SphinxTestApp("latex", srcdir=ROOT, builddir=tmp_path, confoverrides={"language": language})
    try:
        app.build()
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    outdir = tmp_path / "latex"
    make_pdf(outdir)
    return " ".join(pdftotext(str(outdir / "labels.pdf"), "-").split())


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("fr", ["Intervenants", "Événement", "5 septembre 2011", "Recommandation"], ["Speakers", "September"]),
        ("en", ["Speakers", "Event", "September 5, 2011", "Recommendation"], ["Intervenants", "septembre"]),
    ],
)
def test_pdf_labels_and_dates_follow_language(
    tmp_path: Path, language: str, expected: list[str], absent: list[str]
) -> None:
    text = build_pdf_text(tmp_path, language)
    for label in expected:
        assert label in text, (label, text[:2000])
    for label in absent:
        assert label not in text, (label, text[:2000])

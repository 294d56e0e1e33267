"""Labels and dates in the PDF follow ``language`` (talkbase's catalogue, CLDR dates).

The HTML side is in test_i18n.py; this builds a one-page project to PDF with
XeLaTeX in French and in English and reads the text back with pdftotext.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-pdf-labels"


def build_pdf_text(tmp_path: Path, language: str) -> str:
    app = SphinxTestApp("latex", srcdir=ROOT, builddir=tmp_path, confoverrides={"language": language})
    try:
        app.build()
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    outdir = tmp_path / "latex"
    env = {**os.environ, "LATEXMKOPTS": "-halt-on-error -interaction=nonstopmode -quiet"}
    run = subprocess.run(
        ["make", "-C", str(outdir), "all-pdf"], capture_output=True, text=True, env=env, timeout=240, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    text = subprocess.run(
        ["pdftotext", str(outdir / "labels.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


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

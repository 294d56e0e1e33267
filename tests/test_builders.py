"""Every standard builder writes the documentation and showcase (docs/) cleanly.

Each builder runs on docs/ itself (built into a temporary directory): no warning,
and every object's title (taken from the kb domain, not written here) is in what
the builder wrote.  linkcheck checks the project's own links only (docs/conf.py
ignores every external URL), so nothing touches the network.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx._cli.util.errors import strip_escape_sequences
from sphinx.testing.util import SphinxTestApp

from talkbase.domain import kb_domain

if TYPE_CHECKING:
    from collections.abc import Iterable

DOCS = Path(__file__).parent.parent / "docs"

# MyST 5.2's reference resolver reads an attribute Sphinx 9 deprecates (the docs' Markdown links).
pytestmark = pytest.mark.filterwarnings("ignore::sphinx.deprecation.RemovedInSphinx11Warning")

#: Builder -> the suffixes of the files holding its text.
OUTPUTS = {
    "singlehtml": (".html",),
    "dirhtml": (".html",),
    "epub": (".xhtml",),
    "text": (".txt",),
    "man": (".7",),
    "gettext": (".pot",),
    "xml": (".xml",),
    "pseudoxml": (".pseudoxml",),
    "texinfo": (".texi",),
}


def build_docs(builder: str, builddir: Path) -> tuple[str, list[str]]:
    """Build docs/ with ``builder``: the warnings, and the title of every kb object."""
    app = SphinxTestApp(builder, srcdir=DOCS, builddir=builddir)
    try:
        app.build()
        titles = sorted({record.title for record in kb_domain(app.env).index.all_records()})
    finally:
        app.cleanup()
    return strip_escape_sequences(app.warning.getvalue()), titles


def normalized(text: str) -> str:
    """Text as a reader sees it: entities decoded, lines joined, roff's quote escapes read."""
    text = html.unescape(text).replace("\\(aq", "'").replace("\\(cq", "’").replace("\\-", "-")
    return " ".join(text.split())


def written(outdir: Path, suffixes: Iterable[str]) -> str:
    files = [path for path in sorted(outdir.rglob("*")) if path.suffix in tuple(suffixes)]
    assert files, f"nothing written in {outdir}"
    return normalized("\n".join(path.read_text(encoding="utf-8") for path in files))


@pytest.mark.parametrize("builder", sorted(OUTPUTS))
def test_builder_writes_every_object(builder: str, tmp_path: Path) -> None:
    warnings, titles = build_docs(builder, tmp_path)
    assert warnings == ""
    assert len(titles) >= 10  # events, talks, speakers, recommendations and terms of the showcase
    text = written(tmp_path / builder, OUTPUTS[builder])
    missing = [title for title in titles if normalized(title) not in text]
    assert missing == []


def test_linkcheck_offline(tmp_path: Path) -> None:
    """The project's own links work; external ones are ignored, never fetched."""
    warnings, _titles = build_docs("linkcheck", tmp_path)
    assert warnings == ""
    results = [json.loads(line) for line in (tmp_path / "linkcheck" / "output.json").read_text().splitlines()]
    assert results
    statuses = {result["status"] for result in results}
    assert statuses <= {"working", "ignored", "unchecked"}, [r for r in results if r["status"] == "broken"]
    external = [r for r in results if r["uri"].startswith(("http://", "https://"))]
    assert all(r["status"] == "ignored" for r in external)

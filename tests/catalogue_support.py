"""What the catalogue tests (``tests/test_catalogue_*.py``) share.

Each catalogue root is built once per test module with ``-W`` semantics
(``warningiserror=True``: in Sphinx 9 the build always goes on to the end and
its status is 1), so every assertion on the output also shows that a build
failing under ``-W`` still wrote everything.  :func:`assert_intact` checks that
the valid objects around a mistake are still rendered, indexed, listed and
exported.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from pybtex.database import BibliographyData, parse_string
from sphinx._cli.util.errors import strip_escape_sequences
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"

#: Object type -> the kb index page listing it (events and recommendations have none).
KB_INDEX_PAGES = {"talk": "kb-talkindex", "speaker": "kb-speakerindex", "term": "kb-termindex"}


@dataclass
class Build:
    """A finished build of a copy of a catalogue root."""

    srcdir: Path
    outdir: Path
    warnings: str
    statuscode: int

    def html(self, page: str) -> BeautifulSoup:
        return BeautifulSoup(self.text(f"{page}.html"), "lxml")

    def text(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def kb(self) -> dict[str, Any]:
        return json.loads(self.text("_kb/kb.json"))  # type: ignore[no-any-return]

    def bib(self) -> BibliographyData:
        return parse_string(self.text("_kb/talks.bib"), "bibtex")

    def csl(self) -> list[dict[str, Any]]:
        return json.loads(self.text("_kb/talks.csl.json"))  # type: ignore[no-any-return]

    def search_index(self) -> dict[str, Any]:
        text = self.text("searchindex.js")
        match = re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.DOTALL)
        assert match, text[:200]
        return json.loads(match.group(1))  # type: ignore[no-any-return]

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]


def build_root(
    name: str, tmp: Path, buildername: str = "html", *, warningiserror: bool = True, **kwargs: Any
) -> Build:
    """Build a fresh copy of ``tests/roots/test-<name>`` (``-W`` by default)."""
    srcdir = tmp / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / f"test-{name}", srcdir)
    app = SphinxTestApp(
        buildername, srcdir=srcdir, builddir=tmp / "_build", warningiserror=warningiserror, **kwargs
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Build(srcdir, app.outdir, strip_escape_sequences(app.warning.getvalue()), app.statuscode)


def sphinx_build(srcdir: Path, outdir: Path, *options: str, builder: str = "html") -> int:
    """Run ``python -m sphinx`` as a CI job would; returns its exit status."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", builder, *options, str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return result.returncode






def subtypes(build: Build) -> list[str]:
    """The subtype of every warning, in order ("" for a warning that is not talkbase's)."""
    result = []
    for line in build.warning_lines():
        match = re.search(r"\[talkbase\.([a-z-]+)\]$", line)
        result.append(match.group(1) if match else "")
    return result


def assert_only_talkbase_warnings(build: Build) -> None:
    """Every warning is a typed talkbase warning (none from docutils, MyST or Sphinx)."""
    others = [line for line, subtype in zip(build.warning_lines(), subtypes(build), strict=True) if not subtype]
    assert not others, "\n".join(others)


def assert_intact(build: Build, objects: list[tuple[str, str, str]], listing_page: str = "listing") -> None:
    """Every ``(objtype, id, docname)`` is rendered, indexed, listed and exported."""
    genindex = {a.get("href") for a in build.html("genindex").select("a")}
    listing = {a.get("href") for a in build.html(listing_page).select("div.body a")}
    kb = build.kb()["objects"]
    bib = build.bib().entries
    csl = {item["id"] for item in build.csl()}
    kb_indices = {objtype: build.html(page) for objtype, page in KB_INDEX_PAGES.items()}
    for objtype, objid, docname in objects:
        anchor = f"{objtype}-{objid}"
        href = f"{docname}.html#{anchor}"
        page = build.html(docname)
        assert page.select_one(f'div.kb-object[id="{anchor}"]') is not None, f"{anchor} not rendered"
        assert href in genindex, f"{anchor} not in genindex"
        if objtype in kb_indices:
            hrefs = {a.get("href") for a in kb_indices[objtype].select("a")}
            assert href in hrefs, f"{anchor} not in {KB_INDEX_PAGES[objtype]}"
        from_listing = f"{docname}.html#{anchor}" if docname != listing_page else f"#{anchor}"
        assert from_listing in listing, f"{anchor} not listed"
        assert kb[objtype][objid]["page"] == f"{docname}.html", f"{anchor} not in kb.json"
        if objtype == "talk":
            assert objid in bib, f"{objid} not in talks.bib"
            assert objid in csl, f"{objid} not in talks.csl.json"

"""What the catalogue tests (``tests/test_catalogue_*.py``) share.

Each catalogue root is built once per test module with ``-W`` semantics
(``warningiserror=True``: in Sphinx 9 the build always goes on to the end and
its status is 1), so every assertion on the output also shows that a build
failing under ``-W`` still wrote everything.  :func:`assert_intact` checks that
the valid objects around a mistake are still rendered, indexed, listed and
exported.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from tests.conftest import ROOTS, BuiltRoot, build_copy

if TYPE_CHECKING:
    from pathlib import Path

#: Object type -> the kb index page listing it (events and recommendations have none).
KB_INDEX_PAGES = {"talk": "kb-talkindex", "speaker": "kb-speakerindex", "term": "kb-termindex"}


def build_root(
    name: str, tmp: Path, buildername: str = "html", *, warningiserror: bool = True, **kwargs: Any
) -> BuiltRoot:
    """Build a fresh copy of ``tests/roots/test-<name>`` (``-W`` by default) with :func:`build_copy`."""
    srcdir = tmp / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / f"test-{name}", srcdir)
    return build_copy(srcdir, buildername, tmp / "_build", warningiserror=warningiserror, **kwargs)


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






def subtypes(build: BuiltRoot) -> list[str]:
    """The subtype of every warning, in order ("" for a warning that is not talkbase's)."""
    result = []
    for line in build.warning_lines():
        match = re.search(r"\[talkbase\.([a-z-]+)\]$", line)
        result.append(match.group(1) if match else "")
    return result


def assert_only_talkbase_warnings(build: BuiltRoot) -> None:
    """Every warning is a typed talkbase warning (none from docutils, MyST or Sphinx)."""
    others = [line for line, subtype in zip(build.warning_lines(), subtypes(build), strict=True) if not subtype]
    assert not others, "\n".join(others)


def assert_intact(build: BuiltRoot, objects: list[tuple[str, str, str]], listing_page: str = "listing") -> None:
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

"""What every build pays whatever its size: the modules talkbase imports only where they are used.

A no-op rebuild writes no document's page, so it makes no citation, derives no relations
graph and writes no HTML of its own: the citation record and formats (dataclasses, regular
expressions), :mod:`talkbase.graph.relations` and :mod:`talkbase.direct_html` stay
unimported, and so does pyuca while every name has kept weights (:mod:`talkbase.collation`);
see docs/performance.md, "Sixth round".  Each build runs in a fresh interpreter, whose
``sys.modules`` is what the build imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup
from tests.conftest import fresh_python

import talkbase
import talkbase.cite
from talkbase.cite import record

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

#: Imported where a citation is made, a page's HTML written or a new name collated, never at setup.
DEFERRED = frozenset({
    "talkbase.cite.record", "talkbase.cite.formats", "talkbase.cite.apa", "talkbase.direct_html",
    "talkbase.graph.relations", "pyuca.collator",
})  # fmt: skip

#: Builds ``argv[1]`` into ``argv[2]``; prints the talkbase and pyuca modules imported once the
#: application is set up (extensions, ``builder-inited``), then once it has built.
SCRIPT = """
import sys
from sphinx.application import Sphinx
src, out = sys.argv[1], sys.argv[2]
app = Sphinx(src, src, out + "/html", out + "/doctrees", "html", status=None, warning=sys.stderr)
print(" ".join(sorted(name for name in sys.modules if name.startswith(("talkbase", "pyuca")))))
app.build()
print(" ".join(sorted(name for name in sys.modules if name.startswith(("talkbase", "pyuca")))))
"""


def imported(srcdir: Path, outdir: Path) -> tuple[set[str], set[str]]:
    """The talkbase and pyuca modules imported after setup and after the build, in a fresh process."""
    result = fresh_python("-c", SCRIPT, str(srcdir), str(outdir))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    after_setup, after_build = result.stdout.splitlines()
    return set(after_setup.split()), set(after_build.split())


def test_noop_rebuild_imports_no_citation_html_writer_or_collator(
    copy_root: Callable[[str], Path], tmp_path: Path
) -> None:
    srcdir, outdir = copy_root("cite"), tmp_path / "out"
    setup, clean = imported(srcdir, outdir)
    assert "talkbase.cite.block" in setup  # the modules seen are talkbase's
    assert not setup & DEFERRED
    # A build that writes the talk pages imports each where it is used: the lazy imports work.
    assert clean >= DEFERRED
    page = BeautifulSoup((outdir / "html" / "talks.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select("div.kb-cite div.kb-cite-format.kb-cite-bibtex pre")  # made by the lazy imports
    setup_again, noop = imported(srcdir, outdir)
    assert "talkbase.cite.exports" in noop
    assert not (setup_again | noop) & DEFERRED


def test_cite_reexports_the_record_names() -> None:
    for name in ("Citation", "Person", "citation_for", "split_name"):
        assert getattr(talkbase.cite, name) is getattr(record, name)
    from talkbase.cite import citation_for  # noqa: PLC0415 (the `from` form goes through __getattr__ too)

    assert citation_for is record.citation_for
    try:
        talkbase.cite.bibtex  # noqa: B018
    except AttributeError as error:
        assert "bibtex" in str(error)
    else:
        raise AssertionError("talkbase.cite.bibtex should not exist")

"""The "Cite this" block made by the HTML translator (root ``test-cite``).

In ``html``/``dirhtml`` builds the filler leaves a ``kb_cite_later`` node and the
translator makes the content where the page is written (a ``-j`` worker), not in
the main process that resolves every page; the pages must not change by a byte.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.parallel import parallel_available
from tests.conftest import build_copy, output_texts

from talkbase.cite import block
from talkbase.nodes import kb_cite

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from docutils import nodes

#: The pages and the exports ("Cite this" shares its texts with them).
EXPORTED = frozenset({".html", ".js", ".bib", ".ris", ".json"})


@pytest.mark.skipif(not parallel_available, reason="no multiprocessing fork on this platform")
@pytest.mark.parametrize("buildername", ["html", "dirhtml"])
def test_block_written_later_equals_block_made_when_resolved(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    srcdir = copy_root("cite")
    later = build_copy(srcdir, buildername, outdir=tmp_path / "later", parallel=2)
    assert later.parallel  # made in the worker processes that wrote the pages
    with monkeypatch.context() as patch:  # the block made by the filler, as singlehtml gets it
        patch.setattr(block, "writes_later", lambda builder: False)
        now = build_copy(srcdir, buildername, outdir=tmp_path / "now")
    assert later.warnings == now.warnings == ""
    pages, expected = output_texts(later.outdir, EXPORTED), output_texts(now.outdir, EXPORTED)
    assert pages.keys() == expected.keys()
    assert any('class="kb-cite no-search docutils container"' in text for text in pages.values())
    for name, text in expected.items():
        assert pages[name] == text, f"{name} differs when the block is made by the translator"


def test_main_process_keeps_the_block_small(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the main process holds of each block when it indexes a page for search:
    the node and its record, no content (that is made where the page is written)."""
    seen: list[tuple[str, int]] = []
    original = StandaloneHTMLBuilder.write_doc_serialized

    def spy(self: StandaloneHTMLBuilder, docname: str, doctree: nodes.document) -> None:
        seen.extend((type(node).__name__, len(node.children)) for node in doctree.findall(kb_cite))
        original(self, docname, doctree)

    monkeypatch.setattr(StandaloneHTMLBuilder, "write_doc_serialized", spy)
    root = build_copy(copy_root("cite"), outdir=tmp_path / "out")
    assert root.warnings == ""
    assert len(seen) >= 2
    assert set(seen) == {("kb_cite_later", 0)}
    # Written in full all the same.
    page = root.html("talks")
    blocks = page.select("div.kb-cite")
    assert len(blocks) == len(seen)
    for found in blocks:
        assert found.select_one("p.rubric.kb-cite-heading") is not None
        assert len(found.select("div.sd-tab-set.kb-cite-machine > input")) == 4  # the reference and three formats

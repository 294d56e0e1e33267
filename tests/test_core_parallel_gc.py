"""The main process of a ``-j`` write keeps what was read out of full collections (``talkbase.parallel``)."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.parallel import parallel_available
from tests.conftest import build_copy

from talkbase.domain import kb_domain

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from docutils import nodes


def collected_while_writing(
    srcdir: Path, outdir: Path, monkeypatch: pytest.MonkeyPatch, parallel: int
) -> tuple[bool, bool]:
    """Whether the kb index (derived after reading) is still walked by full collections
    when the main process indexes the first page for search; and whether the build ran in parallel."""
    walked: list[bool] = []
    original = StandaloneHTMLBuilder.write_doc_serialized

    def spy(self: StandaloneHTMLBuilder, docname: str, doctree: nodes.document) -> None:
        if not walked:
            index = kb_domain(self.env).index
            walked.append(any(obj is index for obj in gc.get_objects()))
        original(self, docname, doctree)

    with monkeypatch.context() as patch:
        patch.setattr(StandaloneHTMLBuilder, "write_doc_serialized", spy)
        root = build_copy(srcdir, outdir=outdir, parallel=parallel)
    assert root.warnings == ""
    assert walked
    return walked[0], root.parallel


@pytest.mark.skipif(not parallel_available, reason="no multiprocessing fork on this platform")
def test_parallel_write_freezes_what_was_read(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = copy_root("core-myst")
    walked, parallel = collected_while_writing(srcdir, tmp_path / "parallel", monkeypatch, parallel=2)
    assert parallel
    assert not walked
    assert gc.get_freeze_count() == 0  # given back when the build ended
    # A serial build keeps the doctrees it read until it writes them: nothing is frozen after reading.
    walked, parallel = collected_while_writing(srcdir, tmp_path / "serial", monkeypatch, parallel=0)
    assert not parallel
    assert walked
    assert gc.get_freeze_count() == 0

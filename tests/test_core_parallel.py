"""``sphinx-build -j 2`` gives the same pages as a serial build."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile
from sphinx.util.parallel import parallel_available
from tests.conftest import output_texts

if TYPE_CHECKING:
    from collections.abc import Callable, Set
    from pathlib import Path

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from tests.conftest import BuiltRoot


@pytest.mark.skipif(not parallel_available, reason="no multiprocessing fork on this platform")
@pytest.mark.parametrize("root", ["core-myst", "core-rst"])
def test_parallel_build_equals_serial(built_root: Callable[..., BuiltRoot], root: str) -> None:
    serial = built_root(root)
    parallel = built_root(root, parallel=2)
    assert serial.warnings == parallel.warnings == ""
    assert parallel.parallel  # really read and written in worker processes
    assert not serial.parallel
    serial_pages, parallel_pages = output_texts(serial.outdir), output_texts(parallel.outdir)
    assert len(serial_pages) > 6
    assert serial_pages.keys() == parallel_pages.keys()
    for name, text in serial_pages.items():
        assert parallel_pages[name] == text, f"{name} differs between -j 2 and a serial build"
    inventories = [
        InventoryFile.loads((build.outdir / "objects.inv").read_bytes(), uri="")
        for build in (serial, parallel)
    ]
    assert inventories[0] == inventories[1]


@pytest.mark.skipif(not parallel_available, reason="no multiprocessing fork on this platform")
@pytest.mark.parametrize("root", ["core-bad-refs", "core-bad-duplicate", "core-bad-options"])
def test_parallel_build_reports_problems_once(
    built_root: Callable[..., BuiltRoot], root: str
) -> None:
    """Warnings found while reading in workers and after merging are the same as serial
    (a duplicate defined in two workers' documents is reported once)."""
    serial = built_root(root)
    parallel = built_root(root, parallel=2)
    assert parallel.parallel

    def lines(build: BuiltRoot) -> list[str]:
        return sorted(
            line.replace(str(build.srcdir), "SRC") for line in build.warnings.splitlines()
        )

    assert lines(serial)
    assert lines(serial) == lines(parallel)
    assert output_texts(serial.outdir) == output_texts(parallel.outdir)


def many_talks(srcdir: Path, count: int) -> Path:
    """A project of ``count`` talk pages, each citing the previous one: enough documents
    for ``-j 2`` to read them in more than two chunks, so later readers are forked after
    earlier ones were merged."""
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "talkbase"]\nhtml_theme = "basic"\nproject = "many"\n', encoding="utf-8"
    )
    names = [f"t{number:02d}" for number in range(count)]
    (srcdir / "index.md").write_text(
        "# Many\n\n```{toctree}\nspeaker\n" + "\n".join(names) + "\n```\n", encoding="utf-8"
    )
    (srcdir / "speaker.md").write_text("# Ada\n\n```{speaker} Ada\n:id: ada\n```\n", encoding="utf-8")
    for number, name in enumerate(names):
        cites = f" It follows {{talk}}`{names[number - 1]}`." if number else ""
        (srcdir / f"{name}.md").write_text(
            f"# Talk {number}\n\n```{{talk}} Talk number {number}\n:id: {name}\n:speakers: ada\n\n"
            f"A summary.{cites}\n```\n",
            encoding="utf-8",
        )
    return srcdir


@pytest.mark.skipif(not parallel_available, reason="no multiprocessing fork on this platform")
def test_parallel_readers_send_back_only_their_documents(tmp_path: Path) -> None:
    """A reader forked after other documents were merged pickles back only what it read
    (the kb domain's share of what crosses the process boundary), and the merged data
    equals a serial build's."""
    sent: list[tuple[set[str], set[str]]] = []

    def merged(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
        sent.append((set(docnames), set(other.domaindata["kb"]["docs"])))

    data = []
    for parallel in (0, 2):
        app = SphinxTestApp("html", srcdir=many_talks(tmp_path / f"src-{parallel}", 40), parallel=parallel)
        try:
            app.connect("env-merge-info", merged)
            app.build()
            data.append(app.env.domaindata["kb"]["docs"])
            assert not app.warning.getvalue()
        finally:
            app.cleanup()
    assert len(sent) >= 3  # more chunks than workers: some were forked after a merge
    for docnames, docs in sent:
        assert docs <= docnames
    assert set().union(*(docnames for docnames, _docs in sent)) == set(data[0])
    assert data[1] == data[0]

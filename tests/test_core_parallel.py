"""``sphinx-build -j 2`` gives the same pages as a serial build."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from sphinx.util.inventory import InventoryFile
from sphinx.util.parallel import parallel_available

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

_CACHE_BUSTER = re.compile(r"\?v=[0-9a-f]+")


def html_files(outdir: Path) -> dict[str, str]:
    return {
        str(path.relative_to(outdir)): _CACHE_BUSTER.sub("", path.read_text(encoding="utf-8"))
        for path in sorted(outdir.rglob("*.html"))
    }


@pytest.mark.skipif(not parallel_available, reason="no multiprocessing fork on this platform")
@pytest.mark.parametrize("root", ["core-myst", "core-rst"])
def test_parallel_build_equals_serial(built_root: Callable[..., BuiltRoot], root: str) -> None:
    serial = built_root(root)
    parallel = built_root(root, parallel=2)
    assert serial.warnings == parallel.warnings == ""
    assert parallel.parallel  # really read and written in worker processes
    assert not serial.parallel
    serial_pages, parallel_pages = html_files(serial.outdir), html_files(parallel.outdir)
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
    assert html_files(serial.outdir) == html_files(parallel.outdir)

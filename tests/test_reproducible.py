"""Byte-identical outputs: ``-j 2`` equals serial, and two clean builds are identical.

Builds run ``sphinx-build`` in subprocesses with different ``PYTHONHASHSEED`` values,
so that any output depending on set or dict-of-set iteration order shows up as a
difference.  Every file of the output tree is compared, exports (``_kb/``) included.
Projects: the documentation with its showcase (``docs/``) and a generated knowledge
base of 200 talks (``benchmarks/generate.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402


def sphinx_build(srcdir: Path, outdir: Path, *, jobs: int = 1, hashseed: str = "0") -> None:
    """A clean build of ``srcdir`` into ``outdir``.

    The doctree directory is the same for every build of a project (emptied first):
    talkbase's generated bibliography lives there and its absolute path is part of
    ``bibtex_bibfiles``, hence of the config hash in ``.buildinfo``.
    """
    doctrees = srcdir.parent / f"{srcdir.name}-doctrees"
    shutil.rmtree(doctrees, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-q", "-N", "-d", str(doctrees)]
    if jobs > 1:
        command += ["-j", str(jobs)]
    command += [str(srcdir), str(outdir)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1318000000", "PYTHONHASHSEED": hashseed}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]


def tree(outdir: Path) -> dict[str, bytes]:
    return {str(path.relative_to(outdir)): path.read_bytes() for path in sorted(outdir.rglob("*")) if path.is_file()}


def assert_same_tree(first: Path, second: Path) -> None:
    a, b = tree(first), tree(second)
    assert sorted(a) == sorted(b), f"file lists differ: {sorted(set(a) ^ set(b))}"
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"{len(differing)} files differ: {differing[:20]}"


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("projects")
    # A snapshot of docs/, so every build of a test compares the same sources.
    docs = base / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build"))
    (base / "extensions").symlink_to(ROOT / "extensions")  # the docs include files from there
    generated = base / "kb200"
    generate.generate(200, generated, "talkbase")
    return {"docs": docs, "generated": generated}


@pytest.fixture(scope="module")
def serial_builds(projects: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One serial clean build per project, the reference of both tests (built on first use)."""

    class Builds(dict[str, Path]):
        def __missing__(self, project: str) -> Path:
            outdir = tmp_path_factory.mktemp(f"serial-{project}") / "html"
            sphinx_build(projects[project], outdir, hashseed="1")
            assert (outdir / "index.html").is_file()
            self[project] = outdir
            return outdir

    return Builds()


@pytest.mark.parametrize("project", ["docs", "generated"])
def test_parallel_equals_serial(
    project: str, projects: dict[str, Path], serial_builds: dict[str, Path], tmp_path: Path
) -> None:
    sphinx_build(projects[project], tmp_path / "parallel", jobs=2, hashseed="2")
    assert_same_tree(serial_builds[project], tmp_path / "parallel")


@pytest.mark.parametrize("project", ["docs", "generated"])
def test_clean_builds_are_reproducible(
    project: str, projects: dict[str, Path], serial_builds: dict[str, Path], tmp_path: Path
) -> None:
    sphinx_build(projects[project], tmp_path / "second", hashseed="3")
    assert_same_tree(serial_builds[project], tmp_path / "second")

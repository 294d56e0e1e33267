"""Shared fixtures: Sphinx's testing fixtures with our roots under tests/roots/."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from bs4 import BeautifulSoup
from hypothesis import settings
from pybtex.database import BibliographyData, parse_string
from sphinx._cli.util.errors import strip_escape_sequences
from sphinx.testing.util import SphinxTestApp

import talkbase as package  # `talkbase` below runs the command

pytest_plugins = ("sphinx.testing.fixtures",)

# Property tests draw the same examples on every run (a red run is red again anywhere);
# ``HYPOTHESIS_PROFILE=explore`` draws new ones. A test's own @settings override the rest.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

ROOTS = Path(__file__).parent / "roots"
VENDOR = Path(__file__).parent / "vendor"


@functools.cache
def csl_schema() -> dict[str, Any]:
    """The CSL-JSON input schema (draft-07), vendored under ``tests/vendor/csl-schema/`` with its licence.

    Read relative to this file, so a clone anywhere runs the tests; loaded once per session.
    """
    return json.loads((VENDOR / "csl-schema" / "csl-data.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def copy_root(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy ``tests/roots/test-<name>`` to a fresh directory a test may edit."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / f"test-{name}", target)
        return target

    return copy


# -- talkbase core tests (test_core_*.py) ---------------------------------------------


@dataclass
class BuiltRoot:
    """A finished build of a copy of a test root."""

    srcdir: Path
    outdir: Path
    warnings: str
    status: str = ""
    #: Whether reading and writing ran in worker processes.
    parallel: bool = False
    #: Sphinx's exit status (1 when a ``-W`` build warned; it still writes everything).
    statuscode: int = 0

    def html(self, page: str) -> BeautifulSoup:
        """The parsed HTML of ``page`` (a docname)."""
        text = (self.outdir / f"{page}.html").read_text(encoding="utf-8")
        return BeautifulSoup(text, "lxml")

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


#: The ``?v=<checksum>`` Sphinx appends to asset links (it differs between builds of one project).
_CACHE_BUSTER = re.compile(r"\?v=[0-9a-f]+")


def output_texts(outdir: Path, suffixes: frozenset[str] = frozenset({".html"})) -> dict[str, str]:
    """The text of every file of a build with one of ``suffixes`` but Sphinx's ``_static``
    files (none carries content of ours), by its path, asset checksums left out: what two
    builds of one project that must be equal are compared on."""
    return {
        str(path.relative_to(outdir)): _CACHE_BUSTER.sub("", path.read_text(encoding="utf-8"))
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.suffix in suffixes and "_static" not in path.parts
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a source file between two builds."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # Make sure Sphinx sees a newer file even within the same mtime tick.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def spy_fingerprinted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the builds from now on fingerprint (talkbase.incremental.changed_pages), in order."""
    from talkbase import incremental  # noqa: PLC0415 (conftest is imported before any test's path set-up)

    fingerprinted: list[str] = []
    original = incremental.changed_pages

    def spy(stored: dict[str, bytes], docnames: Any, current: Any, *, only: Any = None) -> list[str]:
        docnames = set(docnames)
        fingerprinted.extend(sorted(docnames if only is None else docnames.intersection(only)))
        return original(stored, docnames, current, only=only)

    monkeypatch.setattr(incremental, "changed_pages", spy)
    return fingerprinted


def build_copy(
    srcdir: Path, buildername: str = "html", outdir: Path | None = None, **kwargs: Any
) -> BuiltRoot:
    """Build ``srcdir`` with a fresh Sphinx application; the app is cleaned up."""
    app = SphinxTestApp(buildername, srcdir=srcdir, builddir=outdir, **kwargs)
    try:
        parallel = (
            app.parallel > 1
            and app.is_parallel_allowed("read")
            and app.is_parallel_allowed("write")
        )
        app.build()
    finally:
        app.cleanup()
    warnings = strip_escape_sequences(app.warning.getvalue())
    # With colour on (a terminal, FORCE_COLOR, or CI=true as CI services set it) Sphinx
    # writes each progress step over the last one with a carriage return: one line each.
    status = strip_escape_sequences(app.status.getvalue()).replace("\r", "\n")
    return BuiltRoot(srcdir, app.outdir, warnings, status, parallel, app.statuscode)


def clean_build(srcdir: Path, tmp_path: Path, **kwargs: Any) -> BuiltRoot:
    """A clean build of ``srcdir`` as it is now (copied without its ``_build``), to compare an
    incremental build of it with."""
    copy = tmp_path / "clean"
    shutil.copytree(srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    return build_copy(copy, **kwargs)


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Build ``tests/roots/test-<name>`` once per session and builder (read-only use)."""
    cache: dict[tuple[str, str, int], BuiltRoot] = {}

    def build(name: str, buildername: str = "html", parallel: int = 0) -> BuiltRoot:
        key = (name, buildername, parallel)
        if key not in cache:
            base = tmp_path_factory.mktemp(f"{name}-{buildername}-{parallel}")
            srcdir = base / "src"
            shutil.copytree(ROOTS / f"test-{name}", srcdir)
            cache[key] = build_copy(srcdir, buildername, parallel=parallel)
        return cache[key]

    return build


@pytest.fixture
def build_sphinx():  # type: ignore[no-untyped-def]
    """:func:`build_copy` for tests that build their own (edited) copy of a root."""
    return build_copy


class HasWarnings(Protocol):
    """A finished build whose warnings are read back (BuiltRoot, catalogue_support.Build)."""

    srcdir: Path
    warnings: str


def warnings_at(build: HasWarnings, filename: str, line: int | None, subtype: str) -> list[str]:
    """The warning lines located at ``filename:line`` of type ``talkbase.<subtype>``."""
    where = f"{build.srcdir / filename}:{line}:" if line else f"{build.srcdir / filename}:"
    return [
        text
        for text in build.warnings.splitlines()
        if text.startswith(f"{where} WARNING: ") and text.endswith(f"[talkbase.{subtype}]")
    ]


def assert_warning(build: HasWarnings, filename: str, line: int | None, subtype: str, *words: str) -> str:
    """Exactly one such warning, containing every one of ``words``."""
    found = [w for w in warnings_at(build, filename, line, subtype) if all(x in w for x in words)]
    assert len(found) == 1, f"{filename}:{line} [talkbase.{subtype}] {words}\n{build.warnings}"
    return found[0]


def talkbase_command() -> list[str]:
    """How to run the ``talkbase`` console script of the venv under test."""
    script = Path(sys.executable).with_name("talkbase")
    return [str(script)] if script.exists() else [sys.executable, "-m", "talkbase.cli"]


def talkbase(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``talkbase ARGS`` as a subprocess, as a user would."""
    return subprocess.run(
        [*talkbase_command(), *map(str, args)], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
    )


def sphinx_build_html(srcdir: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -W --keep-going -q -b html SRCDIR OUTDIR`` as a subprocess, as an author runs it."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        check=False,
    )


def fresh_python(*args: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in a fresh interpreter that imports this checkout's talkbase."""
    extensions = str(Path(package.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (extensions, os.environ.get("PYTHONPATH"))))}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=False, timeout=300)


def make_pdf(latex_outdir: Path) -> None:
    """Turn a LaTeX build into PDF the way ``sphinx-build -M latexpdf`` (``make pdf``) does."""
    env = {**os.environ, "LATEXMKOPTS": "-halt-on-error -interaction=nonstopmode -quiet"}
    run = subprocess.run(
        ["make", "-C", str(latex_outdir), "all-pdf"], capture_output=True, text=True, env=env, timeout=240, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def pdftotext(*args: str) -> str:
    """poppler's ``pdftotext ARGS`` (its standard output)."""
    return subprocess.run(["pdftotext", *args], capture_output=True, text=True, check=True).stdout


def write_sphinx_catalogue(srcdir: Path, message: str, translation: str) -> None:
    """The project's own French translation of one of Sphinx's labels (``locale/fr/LC_MESSAGES/sphinx.mo``)."""
    catalog = Catalog(locale="fr")
    catalog.add(message, translation)
    folder = srcdir / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "sphinx.mo").open("wb") as file:
        write_mo(file, catalog)

"""The environment a build loaded is kept out of full garbage collections while it runs
and given back at its end (talkbase/collector.py); root ``test-cite``, built in this process.

At the interpreter's exit everything is frozen again, so Python's finalisation does not
collect it: checked in fresh interpreters (roots ``test-cite`` and ``test-noop-warnings``),
which must still write every page and every warning.
"""

from __future__ import annotations

import gc
import shutil
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from tests.conftest import ROOTS, fresh_python

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def frozen_during(srcdir: Path) -> dict[str, int]:
    """How many objects were frozen when reading ended and when the build finished."""
    seen: dict[str, int] = {}

    def after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
        seen["env-updated"] = gc.get_freeze_count()
        return []

    def finished(app: Sphinx, exception: BaseException | None) -> None:
        seen["build-finished"] = gc.get_freeze_count()

    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.connect("env-updated", after_reading, priority=999)
        app.connect("build-finished", finished, priority=999)  # before the unfreeze
        app.build()
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    return seen


def test_frozen_while_building_and_given_back(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-cite", srcdir)
    assert gc.get_freeze_count() == 0
    for build in ("clean", "no-op"):
        seen = frozen_during(srcdir)
        # Frozen once the environment was loaded, and what reading added when the write
        # phase started (without the doctrees read: tests/test_memory.py).
        assert seen["env-updated"] > 0, build
        assert seen["build-finished"] >= seen["env-updated"], build
        assert gc.get_freeze_count() == 0, build  # a later build in this process can free them


#: Sets up two applications in one process, builds with the second, then runs the exit
#: functions as the interpreter's exit would: prints how many times the setups registered
#: ``gc.freeze`` to run at exit, and how many objects were frozen before and after the exit functions.
EXIT_SCRIPT = """
import atexit, gc, sys
from sphinx.application import Sphinx
src, out = sys.argv[1], sys.argv[2]
registered = []
register = atexit.register
def spy(function, *args, **kwargs):
    registered.append(function)
    return register(function, *args, **kwargs)
atexit.register = spy
for build in range(2):
    app = Sphinx(src, src, f"{out}/html{build}", f"{out}/doctrees{build}", "html", status=None, warning=sys.stderr)
app.build()
before = gc.get_freeze_count()
atexit._run_exitfuncs()
print(registered.count(gc.freeze), before, gc.get_freeze_count())
"""


def test_frozen_at_exit_once_per_process(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-cite", srcdir)
    result = fresh_python("-c", EXIT_SCRIPT, str(srcdir), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    registrations, before, after = map(int, result.stdout.split())
    assert registrations == 1  # two applications set up, one exit freeze
    assert before == 0  # given back at build-finished
    assert after > 10_000  # the exit functions froze what the build left alive


def test_exit_loses_nothing(tmp_path: Path) -> None:
    """A build in its own interpreter, as ``sphinx-build`` runs: the warnings file, the pages and
    the exports are complete once the process has exited."""
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOTS / "test-noop-warnings", srcdir)
    warnings = tmp_path / "warnings.txt"
    result = fresh_python("-m", "sphinx", "-q", "-N", "-b", "html", "-w", str(warnings), str(srcdir), str(outdir))
    assert result.returncode == 0, result.stderr
    written = warnings.read_text(encoding="utf-8")
    assert "duplicate speaker id 'dupont'" in written
    assert "nobody" in written  # the listing filter naming no speaker
    assert written == result.stderr  # every warning shown reached the file
    page = BeautifulSoup((outdir / "second.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("h1").get_text(strip=True).startswith("Second")
    assert (outdir / "objects.inv").stat().st_size > 0
    assert (outdir / "searchindex.js").read_text(encoding="utf-8").startswith("Search.setIndex(")

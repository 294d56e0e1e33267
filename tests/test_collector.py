"""The environment a build loaded is kept out of full garbage collections while it runs
and given back at its end (talkbase/collector.py); root ``test-cite``, built in this process."""

from __future__ import annotations

import gc
import shutil
from typing import TYPE_CHECKING

from sphinx.testing.util import SphinxTestApp
from tests.conftest import ROOTS

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

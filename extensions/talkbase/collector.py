"""Full garbage collections that do not walk the environment again and again.

CPython's cyclic garbage collector traverses every object it tracks on each full
(generation 2) collection, and a build triggers several: the environment Sphinx
unpickles, with talkbase's records and the index derived from them, lives until
the build ends, yet each full collection walks all of it again.  At a thousand talks
that cost talkbase's no-op rebuild more CPU than anything talkbase itself does.

So, once the long-lived objects exist, they are collected once and moved out of the
collector's reach (:func:`gc.freeze`), and given back at the end of the build:

- ``builder-inited``: after Sphinx loaded the pickled environment;
- ``env-updated`` (last handler): after reading, when the records of the documents
  read and the index exist;
- ``build-finished`` (last handler): :func:`gc.unfreeze`, so a process that builds
  again (``talkbase live``, a test session) can free them.

After reading, garbage is collected before freezing (the doctrees just read and
pickled are cycles waiting for the collector); right after the environment is
loaded there is next to none, so that freeze costs nothing.  Objects are still
freed by reference counting while frozen; only cycles among frozen objects wait for
the end of the build.  Nothing a build writes depends on this.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def freeze(app: Sphinx) -> None:
    """Keep every object tracked now out of later collections (``builder-inited``)."""
    gc.freeze()


def unfreeze(app: Sphinx, exception: BaseException | None) -> None:
    """Give the frozen objects back to the collector (``build-finished``)."""
    gc.unfreeze()


def freeze_after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Collect, then freeze (``env-updated``, after every other handler: the index exists by then)."""
    gc.collect()
    gc.freeze()
    return []


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", freeze, priority=900)
    app.connect("env-updated", freeze_after_reading, priority=1000)
    app.connect("build-finished", unfreeze, priority=1000)

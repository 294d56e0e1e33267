"""Full garbage collections that do not walk the loaded environment again and again.

CPython's cyclic garbage collector traverses every object it tracks on each full
(generation 2) collection, and a build triggers several: the environment Sphinx
unpickles, with talkbase's records, lives until the build ends, yet each full
collection walks all of it again.  At a thousand talks that cost a no-op rebuild more
CPU than anything talkbase itself does.

So the objects that exist once the environment is loaded are moved out of the
collector's reach (:func:`gc.freeze`) and given back when the build ends:

- ``builder-inited``: after Sphinx loaded the pickled environment (in a clean build
  there is little to freeze yet); there is next to no garbage at that point, so
  none is kept alive;
- ``build-finished`` (last handler): :func:`gc.unfreeze`, so a process that builds
  again (``talkbase live``, a test session) can free them.

Objects are still freed by reference counting while frozen; only cycles among them
(the table of contents of a document read again) wait for the end of the build.
Nothing is frozen after reading: Sphinx keeps the doctrees just read in memory for
the write phase and drops them one by one, and frozen they would all stay until the
end (a clean build's peak memory grew by 40 %).  Nothing a build writes depends on this.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def freeze(app: Sphinx) -> None:
    """Keep every object tracked now out of later collections (``builder-inited``)."""
    gc.freeze()


def unfreeze(app: Sphinx, exception: BaseException | None) -> None:
    """Give the frozen objects back to the collector (``build-finished``)."""
    gc.unfreeze()


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", freeze, priority=900)
    app.connect("build-finished", unfreeze, priority=1000)

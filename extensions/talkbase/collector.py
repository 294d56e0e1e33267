"""The build's memory: full garbage collections that do not walk the loaded
environment again and again, and data let go once no step needs it.

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
In a clean build the frozen objects hold next to no garbage (a collection right after
the unfreeze finds about ten unreachable objects in a project of a hundred talks).

Let go (each computed again, the same, if a later step asks for it):

- ``builder-inited``: sphinx-design's table of every octicon (about 2.5 MB), which it
  loads when imported to list the names its options accept and then keeps for the
  process; its directives and roles load it again where a page shows an icon;
- ``build-finished`` (first handler): the answers kept on the kb domain's derived
  index (listing entries, "Referenced by" groups, previews: several MB at a thousand
  talks), computed after reading for the fingerprints and read again when each page
  was written; every page is written now, and the exports that follow need none of
  them.  (pyuca's table is let go by :mod:`talkbase.collation`.)
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from talkbase.domain import kb_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def freeze(app: Sphinx) -> None:
    """Keep every object tracked now out of later collections (``builder-inited``)."""
    gc.freeze()


def unfreeze(app: Sphinx, exception: BaseException | None) -> None:
    """Give the frozen objects back to the collector (``build-finished``)."""
    gc.unfreeze()


def drop_icon_table(app: Sphinx) -> None:
    """Let sphinx-design's octicon table go (``builder-inited``, before :func:`freeze`)."""
    icons = sys.modules.get("sphinx_design.icons")
    load = getattr(icons, "get_octicon_data", None)
    if load is not None and hasattr(load, "cache_clear"):
        load.cache_clear()


def forget_answers(app: Sphinx, exception: BaseException | None) -> None:
    """Drop the answers kept on the derived index (``build-finished``, first handler)."""
    if exception is None:  # else the index may be half made: leave it
        kb_domain(app.env).forget_answers()


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", drop_icon_table, priority=800)
    app.connect("builder-inited", freeze, priority=900)
    app.connect("build-finished", forget_answers, priority=0)
    app.connect("build-finished", unfreeze, priority=1000)

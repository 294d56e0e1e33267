"""The main process of a ``-j`` build's write phase: full collections that skip the environment.

With ``-j N``, Sphinx's main process resolves every page (post-transforms, references,
talkbase's fills) and indexes it for search, and forked workers translate and write
the pages.  The main process makes and drops a resolved doctree per page (cycles
through their parent links, freed by the cyclic collector only), so it runs a dozen
full collections, and each one walks the whole environment again: the records,
indexes and inventories, which live until the build ends and are much larger with
talkbase than in plain Sphinx.

So when the write phase starts (``write-started``) in a build that writes in
parallel, the objects alive then are moved out of the collector's reach
(:func:`gc.freeze`); :mod:`talkbase.collector` gives every frozen object back at
``build-finished`` (:func:`gc.unfreeze` is for all of them).
Freezing is safe there and not in a serial build: a ``-j`` build reads in workers,
so the main process holds no doctrees to write (a serial read keeps them all until
they are written: frozen, they would stay until the end).  Reading leaves next to no
garbage by then (a clean ``-j 2`` build of 1 000 talks: a collection at
``write-started`` finds none), so none is collected first: freezing alone costs
nothing, even in a no-op build.  The workers, forked afterwards, inherit the frozen
objects and do not walk them either (nor copy the memory pages a walk would touch).

Nothing a build writes depends on this.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def freeze_for_parallel_write(app: Sphinx, builder: Builder) -> None:
    """Keep what is alive now out of later full collections (``write-started``, ``-j`` builds only)."""
    if builder.parallel_ok:
        gc.freeze()


def setup(app: Sphinx) -> None:
    app.connect("write-started", freeze_for_parallel_write)

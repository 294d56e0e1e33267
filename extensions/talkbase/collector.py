"""The build's memory: full garbage collections that do not walk the loaded
environment again and again, doctrees that do not wait for one to be freed, and data
let go once no step needs it.

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
- ``write-started`` (last handler): what reading added (the records, Sphinx's
  tables), after one full collection, so none of the garbage reading left is kept;
- ``build-finished`` (last handler): :func:`gc.unfreeze`, so a process that builds
  again (``talkbase live``, a test session) can free them.

Objects are still freed by reference counting while frozen; only cycles among them
(the table of contents of a document read again) wait for the end of the build.

At the interpreter's exit (:func:`atexit.register`, once per process) everything is
frozen again.  Python's finalisation otherwise runs full collections over all that is
still alive and frees every cycle object by object, for memory the operating system
takes back at once: measured with ``benchmarks/fixed_cost.py``, a third of the CPU of a
no-op rebuild at N = 100 (0.28 s for talkbase, 0.21 s for plain Sphinx), more than
everything talkbase adds to it.  Reference counting still frees the rest, files closed
on it included; what is skipped is the collection of cycles and the ``__del__`` of
objects in them, which Python does not promise at exit either.  mypy skips its
teardown for the same reason (``--fast-exit``, with ``os._exit``, which also skips
the flushing of files; this does not).

The doctrees.  A doctree (parent and child links, the document's id tables) is a
reference cycle, which only a full collection frees.  In a serial build Sphinx keeps
every doctree it read in memory until that page is written
(``env._write_doc_doctree_cache``), where each one is also the largest part of what
the full collections walk; written, it is garbage that waits for the next one, and
CPython starts one only when the objects that survived since the last reach a quarter
of the long-lived ones: the peak of a clean build was the doctrees read, plus a
quarter of them again in written ones.  Frozen with the environment, they would all
stay until the end.  So:

- ``doctree-read`` (last handler) and ``env-updated`` (first handler): the doctrees
  already read are dropped from that cache, each once Sphinx has pickled it to the
  doctree directory; the write phase unpickles each page's doctree from there, as an
  incremental or a ``-j N`` build always does (the pages are the same, byte for
  byte).  A clean build's full collections then walk little, and the doctrees read
  are freed while reading goes on;
- ``doctree-resolved`` (last handler): the pickled doctree Sphinx keeps in memory
  after unpickling it (``env._pickled_doctree_cache``, read again from its file if a
  later step asks for that document).

An unpickled doctree is young: after the freeze at ``write-started``, a written one
is freed by the next collection, which walks only what the write phase made.

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

import atexit
import gc
import sys
from functools import cache
from typing import TYPE_CHECKING

from talkbase.domain import kb_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def freeze(app: Sphinx) -> None:
    """Keep every object tracked now out of later collections (``builder-inited``)."""
    gc.freeze()


def freeze_for_writing(app: Sphinx, builder: Builder) -> None:
    """Free reading's garbage, then keep what is left out of later collections
    (``write-started``, last handler: after the doctrees read were dropped)."""
    gc.collect()
    gc.freeze()
    # A full collection of nothing: CPython starts the next full one when the objects
    # surviving since the last reach a quarter of those it kept, now none, so the
    # written doctrees do not wait for a quarter of the environment's size.
    gc.collect()


def unfreeze(app: Sphinx, exception: BaseException | None) -> None:
    """Give the frozen objects back to the collector (``build-finished``)."""
    gc.unfreeze()


@cache  # once per process, however many applications it sets up (a test session, ``talkbase live``)
def freeze_at_exit() -> None:
    """Freeze everything still alive when the interpreter exits (see the module's docstring)."""
    atexit.register(gc.freeze)


def drop_read_doctrees(app: Sphinx, *args: object) -> None:
    """Drop the doctrees read and pickled so far from Sphinx's cache for the write
    phase (``doctree-read``, last handler: the one just read is pickled after it;
    ``env-updated``, first handler: the last one)."""
    cache: dict[str, nodes.document] | None = getattr(app.env, "_write_doc_doctree_cache", None)
    if cache:
        cache.clear()


def drop_pickled_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop the pickled doctree Sphinx kept after unpickling it (``doctree-resolved``)."""
    pickled: dict[str, bytes] | None = getattr(app.env, "_pickled_doctree_cache", None)
    if pickled:
        pickled.pop(docname, None)


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
    freeze_at_exit()
    app.connect("builder-inited", drop_icon_table, priority=800)
    app.connect("builder-inited", freeze, priority=900)
    app.connect("doctree-read", drop_read_doctrees, priority=1000)
    app.connect("env-updated", drop_read_doctrees, priority=0)
    app.connect("write-started", freeze_for_writing, priority=1000)
    app.connect("doctree-resolved", drop_pickled_doctree, priority=1000)
    app.connect("build-finished", forget_answers, priority=0)
    app.connect("build-finished", unfreeze, priority=1000)

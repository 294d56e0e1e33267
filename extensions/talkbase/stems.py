"""One stem per word for the whole build, not one per page (``doctree-resolved``).

Sphinx's search indexer stems every word of every page it writes
(``IndexBuilder.feed``) and memoises the stemmer for that page only, so a word used on
a thousand pages is stemmed a thousand times.  With the snowball stemmers (English,
French and most others), that is the largest single step of a clean HTML build, for
plain Sphinx as for talkbase: at N = 1 000 talks, 216 000 words stemmed, 33 600 of
them distinct, a fifth of the build's CPU under ``benchmarks/profiling.py``; the
memo takes 2.5 s off a 25.7 s build.  A stem depends on the word alone, so the search
language's stemmer is memoised for the whole write phase; the search index is the
same, byte for byte.

The indexer is made in ``prepare_writing``, after ``write-started``; the first
``doctree-resolved`` comes before the first page is fed to it (in a ``-j N`` build
too: both run in the main process).  Each build makes a new indexer, so nothing is
kept from one build to the next (``talkbase live``).  The memo is bounded: a large
site's vocabulary fits in it, and a site made of generated identifiers does not
make it grow without end.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

#: Distinct words kept; a thousand-talk knowledge base uses a quarter of it.
WORDS = 1 << 17


def memoise_stemmer(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Memoise the search language's stemmer once per build (``doctree-resolved``)."""
    language = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if language is None or "stem" in vars(language):  # no search index, or done already
        return
    language.stem = lru_cache(maxsize=WORDS)(language.stem)


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", memoise_stemmer)

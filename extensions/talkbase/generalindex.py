"""The general index of the last build, kept next to the doctrees: a rebuild sorts and
groups the index entries again only when they, or what their links are made of, changed.

Sphinx computes the general index (``IndexEntries.create_index``) on every build that
writes, a no-op rebuild included, and every talk, speaker, term… of a knowledge base is
in it: with tens of thousands of entries, splitting, sorting and grouping them was the
largest part of what writing the index pages costs.  So the computed index is kept in
``<doctreedir>/talkbase-genindex.pickle`` with a digest of everything ``create_index``
reads: the index domain's entries (every document's, in name order: see
:func:`_in_order`), what the builder's ``get_relative_uri('genindex', docname)`` is
made of (the builder's type and name, its link suffix), the translated labels it adds
("Symbols", "see %s", "see also %s"),
Sphinx's version and the Unicode data that sorts and groups the entries.  A build whose
configuration changed uses nothing kept.  A computation that warned (a malformed entry)
is not kept: the next build computes it again and says so again, as a clean build would.

Only Sphinx's own ``html`` and ``dirhtml`` builders (their exact types: a subclass may
make its links otherwise) get, at ``builder-inited``, an instance-level ``write_genindex``
that takes the index from the kept file or computes it, then does what Sphinx's
``write_genindex`` does (Sphinx 9); the class and Sphinx's modules are left alone, so
another application in the same process is unaffected.  Runs in the main process,
which writes the index pages (``finish``); the file is written as soon as the index is
computed.  The file is a cache: a missing, unreadable or foreign one is made again.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sphinx
from sphinx.environment.adapters.indexentries import IndexEntries
from sphinx.locale import _
from sphinx.util import logging as sphinx_logging

from talkbase import keptfile
from talkbase.stock_html import is_stock_html

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

FILE_NAME = "talkbase-genindex.pickle"
#: Bump when what is kept changes shape.
FORMAT = 1
#: The labels ``create_index`` translates (Sphinx's catalogue, in the build's language).
_LABELS = ("Symbols", "see %s", "see also %s")
#: The logger ``create_index`` warns through.
_LOGGER = "sphinx.sphinx.environment.adapters.indexentries"

logger = sphinx_logging.getLogger(__name__)


def _in_order(builder: StandaloneHTMLBuilder) -> dict[str, list[tuple[str, str, str, str, str | None]]]:
    """The index domain's entries, the documents in name order.

    A document read again moves to the end of Sphinx's dictionary, and the first
    document holding a word gives it its category key: in name order, the order a
    clean serial build reads them, the index does not depend on what was read when.
    """
    entries = builder.env.domains.index_domain.entries
    return dict(sorted(entries.items()))


def digest(builder: StandaloneHTMLBuilder, entries: object) -> str | None:
    """A digest of what ``create_index`` reads (``entries``: :func:`_in_order`), or None
    when it cannot be made."""
    whole = (
        FORMAT,
        sphinx.__version__,
        unicodedata.unidata_version,
        type(builder).__module__,
        type(builder).__qualname__,
        builder.name,
        builder.link_suffix,
        [str(_(label)) for label in _LABELS],
        entries,
    )
    # repr, not pickle: equal entries always have the same repr, not the same pickle.
    text = repr(whole)
    if " at 0x" in text:
        return None  # an object shown by its address: not the same object next build
    return hashlib.blake2b(text.encode("utf-8"), digest_size=32).hexdigest()


class _Warned(logging.Handler):
    """Notes whether ``create_index`` warned."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warned = False

    def emit(self, record: logging.LogRecord) -> None:
        self.warned = True


def _compute(builder: StandaloneHTMLBuilder, in_order: object) -> tuple[Any, bool]:
    """The general index of the entries ``in_order`` (:func:`_in_order`), and whether it
    may be kept (nothing warned)."""
    data = builder.env.domains.index_domain.data
    entries = data["entries"]
    data["entries"] = in_order
    watched = logging.getLogger(_LOGGER)
    handler = _Warned()
    watched.addHandler(handler)
    try:
        index = IndexEntries(builder.env).create_index(builder)
    finally:
        watched.removeHandler(handler)
        data["entries"] = entries  # the environment as Sphinx left it
    return index, not handler.warned


def general_index(app: Sphinx, builder: StandaloneHTMLBuilder) -> Any:
    """The general index: the kept one when its digest is unchanged, else computed (and kept)."""
    entries = _in_order(builder)
    key = digest(builder, entries)
    path = Path(builder.doctreedir) / FILE_NAME
    if key is not None and not getattr(app, "_talkbase_config_changed", True):
        loaded = keptfile.load(path)
        if isinstance(loaded, tuple) and len(loaded) == 3 and loaded[0] == FORMAT and loaded[1] == key:
            return loaded[2]
    index, keep = _compute(builder, entries)
    if key is not None and keep:
        keptfile.save(path, (FORMAT, key, index))  # not saved (read-only): computed again next time
    return index


def _write_genindex(app: Sphinx, builder: StandaloneHTMLBuilder) -> None:
    """Sphinx's ``StandaloneHTMLBuilder.write_genindex`` (Sphinx 9), the index taken from
    :func:`general_index`."""
    genindex = general_index(app, builder)
    # the total count of lines for each index letter, used to distribute
    # the entries into two columns
    indexcounts = [sum(1 + len(subitems) for _, (_, subitems, _) in entries) for _k, entries in genindex]
    genindexcontext = {
        "genindexentries": genindex,
        "genindexcounts": indexcounts,
        "split_index": builder.config.html_split_index,
    }
    logger.info("genindex ", nonl=True)
    if builder.config.html_split_index:
        builder.handle_page("genindex", genindexcontext, "genindex-split.html")
        builder.handle_page("genindex-all", genindexcontext, "genindex.html")
        for (key, entries), count in zip(genindex, indexcounts, strict=True):
            ctx = {"key": key, "entries": entries, "count": count, "genindexentries": genindex}
            builder.handle_page("genindex-" + key, ctx, "genindex-single.html")
    else:
        builder.handle_page("genindex", genindexcontext, "genindex.html")


def install(app: Sphinx) -> None:
    """Give Sphinx's own HTML builders the kept general index (``builder-inited``)."""
    builder = app.builder
    if not is_stock_html(builder):
        return
    html = cast("StandaloneHTMLBuilder", builder)

    def write_genindex() -> None:
        _write_genindex(app, html)

    html.write_genindex = write_genindex  # type: ignore[method-assign]  # this builder's only


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", install)

"""Citing talks: the citation record, its formats, the "Cite this" block and the exports.

:mod:`~talkbase.cite.record` (the one citation record of a talk) and
:mod:`~talkbase.cite.formats` (APA, BibTeX, RIS, CSL-JSON from it) are pure;
:mod:`~talkbase.cite.block` renders the block on talk pages and
:mod:`~talkbase.cite.exports` writes ``_kb/`` at the end of HTML builds;
:mod:`~talkbase.cite.bibfile` makes talks citable through sphinxcontrib-bibtex,
writing their entries from the ``kb`` domain's records after reading (``env-updated``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from talkbase.cite.record import Citation, Person, citation_for, split_name

#: The names this package re-exports from :mod:`talkbase.cite.record`.
_RECORD_NAMES = frozenset({"Citation", "Person", "citation_for", "split_name"})


def __getattr__(name: str) -> Any:
    """``talkbase.cite.Citation`` and the others, imported on first use (PEP 562): the
    record's dataclasses cost every build that makes no citation (a no-op rebuild)."""
    if name in _RECORD_NAMES:
        from talkbase.cite import record  # noqa: PLC0415

        return getattr(record, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def setup(app: Sphinx) -> None:
    """Register the "Cite this" block's static files, the exports and talks.bib."""
    from talkbase.cite import bibfile, block, exports  # noqa: PLC0415 (keep `import talkbase.cite` cheap)

    bibfile.setup(app)
    block.setup(app)
    exports.setup(app)


__all__ = ["Citation", "Person", "citation_for", "setup", "split_name"]

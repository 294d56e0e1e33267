"""Citing talks: the citation record, its formats, the "Cite this" block and the exports.

:mod:`~talkbase.cite.record` (the one citation record of a talk) and
:mod:`~talkbase.cite.formats` (APA, BibTeX, RIS, CSL-JSON from it) are pure;
:mod:`~talkbase.cite.block` renders the block on talk pages and
:mod:`~talkbase.cite.exports` writes ``_kb/`` at the end of HTML builds;
:mod:`~talkbase.cite.bibfile` makes talks citable through sphinxcontrib-bibtex,
writing their entries from the ``kb`` domain's records after reading (``env-updated``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talkbase.cite.record import Citation, Person, citation_for, split_name

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    """Register the "Cite this" block's static files, the exports and talks.bib."""
    from talkbase.cite import bibfile, block, exports  # noqa: PLC0415 (keep `import talkbase.cite` cheap)

    bibfile.setup(app)
    block.setup(app)
    exports.setup(app)


__all__ = ["Citation", "Person", "citation_for", "setup", "split_name"]

"""The ``talkbase`` warning type and its subtypes.

Every author mistake goes through :func:`warn`, so that it carries a location,
shows ``[talkbase.<subtype>]`` and can be silenced with ``suppress_warnings``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils.nodes import Node

logger = logging.getLogger("talkbase")

WARNING_TYPE = "talkbase"


class Subtype(StrEnum):
    """Every warning subtype talkbase can emit (documented in docs/reference/warnings.md)."""

    UNKNOWN_REF = "unknown-ref"
    WRONG_TYPE = "wrong-type"
    UNKNOWN_TERM = "unknown-term"
    DUPLICATE_ID = "duplicate-id"
    DUPLICATE_TERM = "duplicate-term"
    MISSING_OPTION = "missing-option"
    UNKNOWN_OPTION = "unknown-option"
    DUPLICATE_OPTION = "duplicate-option"
    EMPTY_OPTION = "empty-option"
    BAD_DATE = "bad-date"
    BAD_URL = "bad-url"
    BAD_LANGUAGE = "bad-language"
    BAD_VALUE = "bad-value"
    EMPTY_ID = "empty-id"
    EMPTY_TITLE = "empty-title"
    ORPHAN_RECOMMENDATION = "orphan-recommendation"
    NESTED_OBJECT = "nested-object"
    GRAPH_UNAVAILABLE = "graph-unavailable"
    FEED_UNAVAILABLE = "feed-unavailable"
    BIB_KEY_CLASH = "bib-key-clash"
    NO_BIBTEX = "no-bibtex"
    SEARCH = "search"




def warn(subtype: Subtype, message: str, *, location: Node | tuple[str, int | None] | str | None) -> None:
    """Log an author mistake; Sphinx appends ``[talkbase.<subtype>]``."""
    logger.warning(message, type=WARNING_TYPE, subtype=subtype.value, location=location)

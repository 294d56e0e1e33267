"""Whether a builder is Sphinx's own ``html`` or ``dirhtml`` builder, by exact type.

What talkbase does for these builders only (remembering asset tags, writing parts of
pages as HTML, keeping the general index) relies on how they make links and write
pages; a subclass may do either otherwise, so it gets Sphinx's own behaviour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder

if TYPE_CHECKING:
    from sphinx.builders import Builder

_STOCK = (StandaloneHTMLBuilder, DirectoryHTMLBuilder)


def is_stock_html(builder: Builder | None) -> bool:
    """Whether ``builder`` is exactly Sphinx's ``StandaloneHTMLBuilder`` or ``DirectoryHTMLBuilder``."""
    return type(builder) in _STOCK

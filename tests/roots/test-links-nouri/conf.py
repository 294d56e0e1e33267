"""An HTML builder with no page for one document (tests/test_links.py).

talkbase's fillers make their links at once for Sphinx's HTML builders, which
give every document a page; a builder that has none for a document says so
with ``NoUri``, as the LaTeX builder does for orphan pages, and the links to
that document must then be text, as Sphinx makes of a role's link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import NoUri

if TYPE_CHECKING:
    from sphinx.application import Sphinx

project = "links without a page"
extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
language = "en"
# The domain indices would link the hidden talk from their own pages.
html_domain_indices = False
# Page metadata then names absolute URLs (get_target_uri), which this builder has for every page.
html_baseurl = "https://kb.example.org/"


class SomePagesBuilder(StandaloneHTMLBuilder):
    """HTML with no URI for the page ``hidden``, as LaTeX has none for an orphan it leaves out."""

    name = "html"  # in place of the html builder (a builder named here is looked up before setup)

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        if to == "hidden":
            raise NoUri(to, typ)
        return super().get_relative_uri(from_, to, typ)


def setup(app: Sphinx) -> None:
    app.add_builder(SomePagesBuilder, override=True)

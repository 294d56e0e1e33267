"""The ``<link>`` and ``<script>`` tags of a page's CSS and JavaScript, made once per folder.

Sphinx's HTML builder gives every page template ``css_tag`` and ``js_tag``, which
make each asset's tag again on every page: the URI relative to the page, and a
checksum of the file (``?v=…``), whose path is resolved on the file system at each
call.  talkbase's pages carry ten assets (sphinx-design's, "Cite this"'s, graphviz's
and Sphinx's own), so that is ten path resolutions per page written.

A tag depends only on the asset and on the folder of the page (the relative URI);
the checksum Sphinx computes once per file and process.  :func:`on_page_context`
(``html-page-context``, ``html`` and ``dirhtml`` builders) hands the template
functions that make each (folder, asset) tag once per build with Sphinx's own
functions and give it back afterwards: the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from talkbase.stock_html import is_stock_html

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

#: (template function, folder of the page, asset) -> the tag Sphinx's function made.
Tags = dict[tuple[str, str, object], str]


def remembering(make: Callable[[Any], str], name: str, folder: str, tags: Tags) -> Callable[[Any], str]:
    """``make`` (Sphinx's ``css_tag`` or ``js_tag`` of one page), asked once per asset and folder."""

    def tag(asset: Any) -> str:
        try:
            key = (name, folder, asset)
            made = tags.get(key)
        except TypeError:  # an asset with an unhashable attribute: as Sphinx makes it
            return make(asset)
        if made is None:
            made = tags[key] = make(asset)
        return made

    return tag


def setup(app: Sphinx) -> None:
    tags: Tags = {}  # this application's: one build

    def on_page_context(
        app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
    ) -> None:
        """Swap the page's ``css_tag`` and ``js_tag`` for remembering ones (write phase)."""
        builder = app.builder
        if not is_stock_html(builder):
            return
        # What Sphinx's ``pathto`` makes asset URIs relative to: the page's URI.
        folder, _slash, _page = builder.get_target_uri(pagename).rpartition("/")
        for name in ("css_tag", "js_tag"):
            if callable(make := context.get(name)):
                context[name] = remembering(make, name, folder, tags)

    app.connect("html-page-context", on_page_context)

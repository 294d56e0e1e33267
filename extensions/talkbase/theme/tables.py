"""Wide tables scroll on their own (post-transform, HTML builders, this theme only).

Every table of a page written with the talkbase theme (or a theme inheriting
from it) is wrapped in a ``tb-scroll`` container when the page is written, so
that a table wider than the column scrolls sideways instead of the page; the
theme's script only makes a wrapper that does overflow focusable.  Other
themes get their tables as Sphinx writes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SCROLL_CLASS = "tb-scroll"


def has_this_theme(builder: object) -> bool:
    """Whether ``builder`` writes pages with this theme: only it has the ``kb_sidebar`` option."""
    theme = getattr(builder, "theme", None)
    return theme is not None and "kb_sidebar" in theme.get_options()


class ScrollTables(SphinxPostTransform):
    """Wrap every table in a ``tb-scroll`` container (HTML builders, this theme)."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        # The builder as Sphinx's own ReferencesResolver reaches it: transforms have no public handle.
        if not has_this_theme(self.env._app.builder):
            return
        for table in list(self.document.findall(nodes.table)):
            parent = table.parent
            if isinstance(parent, nodes.container) and SCROLL_CLASS in parent["classes"]:
                continue
            wrapper = nodes.container(classes=[SCROLL_CLASS])
            parent.replace(table, wrapper)  # not replace_self: it would give the table's classes to the wrapper
            wrapper += table


def setup(app: Sphinx) -> None:
    app.add_post_transform(ScrollTables)

"""The talkbase HTML theme (``html_theme = "talkbase"``), inheriting from ``basic``.

Sphinx finds it through the ``sphinx.html_themes`` entry point, which loads this
module as an extension and calls :func:`setup`; listing ``talkbase.theme`` in
``extensions`` does the same.  The theme's templates and static files live in
``talkbase/`` next to this file; the Python parts only add to each page's
template context, one ``html-page-context`` handler per concern:

* :mod:`talkbase.theme.navigation`: the left navigation, the current branch of
  the toctree only (so a page's weight does not grow with the project);
* :mod:`talkbase.theme.markup`: the ARIA roles of Sphinx's toctree captions and
  docutils' citations, corrected in the HTML translator (``builder-inited``);
* :mod:`talkbase.theme.page`: theme options turned into safe values (accent
  colour, logo, edit link), the knowledge-base sidebar links, the dark code
  style scoped to the colour-scheme toggle;
* :mod:`talkbase.theme.previews`: the data of the hover/focus previews of the
  page's links to knowledge-base objects;
* :mod:`talkbase.theme.i18n`: the theme's labels from talkbase's catalogue;
* :mod:`talkbase.theme.toc`: "On this page" lists the talks and their parts;
* :mod:`talkbase.theme.tables`: tables wrapped in a scrolling container when the
  page is written (a post-transform).
* :mod:`talkbase.theme.search`: the Pagefind index, its filters and the search page.

Every handler does nothing unless the page is rendered with this theme (or one
inheriting from it), so the module is harmless when merely listed in
``extensions`` or used with non-HTML builders.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: The directory holding ``theme.toml``.
THEME_PATH = Path(__file__).parent / "talkbase"


def uses_theme(context: dict[str, Any]) -> bool:
    """Whether the page being rendered uses this theme (its options are in the context)."""
    return "theme_kb_sidebar" in context


def builder_uses_theme(builder: Builder) -> bool:
    """Whether ``builder`` writes HTML pages with this theme (after ``builder-inited``'s theme set-up)."""
    theme = getattr(builder, "theme", None)
    if theme is None or builder.format != "html":
        return False
    return "kb_sidebar" in theme.get_options(getattr(builder, "theme_options", {}))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the theme and its page-context handlers (extension setup)."""
    from talkbase import __version__  # noqa: PLC0415
    from talkbase.theme import i18n, markup, navigation, page, previews, search, tables, toc  # noqa: PLC0415

    app.add_html_theme("talkbase", str(THEME_PATH))
    markup.setup(app)
    navigation.setup(app)
    page.setup(app)
    previews.setup(app)
    i18n.setup(app)
    toc.setup(app)
    tables.setup(app)
    search.setup(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}

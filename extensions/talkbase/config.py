"""Every ``talkbase_*`` configuration value, declared once."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    # Shown on every object page: changing it changes every page.
    app.add_config_value("talkbase_backlinks", True, "env", types=frozenset({bool}))
    app.add_config_value("talkbase_object_graph", False, "env", types=frozenset({bool}))
    # Atom feeds (talkbase.feed): linked from every page's head, so a change rewrites every page.
    # ``None`` means 20 entries when html_baseurl is set, no feed (silently) otherwise.
    app.add_config_value("talkbase_feed_entries", None, "html", types=frozenset({int, type(None)}))
    app.add_config_value("talkbase_feed_events", False, "html", types=frozenset({bool}))
    app.add_config_value("talkbase_feed_tags", False, "html", types=frozenset({bool}))
    # LaTeX: use the style shipped in talkbase/latex/talkbase.sty (talkbase.latex).
    app.add_config_value("talkbase_latex_style", True, "", types=frozenset({bool}))
    # HTML: render math with the MathJax talkbase ships, not Sphinx's CDN (talkbase.mathjax).
    app.add_config_value("talkbase_offline_math", True, "html", types=frozenset({bool}))
    # Search (talkbase.theme.search): "auto", "pagefind" or "sphinx"; pages carry Pagefind's marks.
    app.add_config_value("talkbase_search", "auto", "html", types=frozenset({str}))

"""A stable ``html_static_path``, so an unchanged project reads as an unchanged configuration.

Sphinx compares the configuration with the pickled one right after ``config-inited``
and pickles it again at the end of the build.  sphinx-design (which talkbase loads)
appends its static directory to ``html_static_path`` at ``builder-inited``, between
the two: every rebuild then found the path missing from the new configuration and
logged "The configuration has changed (1 option: 'html_static_path')".  It did not
rewrite pages (the HTML builder's configuration hash is taken before
``builder-inited`` too, so it is stable), but the message was false and hid real
configuration changes.

So talkbase registers that directory itself at ``config-inited``, before the
comparison, and removes the duplicate sphinx-design adds at ``builder-inited`` (after
it, priority 900): the list is the same at both moments of every build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def _sphinx_design_static() -> str | None:
    try:
        from sphinx_design.extension import STATIC_DIR  # noqa: PLC0415 (optional internals)
    except ImportError:  # a sphinx-design without the constant: leave the path alone
        return None
    return str(STATIC_DIR)


def add_early(app: Sphinx, config: Config) -> None:
    """Register sphinx-design's static directory before Sphinx compares configurations (``config-inited``)."""
    path = _sphinx_design_static()
    if path is not None and path not in map(str, config.html_static_path):
        config.html_static_path.append(path)


def drop_duplicates(app: Sphinx) -> None:
    """Remove the copies appended at ``builder-inited`` (after sphinx-design), keeping the first of each."""
    paths = app.config.html_static_path
    seen: set[str] = set()
    unique = []
    for path in paths:
        if str(path) not in seen:
            seen.add(str(path))
            unique.append(path)
    if len(unique) != len(paths):
        paths[:] = unique


def setup(app: Sphinx) -> None:
    app.connect("config-inited", add_early)
    app.connect("builder-inited", drop_duplicates, priority=900)

"""The relations graph: objects and their links, drawn by Sphinx's graphviz extension.

One module per job:

- :mod:`~talkbase.graph.directive` (read): ``kb-graph`` and, with
  ``talkbase_object_graph``, each talk, speaker and term record a ``graph`` query
  and leave a placeholder;
- :mod:`~talkbase.graph.relations` (after reading and at write): the edges derived
  from the index and the part of them one query shows;
- :mod:`~talkbase.graph.filler` (``env-updated`` for a query's problems, write for
  the drawing): the ``graph`` placeholder filler;
- :mod:`~talkbase.graph.dot` (write): the DOT source and the nodes' links;
- :mod:`~talkbase.graph.drawing` (write): the drawing node, with an HTML visitor
  that names the ``<object>`` and styles its SVG.

This module wires them (setup; the filler itself is in the table of
:func:`talkbase.setup`), picks the output format (``config-inited``) and
warns once when ``dot`` is missing (``env-updated``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talkbase.domain import kb_domain
from talkbase.graph import drawing
from talkbase.graph.directive import GraphDirective
from talkbase.graph.filler import DRAWING_FORMATS, dot_found
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: The Sphinx setting the graphs' image format comes from.
OUTPUT_FORMAT = "graphviz_output_format"


def set_by_user(config: Config, name: str) -> bool:
    """Whether ``name`` is set in ``conf.py`` or with ``-D`` (not just Sphinx's default)."""
    # Sphinx keeps the conf.py namespace in ``_raw_config``; it has no public
    # "was this value set" API, and a default "png" is indistinguishable from an explicit one.
    return name in config.overrides or name in getattr(config, "_raw_config", {})


def prefer_svg(app: Sphinx, config: Config) -> None:
    """Draw graphs as vector SVG unless the project chose a format (config-inited).

    Only Sphinx's default ``"png"`` is replaced: a ``graphviz_output_format`` set in
    ``conf.py`` or with ``-D`` is kept (documented in ``docs/reference/listings.md``).
    """
    if not set_by_user(config, OUTPUT_FORMAT):
        config.graphviz_output_format = "svg"


def warn_missing_dot(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """One ``talkbase.graph-unavailable`` warning when graphs are drawn without ``dot`` (env-updated)."""
    if app.builder.format not in DRAWING_FORMATS or dot_found(app.config):
        return []
    domain = kb_domain(env)
    # The kinds first: a rebuild that read nothing makes no document's queries for this.
    drawn = [docname for docname in sorted(domain.docs) if "graph" in domain.docs[docname].query_kinds()]
    if drawn:
        queries = [query for docname in drawn for query in domain.docs[docname].queries if query.kind == "graph"]
        warn(
            Subtype.GRAPH_UNAVAILABLE,
            f"Graphviz's dot command {app.config.graphviz_dot!r} (graphviz_dot) was not found: "
            f"{len(queries)} relations graph(s) are shown as lists of links; "
            "install Graphviz (Debian package 'graphviz') or set graphviz_dot",
            location=(queries[0].docname, queries[0].lineno),
        )
    return []


def setup(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    drawing.setup(app)
    app.add_directive("kb-graph", GraphDirective)
    app.connect("config-inited", prefer_svg)
    app.connect("env-updated", warn_missing_dot)

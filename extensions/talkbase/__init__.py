"""talkbase: conference recaps as a cross-referenced, citable Sphinx knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

#: Bump when the pickled records change shape, so old environments are re-read.
# 2: summaries as text with mentions; 3: listing queries carry the language they sort for;
# 4: speakers' name parts; 5: talkbase's generic nodes (kb_card, kb_badge…) in doctrees;
# 6: typed query parameters (model.ListingParams…) instead of sorted pairs;
# 7: a document's data pickles its docname once (DocData.__reduce__), fingerprints as 16 bytes
# 8: records pickled without trailing defaults, references and queries point at their records
ENV_VERSION = 8


def setup(app: Sphinx) -> dict[str, Any]:
    """Register talkbase's parts; each module's ``setup`` wires its own events."""
    from docutils.nodes import inline  # noqa: PLC0415

    from talkbase import (  # noqa: PLC0415 (keep `import talkbase` cheap)
        asset_tags,
        backlinks,
        cite,
        code_guard,
        collation,
        collector,
        config,
        design_guard,
        directives,
        feed,
        generalindex,
        graph,
        incremental,
        indices,
        latex,
        listings,
        mathjax,
        metadata,
        nodes,
        pagememo,
        placeholders,
        related,
        singlehtml,
        static_paths,
        stems,
        structure,
        tags,
        unresolved,
    )
    from talkbase.cite import block as cite_this  # noqa: PLC0415
    from talkbase.domain import KBDomain, note_reading  # noqa: PLC0415
    from talkbase.graph.filler import GraphFiller  # noqa: PLC0415
    from talkbase.model import ROLE_TYPES  # noqa: PLC0415
    from talkbase.roles import KBXRefRole  # noqa: PLC0415

    app.setup_extension("sphinx_design")
    design_guard.setup(app)  # sphinx-design's whole-page steps only where they have work
    code_guard.setup(app)  # Sphinx's code-block steps only on pages holding code
    static_paths.setup(app)
    app.add_message_catalog("talkbase", str(Path(__file__).parent / "locale"))
    config.setup(app)
    nodes.setup(app)
    directives.setup(app)
    app.add_domain(KBDomain)
    app.connect("env-before-read-docs", note_reading)
    for name in ROLE_TYPES:
        if name != "term":  # the unprefixed {term} is Sphinx's own glossary role
            app.add_role(name, KBXRefRole(innernodeclass=inline, warn_dangling=True))
    # Every kind of query a page can show, with its filler (see talkbase.placeholders).
    placeholders.setup(
        app,
        {
            **related.fillers(),
            "backlinks": backlinks.Backlinks(),
            "listing": listings.Listing(),
            "graph": GraphFiller(),
            "cite-this": cite_this.CiteThis(),
        },
    )
    listings.setup(app)
    unresolved.setup(app)
    incremental.setup(app)
    indices.setup(app)
    collation.setup(app)
    latex.setup(app)
    tags.setup(app)
    graph.setup(app)
    metadata.setup(app)
    cite.setup(app)
    singlehtml.setup(app)
    structure.setup(app)
    feed.setup(app)
    mathjax.setup(app)
    collector.setup(app)
    asset_tags.setup(app)
    pagememo.setup(app)
    stems.setup(app)  # the search index's stemmer memoised for the whole build
    generalindex.setup(app)  # Sphinx's general index computed again only when its entries changed
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

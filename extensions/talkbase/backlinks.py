""" "Referenced by": every place in the project that links to an object.

Each object directive leaves a ``backlinks`` query (when ``talkbase_backlinks``
is on).  When its page is written, the references recorded for the object are
grouped by the object they sit in (the talks of a speaker, the talks a term is
used in) or, outside any object, by page; each entry links to the exact spot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import get_translation

from talkbase import dependencies
from talkbase.placeholders import NoProblems

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils.nodes import Node

    from talkbase.dependencies import Fact
    from talkbase.lookup import KBIndex
    from talkbase.model import BacklinksParams, Query, Record
    from talkbase.placeholders import FillContext

_ = get_translation("talkbase")

#: (docname, spot id) of every place one referrer links from.
Spots = list[tuple[str, str]]


def referrers(index: KBIndex, query: Query[BacklinksParams]) -> list[tuple[Record | None, str, Spots]]:
    """``(referring object or None, docname, spots)`` groups, in document order.

    Computed once per index: after reading for :meth:`Backlinks.shown`, and read
    again when the page is written by :meth:`Backlinks.fill`.
    """
    return index.memo(("backlinks", query), lambda: _referrers(index, query))


def _referrers(index: KBIndex, query: Query[BacklinksParams]) -> list[tuple[Record | None, str, Spots]]:
    target = (query.params.objtype, query.params.id)
    winner = index.get(*target)
    if winner is None or (winner.docname, winner.lineno) != (query.docname, query.lineno):
        return []  # a duplicate definition: its references belong to the one that won
    groups: dict[tuple[str, str], tuple[Record | None, str, Spots]] = {}
    for ref in index.refs_to.get(target, ()):
        source = index.get(*ref.source) if ref.source else None
        if ref.source == target:
            continue  # an object mentioning itself is not a backlink
        key = (source.objtype, source.id) if source else ("page", ref.docname)
        group = groups.setdefault(key, (source, ref.docname, []))
        spot = (ref.docname, ref.node_id)
        if spot not in group[2]:
            group[2].append(spot)
    return list(groups.values())


class Backlinks(NoProblems):
    """The "Referenced by" section of an object."""

    def shown(self, index: KBIndex, query: Query[BacklinksParams]) -> object:
        return tuple(
            (source.shown() if source else index.page_titles.get(docname, docname), tuple(spots))
            for source, docname, spots in referrers(index, query)
        )

    def depends(self, index: KBIndex, query: Query[BacklinksParams]) -> Iterator[Fact]:
        target = (query.params.objtype, query.params.id)
        yield dependencies.obj(*target)
        yield dependencies.relation("refs_to", target)
        for ref in index.refs_to.get(target, ()):
            yield dependencies.shown(*ref.source) if ref.source else dependencies.title(ref.docname)

    def fill(self, context: FillContext, query: Query[BacklinksParams]) -> list[Node]:
        groups = referrers(context.index, query)
        if not groups:
            return []
        items = nodes.bullet_list(classes=["kb-backlinks-list"])
        domain, page_titles = context.domain, context.index.page_titles
        labelled = str(_("%(type)s: %(title)s"))
        for source, docname, spots in groups:
            if source is not None:
                label = labelled % {"type": domain.type_name(source.objtype), "title": source.title}
            else:
                label = page_titles.get(docname, docname)
            para = nodes.paragraph()
            first_doc, first_spot = spots[0]
            para += self._link(context, first_doc, first_spot, label)
            for number, (spot_doc, spot) in enumerate(spots[1:], start=2):
                para += nodes.Text(" ")
                para += self._link(context, spot_doc, spot, f"[{number}]")
            items += nodes.list_item("", para)
        section = nodes.container(classes=["kb-backlinks"])
        heading = str(_("Referenced by"))
        section += nodes.rubric(heading, heading, classes=["kb-backlinks-title"])
        section += items
        return [section]

    @staticmethod
    def _link(context: FillContext, docname: str, spot: str, text: str) -> Node:
        # Sphinx shows the text only where the page is not in this output (an orphan in LaTeX).
        return context.spot_link(docname, spot, context.label(text))

"""Content a page shows about other pages: recorded while reading, filled when writing.

A directive cannot know, while its page is read, the date a talk inherits from
its event, the recommendations attached to a talk from other pages, what links
to an object, or what a listing finds.  It records a :class:`~talkbase.model.Query`
and leaves a :class:`~talkbase.nodes.kb_placeholder`.  Each query kind has a
:class:`Filler` that answers it from the domain's indexes in three ways:

- ``shown(index, query)``: a value that changes exactly when the content would
  (used after reading by :mod:`talkbase.incremental` to rewrite the page), and
  ``depends(index, query)``: the facts of the index ``shown`` reads
  (:mod:`talkbase.dependencies`: when none changed, the page is not fingerprinted again);
- ``fill(context, query)``: the docutils nodes (used when the page is written,
  by the :class:`FillPlaceholders` post-transform, before Sphinx resolves
  references: links to objects are made by the kb domain, at once where the
  builder has a page for every document (Sphinx's HTML builders), else as
  ``pending_xref`` nodes that Sphinx's ``ReferencesResolver`` turns into links,
  or into their text when the output has no page for the target (LaTeX leaves
  orphan pages out), as for any other cross-reference);
- ``problems(check, queries)``: the author's mistakes only visible across pages
  (a listing filter or a graph root naming no object), reported after reading by
  :mod:`talkbase.incremental` on every build, so ``-W`` fails until they are fixed.

The fillers of an application are given to :func:`setup` (one table in
:func:`talkbase.setup`) and handed to the kb domain at ``builder-inited``, before
any document is read, so ``-j`` workers (forked later) have them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform

from talkbase import render
from talkbase.domain import SPOT, KBDomain, kb_domain
from talkbase.model import Query, QueryParams
from talkbase.nodes import kb_object, kb_placeholder

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from talkbase.dependencies import Fact
    from talkbase.lookup import KBIndex
    from talkbase.model import Record
    from talkbase.warnings import Subtype

P_contra = TypeVar("P_contra", bound=QueryParams, contravariant=True)


@dataclass(frozen=True, slots=True)
class FillContext:
    """What a filler may use while a page is written."""

    domain: KBDomain
    builder: Builder
    env: BuildEnvironment
    config: Config
    docname: str
    #: Whether links are made here rather than left to Sphinx (:func:`links_made_here`).
    link_now: bool = False

    @property
    def index(self) -> KBIndex:
        return self.domain.index

    def link(self, record: Record, content: nodes.Element | nodes.Text | None = None) -> Node:
        """A link to ``record`` showing its title (or ``content``).

        The kb domain makes it (:meth:`KBDomain.id_link`, by the exact id): here when
        :attr:`link_now`, else from a ``pending_xref`` that Sphinx resolves, keeping
        the text only where the output has no page for the record (LaTeX leaves
        orphan pages out).  Explicit either way: the content already is the current
        title, so the domain links it as it is instead of making the same text again
        for each link.
        """
        shown = content if content is not None else self.label(record.title)
        if self.link_now:
            made = self._now(self.domain.id_link, record.objtype, record.id, shown)
            if made is not None:
                return made
        return addnodes.pending_xref(
            "", shown, refdomain="kb", reftype=record.objtype, reftarget=record.id, kbid=record.id,
            refdoc=self.docname, refexplicit=True, refwarn=False,
        )  # fmt: skip

    def spot_link(self, docname: str, spot: str, content: nodes.Element | nodes.Text) -> Node:
        """A link to the spot ``spot`` of page ``docname`` (the page when ``""``),
        made by :meth:`KBDomain.spot_link` like :meth:`link`."""
        if self.link_now:
            made = self._now(self.domain.spot_link, docname, spot, content)
            if made is not None:
                return made
        return addnodes.pending_xref(
            "", content, refdomain="kb", reftype=SPOT, reftarget=f"{docname}#{spot}", kbdoc=docname, kbspot=spot,
            refdoc=self.docname, refexplicit=True, refwarn=False,
        )  # fmt: skip

    def label(self, text: str) -> nodes.Text | nodes.inline:
        """The content of a link that shows ``text`` as it is, and nothing more.

        The text alone where :attr:`link_now` (HTML: ``<a …>text</a>``, one node
        less per link for the writer, the search indexer and the garbage collector);
        else an inline, which Sphinx's ``ReferencesResolver`` expects as the content
        of a ``pending_xref`` and which adds nothing to the LaTeX or text output.
        """
        return nodes.Text(text) if self.link_now else render.verbatim(nodes.inline(text, text))

    def links(self, records: Sequence[Record]) -> list[Node]:
        return render.joined([self.link(record) for record in records])

    def _now(
        self, make: Callable[..., nodes.reference | None], *args: str | nodes.Element | nodes.Text
    ) -> nodes.reference | None:
        """``make(builder, page, *args)``; ``None`` where the builder has no URI for the
        target after all (``NoUri``), which then goes to Sphinx as a ``pending_xref``.
        The domain asks the builder for the URI before it puts the content in a link."""
        try:
            return make(self.builder, self.docname, *args)
        except NoUri:
            return None


def links_made_here(builder: Builder) -> bool:
    """Whether the fillers make their links themselves (write phase).

    Sphinx's HTML builders (``html``, ``dirhtml``, ``singlehtml``, ``epub``…) give
    every document a URI (``get_target_uri`` never raises ``NoUri``), so Sphinx's
    ``ReferencesResolver`` would make exactly the link the kb domain makes here,
    after copying each link's content; other builders may leave pages out (LaTeX:
    orphans), and get ``pending_xref`` nodes, whose fate Sphinx decides.
    """
    return isinstance(builder, StandaloneHTMLBuilder)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a filler may use to check its queries after reading (``env-updated``)."""

    index: KBIndex
    builder: Builder
    config: Config


class Problem(NamedTuple):
    """An author's mistake in a query, warned at the query's line."""

    query: Query[QueryParams]
    subtype: Subtype
    message: str


class Filler(Protocol[P_contra]):
    """Answers the queries of one kind, whose parameters are a ``P_contra``."""

    def shown(self, index: KBIndex, query: Query[P_contra]) -> object:
        """What the page shows, compared between builds (after reading)."""
        ...

    def depends(self, index: KBIndex, query: Query[P_contra]) -> Iterable[Fact] | None:
        """The facts of ``index`` that ``shown`` reads (:mod:`talkbase.dependencies`), or
        ``None`` when they cannot be listed: the page is then fingerprinted whenever a
        document's data changed (after reading)."""
        ...

    def fill(self, context: FillContext, query: Query[P_contra]) -> list[Node]:
        """The nodes that replace the placeholder (write phase)."""
        ...

    def problems(self, check: CheckContext, queries: Sequence[Query[P_contra]]) -> Iterable[Problem]:
        """The mistakes in this kind's ``queries`` of the whole project, in document order (after reading)."""
        ...


class NoProblems:
    """The ``problems`` of a filler whose queries come from valid directives only."""

    def problems(self, check: CheckContext, queries: Sequence[Query[Any]]) -> Iterable[Problem]:
        return ()


def placeholder(env: BuildEnvironment, kind: str, lineno: int, params: QueryParams) -> kb_placeholder:
    """Record a query of the current document and return its placeholder (read phase)."""
    docname = env.docname
    query = Query(kind, docname, lineno, params)
    kb_domain(env).doc_data(docname).queries.append(query)
    return kb_placeholder(kind=kind, docname=docname, query=query)


def shown(domain: KBDomain, query: Query[QueryParams]) -> object:
    """What ``query`` shows now (after reading; ``None`` for a kind no filler answers)."""
    filler = domain.fillers.get(query.kind)
    return filler.shown(domain.index, query) if filler else None


def problems(domain: KBDomain, builder: Builder) -> Iterable[Problem]:
    """The mistakes in every query of the project, kind by kind (after reading)."""
    by_kind: dict[str, list[Query[QueryParams]]] = {kind: [] for kind in domain.fillers}
    for docname in sorted(domain.docs):
        for query in domain.docs[docname].queries:
            if query.kind in by_kind:
                by_kind[query.kind].append(query)
    check = CheckContext(domain.index, builder, builder.config)
    for kind, queries in by_kind.items():
        yield from domain.fillers[kind].problems(check, queries)


class FillPlaceholders(SphinxPostTransform):
    """Replace every ``kb_placeholder`` of a page being written (post-transform, every builder).

    Priority 5: before Sphinx's ``ReferencesResolver`` (10), which resolves the
    ``pending_xref`` nodes the fillers make, and before the per-builder
    structure of :mod:`talkbase.structure` and sphinx-design's tabs (200).
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        # The builder as Sphinx's own ReferencesResolver reaches it: transforms have no public handle.
        builder = self.env._app.builder
        fill_placeholders(builder, self.document, self.env.current_document.docname)


def fill_placeholders(builder: Builder, doctree: nodes.document, docname: str) -> None:
    """Fill the placeholders of ``doctree`` (``docname``: the page or master document written)."""
    domain = kb_domain(builder.env)
    # Only a project with duplicate ids has definitions that lost (each object with an id has
    # its record, so one that is not the winner is a duplicate): the others skip this walk.
    for obj in doctree.findall(kb_object) if domain.index.duplicates else ():
        own_doc = obj.get("docname", docname)  # LaTeX, singlehtml: ``docname`` is the master doc
        if obj["kbid"] and not domain.is_winner(obj["objtype"], obj["kbid"], own_doc, obj.line):
            # A duplicate that lost to an earlier definition: links and anchors go there.
            obj["ids"] = []
    from talkbase import direct_html  # noqa: PLC0415 (written pages only: keep setup cheap)

    link_now = links_made_here(builder)
    html_now = link_now and direct_html.writes_directly(builder)
    for node in list(doctree.findall(kb_placeholder)):
        query: Query[QueryParams] = node["query"]
        filler = domain.fillers.get(query.kind)
        context = FillContext(domain, builder, builder.env, builder.config, node["docname"], link_now)
        replacement = filler.fill(context, query) if filler else []
        if replacement and html_now:
            # One node of HTML instead of the filler's tree, where the translator would write the same.
            written = direct_html.written(node, replacement, builder, previews=domain.index.previews)
            replacement = [written] if written is not None else replacement
        if replacement:
            node.replace_self(replacement)
        else:
            node.parent.remove(node)


def setup(app: Sphinx, fillers: Mapping[str, Filler[Any]]) -> None:
    """Answer the query kinds of ``fillers`` in this application's builds."""

    def hand_over(app: Sphinx) -> None:
        kb_domain(app.env).fillers = fillers

    app.connect("builder-inited", hand_over, priority=0)
    app.add_post_transform(FillPlaceholders)

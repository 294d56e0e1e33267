"""The ``kb`` domain: where every knowledge-base object and reference lives.

Its pickled data is keyed by docname (``docs``), so :meth:`clear_doc` drops a
document's entry and :meth:`merge_domaindata` copies a parallel worker's
entries.  Lookups go through :attr:`KBDomain.index`, derived from that data on
first use after any change.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.locale import get_translation

from talkbase.collect import collect_refs
from talkbase.indices import INDICES
from talkbase.lookup import KBIndex, build_index
from talkbase.model import ROLE_TYPES, DocData, Record, Ref
from talkbase.roles import KBXRefRole
from talkbase.summary import resolve_elsewhere
from talkbase.values import slugify

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Set

    from docutils.nodes import Element, Text
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from talkbase.placeholders import Filler

#: The ``pending_xref`` type of a link to a spot of a page (not an object type: no role makes it).
SPOT = "page-spot"

_ = get_translation("talkbase")



class KBDomain(Domain):
    """Events, talks, speakers, recommendations and terms of a knowledge base."""

    name = "kb"
    label = _("Knowledge base")  # search results: "Knowledge base talk"
    object_types = {
        "event": ObjType(_("event"), "event"),
        "talk": ObjType(_("talk"), "talk"),
        "speaker": ObjType(_("speaker"), "speaker"),
        "rec": ObjType(_("recommendation"), "rec"),
        "term": ObjType(_("term"), "term"),
    }
    roles = {name: KBXRefRole(innernodeclass=nodes.inline, warn_dangling=True) for name in ROLE_TYPES}
    # Directives are attached in talkbase.directives.setup(), next to their classes.
    directives: ClassVar[dict[str, Any]] = {}
    indices = INDICES
    initial_data: ClassVar[dict[str, Any]] = {"docs": {}, "fingerprints": {}}
    #: 2: fingerprints by builder.
    data_version = 2

    _index: KBIndex | None = None
    #: The filler of each query kind, given at builder-inited (:func:`talkbase.placeholders.setup`).
    fillers: Mapping[str, Filler[Any]] = MappingProxyType({})
    #: Whether this build read, removed or merged a document (the data may differ from the last build's).
    _changed: bool = False
    #: Whether the pages this build writes show hover previews (:meth:`show_previews`).
    _previews: bool = False
    #: docname -> (its data, its page title) as the last build left them, for every document
    #: purged in this build (:mod:`talkbase.incremental` compares them with what was read).
    _before: dict[str, tuple[DocData | None, str | None]] | None = None
    #: (builder, page being resolved, index, {page linked to: its URI relative to the first}):
    #: kept while one page is resolved, with the data it was asked for (:meth:`_refnode`).
    _uris: tuple[Builder, str, KBIndex, dict[str, str]] | None = None
    #: The process that may fork parallel readers in this build (:func:`note_reading`).
    _readers_forked_from: int | None = None

    # -- pickled data ----------------------------------------------------------------

    @property
    def docs(self) -> dict[str, DocData]:
        return cast("dict[str, DocData]", self.data["docs"])

    @property
    def changed(self) -> bool:
        """Whether any document's data was stored or dropped in this process (read phase and later)."""
        return self._changed

    def doc_data(self, docname: str) -> DocData:
        """The data of ``docname``, to add to (read phase): the one way to change a document's data."""
        if self._readers_forked_from is not None and self._readers_forked_from != os.getpid():
            self._forget_other_documents()
        self._index = None
        self._changed = True
        return self.docs.setdefault(docname, DocData()).touch()

    def _forget_other_documents(self) -> None:
        """Drop every document read before this process was forked (read phase, ``-j``).

        A parallel reader pickles its whole environment back to the main process, which
        copies from it only the documents the reader read (:meth:`merge_domaindata`);
        the others, merged before the fork, would travel for nothing, and the last
        readers start with almost the whole project.  Called on the reader's first store:
        its own documents were purged before the fork, so none of them is among these.
        """
        self._readers_forked_from = None
        self.docs.clear()

    def note_record(self, record: Record) -> None:
        """Store an object (read phase, called by its directive)."""
        self.doc_data(record.docname).objects.append(record)

    def note_refs(self, docname: str, refs: list[Ref]) -> None:
        """Store the references a document makes (read phase)."""
        self.doc_data(docname).refs = refs

    def remember_before_purge(self, docname: str, title: str | None) -> None:
        """Keep a document's data and title as they were before it is purged (``env-purge-doc``)."""
        if self._before is None:
            self._before = {}
        self._before.setdefault(docname, (self.docs.get(docname), title))

    def purged_before(self) -> dict[str, tuple[DocData | None, str | None]]:
        """What :meth:`remember_before_purge` kept in this build."""
        return self._before or {}

    def forget_before(self) -> None:
        self._before = None

    def clear_doc(self, docname: str) -> None:
        self._index = None
        self._changed = True
        # Its fingerprints stay: another builder sharing the environment still has to
        # compare its own output with them (talkbase.incremental.changed_pages).
        self.docs.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self._index = None
        self._changed = True
        for docname in docnames:
            if docname in otherdata["docs"]:
                self.docs[docname] = otherdata["docs"][docname]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        self.note_refs(docname, collect_refs(docname, document))

    def show_previews(self, shown: bool) -> None:
        """Say whether this build's pages show hover previews (``builder-inited``, by the theme).

        Only then do the fingerprints cover what previews show (summaries, photos):
        with another theme or builder, a changed summary rewrites no linking page.
        """
        if shown != self._previews:
            self._previews = shown
            self._index = None

    # -- derived ---------------------------------------------------------------------

    @property
    def index(self) -> KBIndex:
        """Indexes over the whole project, rebuilt after any change to the data."""
        if self._index is None:
            self._index = build_index(
                self.docs, PageTitles(self.env.titles), partial(resolve_elsewhere, self.env), previews=self._previews
            )
        return self._index

    def forget_answers(self) -> None:
        """Drop the answers kept on the derived index, if this build made one
        (``build-finished``, by :mod:`talkbase.collector`): asked for, it is made."""
        if self._index is not None:
            self._index.forget_answers()

    def lookup(self, objtype: str, target: str) -> Record | None:
        """Find an object by the target text of a role or option."""
        return self.index.lookup(objtype, target)

    def is_winner(self, objtype: str, objid: str, docname: str, lineno: int | None) -> bool:
        """Whether the definition at ``docname:lineno`` is the one ``objid`` links to."""
        winner = self.index.get(objtype, objid)
        return winner is not None and (winner.docname, winner.lineno) == (docname, lineno)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        if typ == SPOT:  # a placeholder filler's link to a spot of a page ("Referenced by")
            return self.spot_link(builder, fromdocname, node["kbdoc"], node["kbspot"], contnode)
        if node.get("kbid"):  # made by a placeholder filler: the exact id of the record
            return self.id_link(builder, fromdocname, typ, node["kbid"], contnode)
        record = self.lookup(ROLE_TYPES.get(typ, typ), target)
        if record is None:
            return None
        return self.make_link(builder, fromdocname, record, node, contnode)

    def id_link(
        self, builder: Builder, fromdocname: str, objtype: str, objid: str, content: Element | Text
    ) -> nodes.reference | None:
        """A placeholder filler's link to the object ``objid``, showing ``content`` (write phase).

        What :meth:`resolve_xref` makes of a filler's ``pending_xref``, and what
        :meth:`talkbase.placeholders.FillContext.link` makes at once where the
        builder has a page for every document.  ``NoUri`` from the builder propagates.
        """
        record = self.index.get(objtype, objid)
        if record is None:
            return None
        return self.make_link(builder, fromdocname, record, None, content, explicit=True)

    def spot_link(
        self, builder: Builder, fromdocname: str, docname: str, spot: str, content: Element | Text
    ) -> nodes.reference:
        """A placeholder filler's link to the spot ``spot`` of page ``docname`` (the page
        when ``""``), as :meth:`id_link` for objects."""
        return self._refnode(builder, fromdocname, docname, spot or None, content)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        # The same objects, in the same order, as the references recorded for {any} (collect.py).
        return [
            (f"kb:{record.objtype}", self.make_link(builder, fromdocname, record, node, contnode))
            for record in self.index.lookup_any(target)
        ]

    def make_link(
        self,
        builder: Builder,
        fromdocname: str,
        record: Record,
        node: pending_xref | None,
        contnode: Element | Text | None,
        *,
        explicit: bool = False,
    ) -> nodes.reference:
        """A link to ``record``, showing its title unless the author gave a text."""
        if contnode is not None and (explicit or (node is not None and node.get("refexplicit"))):
            content: Element | Text = contnode
        else:
            classes = list(contnode["classes"]) if isinstance(contnode, nodes.Element) else []
            content = nodes.inline(record.title, record.title, classes=classes)
        tooltip = f"{self.type_name(record.objtype)}: {record.title}"
        link = self._refnode(builder, fromdocname, record.docname, record.anchor, content, tooltip)
        link["classes"] += ["kb-ref", f"kb-ref-{record.objtype}"]
        return link

    def type_name(self, objtype: str) -> str:
        """The translated name of an object type, looked up once per derived index (write phase)."""
        return self.index.memo(("type name", objtype), lambda: str(self.object_types[objtype].lname))

    def _refnode(
        self,
        builder: Builder,
        fromdocname: str,
        todocname: str,
        targetid: str | None,
        child: Element | Text,
        title: str = "",
    ) -> nodes.reference:
        """What :func:`sphinx.util.nodes.make_refnode` makes, with the page's relative URI
        asked of the builder once per pair of pages (a page links many times to the same
        pages: the glossary, a talk's spots).  ``NoUri`` from the builder propagates."""
        if fromdocname == todocname and targetid:
            link = nodes.reference("", "", child, internal=True, refid=targetid)
        else:
            uris = self._uris
            if uris is None or uris[0] is not builder or uris[1] != fromdocname or uris[2] is not self.index:
                uris = self._uris = (builder, fromdocname, self.index, {})
            uri = uris[3].get(todocname)
            if uri is None:
                uri = uris[3][todocname] = builder.get_relative_uri(fromdocname, todocname)
            link = nodes.reference("", "", child, internal=True, refuri=f"{uri}#{targetid}" if targetid else uri)
        if title:
            link["reftitle"] = title
        return link

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        # Sphinx's search page rebuilds an anchor of the form "<type>-<name>" from the
        # *displayed* name (our title), so give it the alias anchor, which it stores whole.
        # Asked for twice per build that writes (search index, inventory): made once per index.
        yield from self.index.memo(
            "objects",
            lambda: [
                (record.id, record.title, record.objtype, record.docname, alias_anchor(record), 1)
                for record in self.index.all_records()
            ],
        )

    def get_full_qualified_name(self, node: Element) -> str | None:
        target = node.get("reftarget")
        return f"kb.{slugify(target)}" if target else None


class PageTitles(Mapping[str, str]):
    """docname -> page title as text, each title's text made when first asked for.

    The titles are those of the moment the mapping is made (an index is made again
    whenever the data change); a rebuild that reads nothing asks for hardly any.
    """

    def __init__(self, titles: Mapping[str, nodes.title]) -> None:
        self._titles = dict(titles)
        self._texts: dict[str, str] = {}

    def __getitem__(self, docname: str) -> str:
        text = self._texts.get(docname)
        if text is None:
            text = self._texts[docname] = self._titles[docname].astext()
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)


def note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Note which process may fork parallel readers in this build (``env-before-read-docs``).

    Only in a reader forked by that process does the domain forget the documents it
    did not read (:meth:`KBDomain._forget_other_documents`): a serial build in a
    process forked after the application was made keeps every document.
    """
    kb_domain(env)._readers_forked_from = os.getpid() if app.parallel > 1 else None


def alias_anchor(record: Record) -> str:
    """The second id of every object (``kb-talk-<id>``), used in the search index and inventory."""
    return f"kb-{record.anchor}"


def kb_domain(env: BuildEnvironment) -> KBDomain:
    return cast("KBDomain", env.domains["kb"])

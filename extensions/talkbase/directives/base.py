"""What every object directive shares: option parsing with typed warnings,
the body, the record, and the node that wraps the object where it is defined.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from talkbase import render
from talkbase.domain import kb_domain
from talkbase.graph.directive import object_graph_placeholder
from talkbase.l10n import N_
from talkbase.model import TYPE_LABELS, BacklinksParams, Record, anchor_for
from talkbase.nodes import kb_object
from talkbase.options import CheckedOptions
from talkbase.placeholders import placeholder
from talkbase.summary import summarize
from talkbase.translation import mark_translatable, translate_title
from talkbase.typography import educate
from talkbase.values import (
    BadValue,
    check_language,
    check_url,
    clean_text,
    object_id,
    parse_date,
    slugify,
    split_list,
)
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Node

_ = get_translation("talkbase")

#: The ``:cite:`` option, for the directives whose objects cite sources (see ``cite_field``).
CITE_OPTION: dict[str, Callable[[str], Any]] = {"cite": directives.unchanged}
#: A key sphinxcontrib-bibtex can parse in a citation (``{cite:p}`a,b```).
_BIB_KEY = re.compile(r"[^{}\s,]+")
#: Each object's general-index entry, one level as Sphinx's Python domain writes
#: ``name (class in module)``: one line per object, not a title line with a type line under it
#: (half the entries of ``genindex.html``, which Sphinx writes again on every build).
#: Whole phrases, so that a translation can place or inflect the type; translated when used.
INDEX_ENTRIES: dict[str, str] = {
    "event": N_("%s (event)"),
    "talk": N_("%s (talk)"),
    "speaker": N_("%s (speaker)"),
    "rec": N_("%s (recommendation)"),
    "term": N_("%s (term)"),
}


class ObjectDirective(CheckedOptions, SphinxDirective):
    """Base of ``event``, ``talk``, ``speaker``, ``recommendation`` and ``term`` (read phase)."""

    objtype: ClassVar[str]
    # The title is required, but checked by ``run`` so that a missing one is a typed warning.
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"id": directives.unchanged}
    required_options: ClassVar[tuple[str, ...]] = ()

    @property
    def type_label(self) -> str:
        """Shown before the title ("Talk", "Speaker"…)."""
        return str(TYPE_LABELS[self.objtype])

    def run(self) -> list[Node]:
        self.check_options()
        title = " ".join(clean_text(self.arguments[0] if self.arguments else "").split())
        explicit_id = self.options.get("id")
        objid = object_id(title, explicit_id)
        if not title:
            shown = f"its id {objid!r} is shown as its title" if objid else "it is shown but cannot be linked"
            self.warn(Subtype.EMPTY_TITLE, f"{self.name} has no title; {shown}")
            title = objid
        # The id comes from the title as written; the record shows its translation (docs/i18n.md),
        # with the quotes Sphinx gives the page's own text (talkbase.typography).
        translated = translate_title(self.env, title)
        self.source_title, self.title_translated = title, translated != title
        title = educate(self.config, translated, self.state.document.settings)
        for name in self.required_options:
            if name not in self.options:  # present but empty: check_options said so
                self.warn(Subtype.MISSING_OPTION, f"{self.name} {title!r} has no :{name}: option")
        # The docname: LaTeX and singlehtml write every page into one doctree.
        node = kb_object(objtype=self.objtype, kbid="", docname=self.env.docname)
        self.set_source_info(node)
        fields = self.parse_options()
        body = self.parse_body(objid)
        record = self.make_record(
            # node.line: self.lineno is one off inside grid table cells; fill_placeholders compares them.
            id=objid, title=title, docname=self.env.docname, lineno=node.line or self.lineno,
            summary=summarize(self.config, self.state.document.settings, body), **fields,
        )
        result: list[Node] = [node]
        if not objid:
            if title:  # else the missing title was reported
                what = f":id: {explicit_id!r}" if explicit_id is not None else f"title {title!r}"
                self.warn(Subtype.EMPTY_ID, f"{self.name} {what} gives an empty id; it is shown but cannot be linked")
        else:
            anchor = anchor_for(self.objtype, objid)
            node["kbid"] = objid
            for node_id in (anchor, f"kb-{anchor}"):  # see domain.alias_anchor
                if node_id not in self.state.document.ids:
                    node["ids"].append(node_id)
                    self.state.document.ids[node_id] = node
            kb_domain(self.env).note_record(record)
            self.registered(record, anchor)
            result.insert(0, self.index_node(record, anchor))
        parts = self.render(record, body)
        node.extend(parts)
        own = render.made_here(parts, body)
        source, line = self.get_source_info()
        render.locate(own, source, line)
        mark_translatable(own, source, line, "" if self.title_translated else self.source_title)
        if language := self.text_language(record):
            node["lang"] = language
        graph = object_graph_placeholder(self.env, self.objtype, objid, self.lineno) if objid else None
        extras = self.extras_parent(node)
        if graph is not None:
            extras += graph
        if objid and self.config.talkbase_backlinks:
            extras += placeholder(self.env, "backlinks", self.lineno, BacklinksParams(self.objtype, objid))
        return result

    def extras_parent(self, node: kb_object) -> nodes.Element:
        """Where the object's graph and "Referenced by" go (read phase): in the object."""
        return node

    # -- to be provided by each object type --------------------------------------------

    def parse_options(self) -> dict[str, Any]:
        """Check and convert the options into record fields (warning on mistakes)."""
        return {}

    def make_record(self, **fields: Any) -> Record:
        raise NotImplementedError

    def render(self, record: Record, body: nodes.Element) -> list[Node]:
        raise NotImplementedError

    def text_language(self, record: Record) -> str:
        """The language of the object's text when it is not the page's (HTML ``lang``), else ``""``."""
        return ""

    def registered(self, record: Record, anchor: str) -> None:
        """Called once the object is stored in the domain (read phase)."""

    def parse_body(self, objid: str) -> nodes.Element:
        body = nodes.container(classes=["kb-body"])
        self.state.nested_parse(self.content, self.content_offset, body)
        return body

    # -- helpers -------------------------------------------------------------------------

    def warn(self, subtype: Subtype, message: str) -> None:
        warn(subtype, message, location=self.get_location())

    def text_option(self, name: str) -> str:
        return " ".join(clean_text(self.options.get(name) or "").split())

    def url_option(self, name: str) -> str:
        value = self.options.get(name)
        if value is None:
            return ""
        try:
            return check_url(clean_text(value))
        except BadValue as exc:
            self.warn(Subtype.BAD_URL, f":{name}: {exc}; no link is made")
            return ""

    def date_option(self, name: str) -> str:
        value = self.options.get(name)
        if value is None or not value.strip():
            return ""
        try:
            return parse_date(value).isoformat()
        except BadValue as exc:
            self.warn(Subtype.BAD_DATE, f":{name}: {exc}")
            return ""

    def language_option(self, name: str) -> str:
        value = self.options.get(name)
        if value is None or not value.strip():
            return ""
        try:
            return check_language(value)
        except BadValue as exc:
            self.warn(Subtype.BAD_LANGUAGE, f":{name}: {exc}")
            return ""

    def list_option(self, name: str) -> list[str]:
        items, had_empty = split_list(clean_text(self.options.get(name) or ""))
        if had_empty and self.options.get(name, "").strip():
            self.warn(Subtype.BAD_VALUE, f":{name}: {self.options[name]!r} has an empty item; it is ignored")
        return [" ".join(item.split()) for item in items]

    def ids_option(self, name: str) -> list[str]:
        ids = []
        for item in self.list_option(name):
            objid = slugify(item)
            if not objid:
                self.warn(Subtype.EMPTY_ID, f":{name}: {item!r} is not a usable id")
            elif objid not in ids:
                ids.append(objid)
        return ids

    def xref(self, objtype: str, target: str, via: str) -> addnodes.pending_xref:
        """A link to another object from an option, resolved like a role."""
        xref = addnodes.pending_xref(
            "",
            nodes.inline(target, target, classes=["xref", "kb", f"kb-{objtype}"]),
            refdoc=self.env.docname,
            refdomain="kb",
            reftype=objtype,
            reftarget=target,
            refexplicit=False,
            refwarn=True,
            kb_via=via,
        )
        self.set_source_info(xref)
        return xref

    def cite_field(self) -> nodes.field | None:
        """The ``:cite:`` option as a "Sources" field (read phase; term, recommendation, talk).

        The keys go through sphinxcontrib-bibtex's own ``cite:p`` role, so they are
        cited exactly like ``{cite:p}`` in the text: resolved to the entry's label,
        listed by ``{bibliography}``, warned about (``bibtex.key_not_found``) if unknown.
        """
        if not (self.options.get("cite") or "").strip():
            return None
        keys: list[str] = []
        for key in self.list_option("cite"):
            if not _BIB_KEY.fullmatch(key):
                self.warn(Subtype.BAD_VALUE, f":cite: {key!r} is not a BibTeX key; it is ignored")
            elif key not in keys:
                keys.append(key)
        if not keys:
            return None
        if "cite" not in self.env.domains:
            self.warn(Subtype.NO_BIBTEX, ":cite: needs the extension sphinxcontrib.bibtex; the sources are not shown")
            return None
        role = self.env.domains["cite"].role("p")
        assert role is not None
        text = ",".join(keys)
        cited, messages = role("cite:p", f"{{cite:p}}`{text}`", text, self.lineno, self.state.inliner, {}, [])
        return render.field(_("Sources"), *cited, *messages, name="cite")

    def index_node(self, record: Record, anchor: str) -> addnodes.index:
        """The object's entry in the general index (read phase): "Title (talk)", see ``INDEX_ENTRIES``."""
        # A title's own ";" makes Sphinx show it over two levels, as it did before; the words stay.
        entry = _(INDEX_ENTRIES[self.objtype]) % record.title
        return addnodes.index(entries=[("single", entry, anchor, "", None)])

"""The "Cite this" block of every talk.

Read phase: the ``talk`` directive calls :func:`cite_this_placeholder`, which records
a ``cite-this`` query.  After reading, :class:`CiteThis.shown` is the talk's citation
record, so a page is rewritten when a speaker's name, the event, the date… change.
Write phase: :class:`CiteThis.fill` makes a :class:`~talkbase.nodes.kb_cite`
holding a rubric, the APA reference, and the machine formats (BibTeX, RIS,
CSL-JSON, each a :class:`~talkbase.nodes.kb_cite_format`: a captioned literal
block and a link to the export of all talks in that format), then links to the
exports.  The machine formats are only made for web builders (the filler knows
the builder, so no later transform has to remove them): LaTeX, text, man and
Texinfo show the formatted reference only.  The HTML post-transform of
:mod:`talkbase.structure` shows the reference and each format as sphinx-design
tabs, the formats as plain escaped text (not highlighted); ``talkbase-cite.js``
adds the copy buttons in the browser.

In ``html`` and ``dirhtml`` builds the filler leaves a :class:`kb_cite_later`
instead, holding the citation record and its texts, and the HTML translator makes
the same content and tabs when it writes the page (:func:`visit_later_html`).
Sphinx resolves every page in its main process and translates them in ``-j 2``
workers: the block, left out of the search index (the only other use of a page
in the main process), costs the main process the texts the exports share only.

:mod:`~talkbase.cite.record` and :mod:`~talkbase.cite.formats` (their dataclasses and
regular expressions) are imported where a citation is first made, not with this module:
a build that writes no talk page (a no-op rebuild) does not pay for them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util.osutil import relative_uri

from talkbase import dependencies
from talkbase.model import ObjectParams, Talk
from talkbase.nodes import _as, kb_cite, kb_cite_format
from talkbase.placeholders import NoProblems, placeholder
from talkbase.singlehtml import one_page_per_document, page_uri
from talkbase.structure import cite_tabs

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

    from talkbase.cite.record import Citation
    from talkbase.dependencies import Fact
    from talkbase.lookup import KBIndex
    from talkbase.model import Query
    from talkbase.nodes import kb_placeholder
    from talkbase.placeholders import FillContext

_ = get_translation("talkbase")

STATIC_DIR = Path(__file__).parent.parent / "static"

#: The export files, relative to the output directory (see :mod:`talkbase.cite.exports`).
EXPORT_DIR = "_kb"
EXPORTS = (("BibTeX", "talks.bib"), ("RIS", "talks.ris"), ("CSL-JSON", "talks.csl.json"), ("kb.json", "kb.json"))
EXPORT_FILES = dict(EXPORTS)


def cite_this_placeholder(env: BuildEnvironment, talk_id: str, lineno: int) -> kb_placeholder:
    """The "Cite this" block of talk ``talk_id`` (read phase, from the ``talk`` directive)."""
    return placeholder(env, "cite-this", lineno, ObjectParams(talk_id))


def is_web_builder(builder: Builder) -> bool:
    """HTML output with a site around it (not EPUB): copy buttons and exports make sense."""
    return builder.format == "html" and builder.name != "epub"


def talk_citation(builder: Builder, config: Config, index: KBIndex, talk: Talk) -> Citation:
    """The citation of a talk with its canonical URL (write phase and exports)."""
    from talkbase.cite.record import citation_for  # noqa: PLC0415 (a citation's first use: keep setup cheap)

    base_url = getattr(config, "html_baseurl", "") or ""
    return citation_for(index, talk, base_url, page_uri(builder, talk.docname))


class CiteThis(NoProblems):
    """Filler of the ``cite-this`` query (see :mod:`talkbase.placeholders`)."""

    def _talk(self, index: KBIndex, query: Query[ObjectParams]) -> Talk | None:
        talk = index.get("talk", query.params.id)
        # A talk that lost to an earlier one with the same id is not citable.
        return talk if isinstance(talk, Talk) and talk.docname == query.docname else None

    def shown(self, index: KBIndex, query: Query[ObjectParams]) -> object:
        from talkbase.cite.record import citation_for  # noqa: PLC0415 (a citation's first use: keep setup cheap)

        talk = self._talk(index, query)
        # The URL depends only on the talk's own page and html_baseurl (a full rebuild).
        return citation_for(index, talk, "", "") if talk else None

    def depends(self, index: KBIndex, query: Query[ObjectParams]) -> Iterator[Fact]:
        yield dependencies.obj("talk", query.params.id)
        talk = self._talk(index, query)
        if talk is not None:  # what citation_for reads
            yield from (dependencies.obj("speaker", speaker) for speaker in talk.speakers)
            yield dependencies.obj("event", talk.event)
            yield from dependencies.summary(talk)

    def fill(self, context: FillContext, query: Query[ObjectParams]) -> list[Node]:
        talk = self._talk(context.index, query)
        if talk is None:
            return []
        builder = context.builder
        citation = talk_citation(builder, context.config, context.index, talk)
        # ``talk``: the HTML tabs' ids (:mod:`talkbase.structure`), unique in a site as the talk is.
        # Everything the reference says (title, speakers, event, date) is on the talk's card
        # already; indexing it again, with the labels and formats, only costs build time.
        attributes: dict[str, Any] = {"classes": ["kb-cite", "no-search"], "talk": talk.id}
        if not is_web_builder(builder):
            return [fill_block(kb_cite(**attributes), builder, citation, None, "")]
        # The texts the exports share (memoised on the record, see talkbase.cite.formats),
        # made here, in the process that writes the exports when the build ends.
        from talkbase.cite import formats  # noqa: PLC0415 (a citation's first use: keep setup cheap)

        texts = (formats.bibtex(citation), formats.ris(citation), _json(formats.csl_json(citation)))
        page = builder.get_target_uri(context.docname)
        if writes_later(builder):
            return [kb_cite_later(**attributes, citation=citation, texts=texts, page=page)]
        return [fill_block(kb_cite(**attributes), builder, citation, texts, page)]


def writes_later(builder: Builder) -> bool:
    """Whether the block's content is made by the HTML translator (write phase).

    Sphinx's ``html`` and ``dirhtml`` builders (and others writing a page per document
    with its HTML translator: ``json``, ``pickle``) resolve every page in the main
    process and translate it in ``-j`` workers: the block, left out of the search
    index (the only other thing done to a page in the main process), is made where
    it is written.  ``singlehtml`` rewrites the links of its one page after resolving
    them (:mod:`talkbase.singlehtml`), so it gets the block then, as other builders do.
    """
    return one_page_per_document(builder)


def fill_block(
    block: kb_cite, builder: Builder, citation: Citation, texts: tuple[str, str, str] | None, page: str
) -> kb_cite:
    """Give ``block`` its content: a rubric, the APA reference, and, with ``texts``
    (the BibTeX, RIS and CSL-JSON of web builders), the formats and the export links
    of ``page``."""
    from talkbase.cite import formats  # noqa: PLC0415 (a citation's first use: keep setup cheap)

    heading = str(_("Cite this"))
    block += nodes.rubric(heading, heading, classes=["kb-cite-heading"])
    reference = nodes.paragraph(classes=["kb-cite-reference"])
    reference.extend(formats.apa(citation, builder.config.language))
    block += reference
    if texts is None:
        return block
    block.extend(
        _format_block(block["talk"], name, label, language, text, export_uri(page, label))
        for (name, label, language), text in zip(FORMATS, texts, strict=True)
    )
    block += _export_links(page)
    return block


class kb_cite_later(kb_cite):  # noqa: N801 (docutils naming)
    """The "Cite this" block of a page whose HTML translator makes its content (:func:`writes_later`).

    Holds what the content is made from: ``citation`` (the record), ``texts`` (its
    BibTeX, RIS and CSL-JSON) and ``page`` (the page's URI, for the export links).
    """


def visit_later_html(self: HTML5Translator, node: kb_cite_later) -> None:
    """Make the block's content, then write it as the block would have been written
    had it been made when the page was resolved (a worker's write phase under ``-j``).

    The content and the steps that would have followed are those of the other web
    builders: the nodes of :func:`fill_block`, given their tabs by
    :func:`talkbase.structure.cite_tabs` (the only later step with work in them).
    """
    if not node.children:  # a page written twice (an extension's second writer) gets it once
        fill_block(node, self.builder, node["citation"], node["texts"], node["page"])
        cite_tabs(node, self.builder)
    from talkbase import direct_html  # noqa: PLC0415 (written pages only: keep setup cheap)

    # Written at once where the translator would write the same (not searched: no-search).
    html = direct_html.written_by(self, node)
    if html is not None:
        self.body.append(html)
        raise nodes.SkipNode
    self.visit_container(node)


def depart_later_html(self: HTML5Translator, node: kb_cite_later) -> None:
    self.depart_container(node)


#: The machine formats of web builders: name, label, language of the code block.
FORMATS = (("bibtex", "BibTeX", "bibtex"), ("ris", "RIS", "text"), ("csl-json", "CSL-JSON", "json"))


def export_uri(page: str, label: str) -> str:
    """The export of every talk in format ``label``, relative to ``page``."""
    return relative_uri(page, f"{EXPORT_DIR}/{EXPORT_FILES[label]}")


def _json(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True)


def _format_block(talk_id: str, name: str, label: str, language: str, text: str, export: str) -> kb_cite_format:
    """A captioned literal block, the structure Sphinx's ``code-block :caption:`` makes
    (with an id, which HTML writers require of a captioned code block), then the
    link to the export of every talk in this format."""
    block = kb_cite_format(format=name, label=label, classes=["kb-cite-format-item"])
    # BibTeX, RIS and JSON are not words a reader searches for: keep them out of the index.
    wrapper = nodes.container(
        literal_block=True,
        ids=[f"cite-{name}-{talk_id}"],
        classes=["literal-block-wrapper", "kb-cite-format", f"kb-cite-{name}", "no-search"],
    )
    wrapper += nodes.caption(label, label)
    code = text.rstrip("\n")
    wrapper += nodes.literal_block(code, code, language=language, classes=[f"kb-cite-{name}-code"])
    block += wrapper
    download = str(_("Download all talks (%(format)s)")) % {"format": label}
    block += nodes.paragraph(
        "", "", nodes.reference(download, download, refuri=export, classes=["kb-cite-download"]),
        classes=["kb-cite-download-line"],
    )  # fmt: skip
    return block


def _export_links(page: str) -> nodes.paragraph:
    label = str(_("All talks:"))
    para = nodes.paragraph(classes=["kb-cite-exports", "no-search"])
    para += nodes.Text(label + " ")
    links = [
        nodes.reference(text, text, refuri=export_uri(page, text), classes=["kb-export"]) for text, _file in EXPORTS
    ]
    for position, link in enumerate(links):
        if position:
            para += nodes.Text(" · ")
        para += link
    return para


def add_static_path(app: Sphinx, config: Config) -> None:
    """Make the script and style findable (``config-inited``).

    Done before Sphinx compares the configuration with the pickled one: appended
    later (``builder-inited``), the path would differ from the pickled value in
    every build and make Sphinx rewrite every page.
    """
    if str(STATIC_DIR) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC_DIR))


def add_static_files(app: Sphinx) -> None:
    """Add the copy-button script and style (``builder-inited``, HTML builders only)."""
    if not is_web_builder(app.builder):
        return
    app.add_css_file("talkbase-cite.css")
    labels = {
        "data-kb-copy": str(_("Copy")),
        "data-kb-copied": str(_("Copied")),
        "data-kb-copy-failed": str(_("Copy failed")),
    }
    # mypy reads the attributes as the ``priority`` argument; they are HTML attributes.
    app.add_js_file("talkbase-cite.js", loading_method="defer", **labels)  # type: ignore[arg-type]


def setup(app: Sphinx) -> None:
    # Made for ``html`` and ``dirhtml`` only; other writers write it as the container it is.
    container = _as("container")
    app.add_node(
        kb_cite_later,
        html=(visit_later_html, depart_later_html),
        latex=container,
        text=container,
        man=container,
        texinfo=container,
    )
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", add_static_files)

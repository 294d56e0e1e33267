"""Links in the ``singlehtml`` builder's one page: each must reach something on it.

``singlehtml`` puts every document into ``index.html`` and writes no other page:
no domain indices, no ``genindex``, no tag pages, no search page.  Sphinx 9
gives a link to an object of another document the URI
``#document-<docname>#<id>`` (``make_refnode`` joins the page URI, itself a
fragment there, with the object's id), which a browser reads as the one id
``document-<docname>#<id>``, found nowhere; and ids numbered per document
(``kbref-0``, Sphinx's ``id1``) occur once per document in the one page.

:func:`fix_links` runs when the assembled page is resolved (``doctree-resolved``,
after talkbase's placeholders are filled, so it sees every link) and makes each
link land:

- an id that several documents use keeps its name in the first of them and is
  renamed ``document-<docname>-<id>`` in the others; links are renamed with it;
- ``#document-<docname>#<id>`` becomes ``#<id>`` (or the renamed id), or the
  document's own start when the id is not in it;
- a link to a page the builder does not write (``{ref}`kb-talkindex```,
  ``{ref}`genindex```) becomes its text.

:func:`one_page_per_document` tells the other HTML builders from this one (whether
there are index pages to link, whether a page is resolved on its own);
:func:`page_uri` is the page an object is on, for URLs that leave the output
(canonical URLs in citations, metadata and ``kb.json``).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

_OTHER_DOCUMENT = re.compile(r"#document-(?P<docname>[^#]+)#(?P<id>.+)")


def one_page_per_document(builder: Builder | type[Builder]) -> bool:
    """Whether ``builder`` (or a builder class) is an HTML builder writing a page per
    document and per index (``genindex``, ``kb-talkindex``…), each document's doctree
    resolved on its own: every one but singlehtml, which assembles them into one page."""
    cls = builder if isinstance(builder, type) else type(builder)
    return issubclass(cls, StandaloneHTMLBuilder) and not issubclass(cls, SingleFileHTMLBuilder)


def page_uri(builder: Builder, docname: str) -> str:
    """The page ``docname`` is on in the HTML output, relative to the site root (write phase).

    ``builder.get_target_uri``, except in singlehtml, where that is a fragment
    (``#document-…``) and every document is on the root page; a builder that
    writes no HTML (LaTeX, text…) gets the page the ``html`` builder writes
    (:func:`html_page`), as citations and exports name the web page of a talk.
    """
    if builder.format != "html":
        return html_page(builder.config, docname)
    if isinstance(builder, SingleFileHTMLBuilder):
        return f"{builder.config.root_doc}{builder.out_suffix}"
    return builder.get_target_uri(docname)


def html_page(config: Config, docname: str) -> str:
    """The page the ``html`` builder writes for ``docname``, whichever builder runs.

    For what every builder shares (the ``.bib`` file sphinxcontrib-bibtex reads).
    """
    return docname + (config.html_file_suffix or ".html")


def _walk(
    node: nodes.Node,
    docname: str,
    owners: dict[str, dict[str, nodes.Element]],
    links: list[tuple[str, nodes.reference]],
) -> None:
    """Record which document each id and each link of the assembled page belongs to."""
    if isinstance(node, addnodes.start_of_file):
        docname = node["docname"]
    if isinstance(node, nodes.Element):
        for node_id in node["ids"]:
            owners[node_id].setdefault(docname, node)
        if isinstance(node, nodes.reference):
            links.append((docname, node))
        for child in node.children:
            _walk(child, docname, owners, links)


def _rename_duplicates(owners: dict[str, dict[str, nodes.Element]]) -> dict[tuple[str, str], str]:
    """Give every id used by several documents one name per document; ``(docname, id) -> new id``."""
    renamed = {}
    for node_id, by_doc in owners.items():
        for docname, element in list(by_doc.items())[1:]:
            new = f"document-{docname}-{node_id}"
            element["ids"] = [new if each == node_id else each for each in element["ids"]]
            renamed[docname, node_id] = new
    return renamed


def _unwritten_page(builder: Builder, uri: str) -> bool:
    """Whether ``uri`` names a page of this output that ``singlehtml`` does not write."""
    suffix = str(getattr(builder, "out_suffix", ".html"))
    path = uri.partition("#")[0]
    if not path or "/" in path or not path.endswith(suffix) or "://" in path:
        return False
    written = {builder.config.root_doc, *builder.config.html_additional_pages}
    return path.removesuffix(suffix) not in written


def fix_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make every link of the single page land on it (``doctree-resolved``, singlehtml only)."""
    builder = app.builder
    if not isinstance(builder, SingleFileHTMLBuilder):
        return
    owners: dict[str, dict[str, nodes.Element]] = defaultdict(dict)
    links: list[tuple[str, nodes.reference]] = []
    _walk(doctree, docname, owners, links)
    renamed = _rename_duplicates(owners)
    for source, link in links:
        if "refid" in link:
            link["refid"] = renamed.get((source, link["refid"]), link["refid"])
            continue
        uri = str(link.get("refuri", ""))
        if match := _OTHER_DOCUMENT.fullmatch(uri):
            target, target_id = match["docname"], match["id"]
            if target in owners.get(target_id, {}):
                link["refuri"] = "#" + renamed.get((target, target_id), target_id)
            elif target_id in owners:
                link["refuri"] = "#" + target_id
            else:
                link["refuri"] = f"#document-{target}"
        elif link.get("internal") and _unwritten_page(builder, uri):
            link.replace_self(link.children)


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object) -> None:
    """Only pages this builder writes are "there" for templates (``html-page-context``).

    Sphinx's ``hasdoc`` says yes to ``genindex`` and ``search`` in singlehtml too,
    so the basic layout would link ``genindex.html`` and ``search.html``; and its
    canonical URL (``pageurl``) ends in the page's ``#document-…`` fragment.
    """
    builder = app.builder
    if isinstance(builder, SingleFileHTMLBuilder):
        context["hasdoc"] = lambda name: name in app.env.all_docs
        if context.get("pageurl"):
            context["pageurl"] = posixpath.join(builder.config.html_baseurl, page_uri(builder, pagename))


def setup(app: Sphinx) -> None:
    # After the placeholders (400) and the other talkbase handlers, which make links.
    app.connect("doctree-resolved", fix_links, priority=900)
    app.connect("html-page-context", page_context)

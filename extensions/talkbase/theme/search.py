"""Search with Pagefind: an index in small fragments, filtered by the knowledge base.

Sphinx's ``searchindex.js`` is one file the search page loads whole, and its
results fetch every matching page for a snippet, so a query's download grows
with the project.  Pagefind (the ``pagefind`` package, whose wheel ships the
binary) indexes the written HTML into fragments the search page fetches by
need.  What runs when:

* **html-page-context** (every page written with the talkbase theme): the
  article of each page with a doctree is marked ``data-pagefind-body``, so
  only main content is indexed (never the navigation, nor generated pages such
  as the general index or the search page), and ``<meta>`` elements in the head
  give Pagefind the page's filters (:data:`FILTERS`) and its title and type;
  the search page's template gets the mode and the translated labels.
* **doctree-resolved** (each page written by ``html``/``dirhtml``): each speaker
  with talks gets a link "Search within this speaker's talks", the search
  page with that speaker's and the talk type's filters preselected.
* **build-finished**: the Pagefind binary indexes the output directory into
  ``pagefind/`` (``html`` and ``dirhtml`` builders only), unless no page was
  written since it last did; its filter index is then put in a stable order
  (:mod:`talkbase.theme.pagefind_stable`).

``talkbase_search`` chooses: ``"auto"`` (the default) uses Pagefind when it is
installed, ``"pagefind"`` also warns (``talkbase.search``) when it is not, and
``"sphinx"`` keeps Sphinx's own search.  Opened from ``file://``, the search
page cannot load Pagefind's fragments and uses Sphinx's index instead, which
every HTML build still writes (``static/talkbase-search.js``).
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import get_translation
from sphinx.util import logging

from talkbase.l10n import N_
from talkbase.theme import uses_theme
from talkbase.theme.pagefind_stable import stabilize

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

    from talkbase.lookup import KBIndex
    from talkbase.model import Record

_ = get_translation("talkbase")
logger = logging.getLogger(__name__)

#: Builders whose output Pagefind indexes: one web page per document.
BUILDERS = frozenset({"html", "dirhtml"})
#: Where the bundle goes, relative to the output directory.
BUNDLE = "pagefind"
#: The filters every indexed page may carry, with their labels on the search page.
FILTERS = {
    "type": N_("Type"),
    "event": N_("Event"),
    "speaker": N_("Speaker"),
    "tag": N_("Tag"),
    "language": N_("Language"),
    "year": N_("Year"),
}
#: Parts of the main content that are not the page's words: the "¶" of each heading, what
#: Sphinx's own search leaves out too (``no-search``), "Cite this" (the talk's title, speakers
#: and event again, and its machine-readable formats) and the speakers' "Search within" links.
EXCLUDED = ("a.headerlink", ".no-search", ".kb-cite", ".kb-search-within")


def pagefind_executable() -> Path | None:
    """The Pagefind binary of the installed ``pagefind[bin]`` wheel, if any."""
    try:
        from pagefind_bin import get_executable  # noqa: PLC0415 (optional at import time)
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def search_mode(app: Sphinx) -> str:
    """``"pagefind"`` when this build indexes with Pagefind, else ``"sphinx"`` (any phase)."""
    choice = getattr(app.config, "talkbase_search", "auto")
    if choice == "sphinx" or app.builder.name not in BUILDERS or not _builder_uses_theme(app):
        return "sphinx"
    return "pagefind" if pagefind_executable() is not None else "sphinx"


def _builder_uses_theme(app: Sphinx) -> bool:
    theme = getattr(app.builder, "theme", None)
    return theme is not None and "kb_sidebar" in theme.get_options({})


# -- page data ------------------------------------------------------------------------------


def type_labels() -> dict[str, str]:
    """Object type -> its label in the project's language (the directives' own)."""
    from talkbase.model import TYPE_LABELS  # noqa: PLC0415 (the theme works without the extension)

    return {objtype: str(label) for objtype, label in TYPE_LABELS.items()}


def record_filters(
    index: KBIndex, record: Record, labels: dict[str, str], language: str | None
) -> list[tuple[str, str]]:
    """The (filter, value) pairs one knowledge-base object gives the page defining it."""
    from talkbase.l10n import language_name  # noqa: PLC0415
    from talkbase.model import Event, Recommendation, Speaker, Talk  # noqa: PLC0415

    found = [("type", labels.get(record.objtype, record.objtype))]
    if isinstance(record, Talk):
        event = index.get("event", record.event) if record.event else None
        found += [("event", event.title)] if event is not None else []
        for speaker_id in record.speakers:
            speaker = index.get("speaker", speaker_id)
            found += [("speaker", speaker.title)] if speaker is not None else []
        found += [("tag", tag) for tag in record.tags]
        found += [("language", language_name(record.language, language))] if record.language else []
        date = index.talk_date(record)
        found += [("year", date[:4])] if date[:4].isdigit() else []
    elif isinstance(record, Event):
        found.append(("event", record.title))
        found += [("year", record.date[:4])] if record.date[:4].isdigit() else []
    elif isinstance(record, Speaker):
        found.append(("speaker", record.title))
    elif isinstance(record, Recommendation):
        found += [("tag", tag) for tag in record.tags]
    return found


def page_tags(app: Sphinx, pagename: str, title: str) -> str:
    """The ``<meta>`` elements giving Pagefind the page's title, type and filters."""
    tags = [("meta", "title", title)] if title else []
    if "kb" in app.env.domains:
        from talkbase.domain import kb_domain  # noqa: PLC0415
        from talkbase.metadata import page_records  # noqa: PLC0415

        records = page_records(app, pagename)
        if records:
            index, labels = kb_domain(app.env).index, type_labels()
            tags.append(("meta", "type", labels.get(records[0].objtype, records[0].objtype)))
            seen: set[tuple[str, str]] = set()
            for record in records:
                for pair in record_filters(index, record, labels, app.config.language):
                    if pair[1] and pair not in seen:
                        seen.add(pair)
                        tags.append(("filter", *pair))
    return "".join(
        f'<meta data-pagefind-{kind}="{name}[content]" content="{html.escape(value, quote=True)}" />\n'
        for kind, name, value in tags
    )


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Mark the indexed content, add its filters, give the search page its data (write phase)."""
    if not uses_theme(context):
        return
    mode = search_mode(app)
    context["talkbase_search"] = mode
    if mode != "pagefind":
        return
    if doctree is not None:
        context["talkbase_search_body"] = True
        title = _strip_tags(str(context.get("title") or ""))
        context["metatags"] = context.get("metatags", "") + page_tags(app, pagename, title)
    if pagename == "search":
        context["talkbase_search_data"] = search_page_data(context)


def _strip_tags(text: str) -> str:
    """Page titles in the context are HTML (Sphinx's ``title``): the text only, unescaped."""
    from markupsafe import Markup  # noqa: PLC0415

    return Markup(text).striptags()


def search_page_data(context: dict[str, Any]) -> str:
    """The search page's configuration for its script, as JSON in a ``data-`` attribute."""
    pathto = context["pathto"]
    data = {
        "pagefind": pathto(f"{BUNDLE}/pagefind.js", 1),
        "root": pathto("", 1),
        "filters": {name: _(label) for name, label in FILTERS.items()},
        "labels": {
            "one": str(_("1 result")),
            # "{count}" is replaced by the script: keep it in the translation.
            "many": str(_("{count} results")),
            "none": str(_("No results.")),
            "more": str(_("Show more results")),
            "clear": str(_("Clear filters")),
            "filters": str(_("Filter the results")),
            "offline": str(_("Search without a server uses a simpler index: no snippets and no filters.")),
        },
    }
    return json.dumps(data, ensure_ascii=False)


# -- the speaker's link ---------------------------------------------------------------------


def add_speaker_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add "Search within this speaker's talks" to each speaker with talks (doctree-resolved, HTML)."""
    if "kb" not in app.env.domains or search_mode(app) != "pagefind":
        return
    from talkbase.domain import kb_domain  # noqa: PLC0415
    from talkbase.nodes import kb_object  # noqa: PLC0415

    index = kb_domain(app.env).index
    talk_label = type_labels()["talk"]
    for node in doctree.findall(kb_object):
        speaker = index.get("speaker", node["kbid"]) if node["objtype"] == "speaker" else None
        if speaker is None or not index.talks_by_speaker.get(speaker.id):
            continue
        query = urlencode({"speaker": speaker.title, "type": talk_label})
        uri = f"{app.builder.get_relative_uri(docname, 'search')}?{query}"
        text = str(_("Search within this speaker's talks"))
        paragraph = nodes.paragraph(classes=["kb-search-within"])
        paragraph += nodes.reference(text, text, refuri=uri, internal=True)
        node.append(paragraph)


# -- the index ------------------------------------------------------------------------------


def index_outdated(pages: Iterable[Path], bundle: Path) -> bool:
    """Whether one of the documents' ``pages`` was written since Pagefind last indexed them, so a
    no-op rebuild does not pay for indexing (Pagefind indexes every page each time it runs, so
    the result is a clean build's).  Generated pages (search, indices), which Sphinx writes on
    every build, are not indexed and not looked at."""
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        return True
    indexed = entry.stat().st_mtime_ns
    return any(not page.is_file() or page.stat().st_mtime_ns >= indexed for page in pages)


def pagefind_command(executable: Path, outdir: Path, *, keep_index_url: bool) -> list[str]:
    """The command line that indexes ``outdir`` into ``outdir/pagefind``."""
    command = [str(executable), "--site", str(outdir), "--output-subdir", BUNDLE, "--quiet"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    if keep_index_url:
        command.append("--keep-index-url")  # Sphinx's own links keep "index.html" (html builder)
    return command


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """Index the written HTML with Pagefind (build-finished, html/dirhtml with the theme)."""
    if exception is not None or search_mode(app) != "pagefind":
        return
    bundle = app.outdir / BUNDLE
    builder = app.builder
    assert isinstance(builder, StandaloneHTMLBuilder)  # html or dirhtml: search_mode checked it
    pages = (Path(builder.get_outfilename(docname)) for docname in sorted(app.env.found_docs))
    if not index_outdated(pages, bundle):
        return
    executable = pagefind_executable()
    assert executable is not None  # search_mode checked it
    # Pagefind names its files by content hash: start afresh so no old fragment lingers.
    shutil.rmtree(bundle, ignore_errors=True)
    logger.info("indexing the pages for search with Pagefind")
    command = pagefind_command(executable, app.outdir, keep_index_url=builder.name == "html")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or "error" in result.stderr.lower():
        from talkbase.warnings import Subtype, warn  # noqa: PLC0415

        detail = (result.stderr or result.stdout).strip().splitlines()
        warn(
            Subtype.SEARCH,
            f"Pagefind could not index the site: {detail[-1] if detail else result.returncode}",
            location=None,
        )
        return
    # Two clean builds give the same bytes (Pagefind orders its filter index at random).
    stabilize(bundle)


def check_choice(app: Sphinx) -> None:
    """Warn when Pagefind was asked for and is not installed (builder-inited)."""
    choice = getattr(app.config, "talkbase_search", "auto")
    if choice == "pagefind" and app.builder.name in BUILDERS and pagefind_executable() is None:
        from talkbase.warnings import Subtype, warn  # noqa: PLC0415

        warn(
            Subtype.SEARCH,
            "talkbase_search = 'pagefind' but the pagefind[bin] package is not installed; Sphinx's search is used",
            location=None,
        )


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", page_context)
    app.connect("builder-inited", check_choice)
    app.connect("build-finished", build_index)
    app.connect("doctree-resolved", add_speaker_links)

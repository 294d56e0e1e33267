"""Page metadata: citation meta tags, OpenGraph and schema.org JSON-LD.

Runs when each page is written (``html-page-context``), for the ``html`` and
``dirhtml`` builders only, from the records the page defines (the winners of
their ids, in source order) and the project index.  Everything is appended to
``context["metatags"]``, which every Sphinx theme puts in ``<head>``.

Which page gets what:

* **Objects of a page** are the knowledge-base objects defined on it; a page
  defining none gets nothing.  Its **main object** is the one defined first in
  the source (so a talk comes before the recommendations nested in it).
* **Site tags** on every page: ``og:site_name`` (``project``) and ``og:locale``
  (``language`` as ``ll_TT``, :func:`og_locale`).
* **OpenGraph** on every page defining objects: ``og:type`` is always
  ``website`` (any other value would be read by Zotero as an item type),
  ``og:title`` and ``og:description`` are the main object's title and summary,
  ``og:url`` the page's canonical URL when ``html_baseurl`` is set.
* **Citation tags** only on a page defining **exactly one talk**: reference
  managers import one item per page, and a page with several talks has no
  single item to import (its talks are still in its JSON-LD).  The tags come
  from the talk's citation record (:func:`talkbase.cite.record.citation_for`):

  ==============================  ==============================================
  tag                             value
  ==============================  ==============================================
  ``eprints.type``                ``conference_item``
  ``eprints.ispublished``         ``unpub``
  ``eprints.title``               talk title
  ``eprints.creators_name``       one per speaker, ``Family, Given`` (a suffix
                                  after the given names: ``King, Martin Luther
                                  Jr.``); a one-field name as written followed by
                                  a comma (see :func:`creator_name`)
  ``eprints.event_title``         title of the talk's event
  ``eprints.event_location``      ``:place:`` of the talk's event
  ``eprints.event_type``          ``conference``
  ``eprints.date``                talk date (its own, else its event's), ISO
  ``citation_title``              talk title
  ``citation_publication_date``   talk date as ``YYYY/MM/DD``
  ``citation_language``           talk ``:language:``
  ``citation_keywords``           one per ``:tags:`` entry
  ``citation_abstract``           talk summary (first paragraph)
  ``DC.title``                    talk title
  ``DC.date``                     talk date, ISO
  ``DC.language``                 talk ``:language:``
  ==============================  ==============================================

  Zotero's "Embedded Metadata" translator makes a *presentation* of this, with
  the speakers as *presenters*.  Never emitted: ``citation_author`` (Zotero
  turns presenters into authors), ``citation_conference_title`` (it turns the
  item into a conference paper), ``DC.creator`` (only ever read as an author).
* **JSON-LD**: one ``@graph`` per page defining objects, one node per object:
  talk and event are schema.org ``Event`` (a talk's event is its
  ``superEvent``, an event lists its talks as ``subEvent``), a speaker a
  ``Person``, a term a ``DefinedTerm`` in the ``DefinedTermSet`` of its page,
  a recommendation a ``CreativeWork``.  Nodes about other pages' objects hold
  only what this page shows of them, so the incremental fingerprints
  (:mod:`talkbase.incremental`) keep the metadata as fresh as the page.

Escaping: attribute values with :func:`html.escape`; JSON with ``<``, ``>``,
``&``, U+2028 and U+2029 as ``\\uXXXX`` escapes so no text can end the
``<script>`` element.
"""

from __future__ import annotations

import functools
import html
import json
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from talkbase.domain import kb_domain
from talkbase.model import Event, Recommendation, Record, Speaker, Talk, Term
from talkbase.singlehtml import page_uri

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from talkbase.cite import Citation, Person
    from talkbase.lookup import KBIndex

#: Builders that get metadata: the ones publishing one web page per document.
BUILDERS = frozenset({"html", "dirhtml"})

#: (attribute, name, value) of one ``<meta>`` element.
Meta = tuple[str, str, str]
JSON = dict[str, Any]

#: What :func:`script_json` replaces; no replacement holds a character replaced after it.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


class PageLinks:
    """URLs of objects as seen from the page being written."""

    def __init__(self, builder: Builder, pagename: str, base_url: str) -> None:
        self.builder = builder
        self.pagename = pagename
        self.base_url = base_url.rstrip("/")

    def page_uri(self, docname: str) -> str:
        return page_uri(self.builder, docname)

    def page_url(self) -> str:
        """The page's canonical absolute URL, or "" without ``html_baseurl``."""
        return f"{self.base_url}/{self.page_uri(self.pagename)}" if self.base_url else ""

    def url_of(self, record: Record) -> str:
        """Absolute with ``html_baseurl``, else relative to this page."""
        if self.base_url:
            return f"{self.base_url}/{self.page_uri(record.docname)}#{record.anchor}"
        if record.docname == self.pagename:  # what ``get_relative_uri`` gives from a page to itself
            return f"#{record.anchor}"
        return f"{self.builder.get_relative_uri(self.pagename, record.docname)}#{record.anchor}"


# -- meta tags -----------------------------------------------------------------------------


def creator_name(person: Person) -> str:
    """A speaker in ``eprints.creators_name``, as Zotero's Embedded Metadata translator reads it.

    The translator (through Zotero's ``cleanAuthor``) splits a value with a comma into
    ``lastName, firstName`` at the comma, and one without at its last space
    ("Auteur du compte rendu (non" / "nommé)").  It strips trailing commas *after*
    deciding to split at a comma, so ``"Collectif Médias (anonyme),"`` comes through
    whole as the last name.  A suffix stays with the given names (``King, Martin
    Luther Jr.``): a second comma would make it the first name.
    """
    if not person.family:
        return f"{person.literal},"
    given = " ".join(part for part in (person.given, person.suffix) if part)
    return f"{person.family}, {given}" if given else f"{person.family},"


def citation_tags(citation: Citation) -> list[Meta]:
    """The tags reference managers read, for a page about one talk."""
    tags: list[Meta] = [
        ("name", "eprints.type", "conference_item"),
        ("name", "eprints.ispublished", "unpub"),
        ("name", "eprints.title", citation.title),
    ]
    tags += [("name", "eprints.creators_name", creator_name(person)) for person in citation.authors]
    tags += [
        ("name", "eprints.event_title", citation.event),
        ("name", "eprints.event_location", citation.place),
        ("name", "eprints.event_type", "conference"),
        ("name", "eprints.date", citation.date),
        ("name", "citation_title", citation.title),
        ("name", "citation_publication_date", citation.date.replace("-", "/")),
        ("name", "citation_language", citation.language),
    ]
    tags += [("name", "citation_keywords", keyword) for keyword in citation.keywords]
    tags += [
        ("name", "citation_abstract", citation.abstract),
        ("name", "DC.title", citation.title),
        ("name", "DC.date", citation.date),
        ("name", "DC.language", citation.language),
    ]
    return tags


def opengraph_tags(main: Record, summary: str, page_url: str) -> list[Meta]:
    return [
        ("property", "og:type", "website"),
        ("property", "og:title", main.title),
        ("property", "og:description", summary),
        ("property", "og:url", page_url),
    ]


@functools.lru_cache(maxsize=8)
def og_locale(language: str | None) -> str:
    """``og:locale`` of a language code: ``fr`` -> ``fr_FR``, ``en`` -> ``en_US``, ``pt-BR`` -> ``pt_BR``."""
    try:
        locale = Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return ""
    if not locale.territory:
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
        return f"{locale.language}_{territory}" if territory.isalpha() and territory.isupper() else locale.language
    return f"{locale.language}_{locale.territory}"


def site_tags(project: str, language: str | None) -> list[Meta]:
    """The tags of every page: the site's name and language."""
    return [("property", "og:site_name", project), ("property", "og:locale", og_locale(language))]


@functools.lru_cache(maxsize=8)
def site_html(project: str, language: str | None) -> str:
    """The ``<meta>`` elements of :func:`site_tags`, made once per build rather than once per page."""
    return meta_html(site_tags(project, language))


def meta_html(tags: list[Meta]) -> str:
    """``<meta>`` elements, skipping empty values."""
    return "".join(
        f'<meta {attr}="{html.escape(name, quote=True)}" content="{html.escape(value, quote=True)}" />\n'
        for attr, name, value in tags
        if value
    )


# -- JSON-LD -------------------------------------------------------------------------------


def script_json(data: object, *, sort_keys: bool = False) -> str:
    """JSON that is inert inside ``<script>``: no ``<``, ``>``, ``&`` or line separators.

    The JSON-LD here and the theme's link previews (``theme/previews.py``) are written with it.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":"))
    # str.replace per character, not str.translate: translate looks every character up in a
    # dict, and this runs on every page written.
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


def compact(node: JSON) -> JSON:
    """Drop empty values, so absent fields are absent rather than ``""``."""
    return {key: value for key, value in node.items() if value not in ("", None, [], {})}


def absolute(url: str) -> str:
    """Only absolute web URLs make sense outside the page (sameAs, image)."""
    return url if url.startswith(("https://", "http://")) else ""


def place(event: Event) -> JSON | None:
    return {"@type": "Place", "name": event.place} if event.place else None


class GraphBuilder:
    """The schema.org nodes of one page's objects (write phase)."""

    def __init__(self, index: KBIndex, links: PageLinks, page_title: str) -> None:
        self.index = index
        self.links = links
        self.page_title = page_title

    def node(self, record: Record) -> JSON | None:
        if isinstance(record, Talk):
            return self.talk(record)
        if isinstance(record, Event):
            return self.event(record)
        if isinstance(record, Speaker):
            return self.speaker(record)
        if isinstance(record, Term):
            return self.term(record)
        if isinstance(record, Recommendation):
            return self.recommendation(record)
        return None

    def ref(self, record: Record, objtype: str, **fields: Any) -> JSON:
        url = self.links.url_of(record)
        return compact({"@type": objtype, "@id": url, "name": record.title, "url": url, **fields})

    def talk(self, talk: Talk) -> JSON:
        performers = []
        for speaker_id in talk.speakers:
            speaker = self.index.get("speaker", speaker_id)
            if isinstance(speaker, Speaker):
                performers.append(self.ref(speaker, "Person"))
            else:
                performers.append({"@type": "Person", "name": speaker_id})
        event = self.index.get("event", talk.event) if talk.event else None
        super_event = None
        if isinstance(event, Event):
            super_event = self.ref(event, "Event", startDate=event.date, endDate=event.end, location=place(event))
        media = [
            {"@type": "PresentationDigitalDocument", "url": talk.slides} if absolute(talk.slides) else None,
            {"@type": "VideoObject", "url": talk.video} if absolute(talk.video) else None,
        ]
        return self.ref(
            talk,
            "Event",
            startDate=self.index.talk_date(talk),
            inLanguage=talk.language,
            description=self.index.summary(talk),
            keywords=list(talk.tags),
            performer=performers,
            superEvent=super_event,
            location=place(event) if isinstance(event, Event) else None,
            subjectOf=[item for item in media if item],
        )

    def event(self, event: Event) -> JSON:
        talks = [
            self.ref(talk, "Event", startDate=self.index.talk_date(talk))
            for talk in self.index.talks_by_event.get(event.id, [])
        ]
        return self.ref(
            event,
            "Event",
            startDate=event.date,
            endDate=event.end,
            location=place(event),
            description=self.index.summary(event),
            sameAs=absolute(event.url),
            subEvent=talks,
        )

    def speaker(self, speaker: Speaker) -> JSON:
        orcid = f"https://orcid.org/{speaker.orcid}" if speaker.orcid else ""
        same_as = [url for url in (absolute(speaker.url), orcid) if url]
        return self.ref(
            speaker,
            "Person",
            description=self.index.summary(speaker),
            affiliation={"@type": "Organization", "name": speaker.affiliation} if speaker.affiliation else None,
            sameAs=same_as,
            image=absolute(speaker.photo),
        )

    def term(self, term: Term) -> JSON:
        names = (text for _lang, text in term.translations)
        alternate = [name for name in dict.fromkeys((*names, *term.aliases)) if name != term.title]
        term_set = compact({"@type": "DefinedTermSet", "@id": self.links.page_url(), "name": self.page_title})
        return self.ref(
            term,
            "DefinedTerm",
            inLanguage=term.lang,
            alternateName=alternate,
            description=self.index.summary(term),
            inDefinedTermSet=term_set,
        )

    def recommendation(self, rec: Recommendation) -> JSON:
        talk = self.index.get("talk", rec.talk) if rec.talk else None
        return self.ref(
            rec,
            "CreativeWork",
            description=self.index.summary(rec),
            keywords=list(rec.tags),
            isBasedOn=self.links.url_of(talk) if talk is not None else None,
        )


# -- the hook ------------------------------------------------------------------------------


def page_records(app: Sphinx, pagename: str) -> list[Record]:
    """The objects ``pagename`` defines and owns (not duplicate losers), in source order."""
    domain = kb_domain(app.env)
    data = domain.docs.get(pagename)
    if data is None:
        return []
    index = domain.index
    records = [record for record in data.objects if index.get(record.objtype, record.id) is record]
    return sorted(records, key=lambda record: record.lineno)


def page_metadata(app: Sphinx, pagename: str) -> str:
    """The ``<meta>`` and JSON-LD ``<script>`` elements of one page ("" if it defines nothing)."""
    records = page_records(app, pagename)
    if not records:
        return ""
    index = kb_domain(app.env).index
    links = PageLinks(app.builder, pagename, app.config.html_baseurl or "")
    tags = opengraph_tags(records[0], index.summary(records[0]), links.page_url())
    talks = [record for record in records if isinstance(record, Talk)]
    if len(talks) == 1:
        from talkbase.cite.record import citation_for  # noqa: PLC0415 (a citation's first use: keep setup cheap)

        talk = talks[0]
        tags += citation_tags(citation_for(index, talk, links.base_url, links.page_uri(talk.docname)))
    page_title = index.page_titles.get(pagename, "")
    graph = GraphBuilder(index, links, page_title)
    graph_nodes = [node for node in map(graph.node, records) if node]
    data = {"@context": "https://schema.org", "@graph": graph_nodes}
    script = f'<script type="application/ld+json">{script_json(data)}</script>\n'
    return meta_html(tags) + script


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Append the page's metadata to ``metatags`` (write phase, HTML builders)."""
    if doctree is None or app.builder.name not in BUILDERS:
        return
    metadata = site_html(app.config.project, app.config.language) + page_metadata(app, pagename)
    context["metatags"] = context.get("metatags", "") + metadata


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", on_html_page_context)

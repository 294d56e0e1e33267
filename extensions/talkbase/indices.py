"""The ``kb`` domain's indices: talks by event, speakers A–Z, terms A–Z in every language.

Sphinx builds them when writing starts (HTML: ``kb-talkindex.html`` and so on;
LaTeX: at the end of the PDF), from :attr:`KBDomain.index
<talkbase.domain.KBDomain.index>`, so they are rebuilt on every build that
writes anything and always show the whole project.  ``Domain.setup`` gives each
index the standard label ``kb-<name>``, so ``{ref}`kb-termindex``` links to it.
Titles are lazy translations, read when a page is written, so they follow the
project's ``language``.  Any theme draws the HTML pages with its
``domainindex.html``; :func:`page_context` gives the talkbase theme's (which
designs them, see docs/theme.md) what the index lists and an id per heading.

This module imports nothing from :mod:`talkbase.domain` (it reads the domain
through :class:`HasIndex`), so the domain can list :data:`INDICES` in its class body.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, Protocol, cast

from docutils import nodes
from markupsafe import escape
from sphinx.domains import Index, IndexEntry
from sphinx.locale import get_translation, get_translator

from talkbase import collation, indexcache
from talkbase.l10n import format_date
from talkbase.model import Event, Speaker, Talk, Term
from talkbase.singlehtml import one_page_per_document
from talkbase.translation import other_language
from talkbase.values import fold, slugify

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

    from talkbase.lookup import KBIndex

_ = get_translation("talkbase")

#: An index's groups: ``[(group heading, entries)]``.
Groups = list[tuple[str, list[IndexEntry]]]
#: What ``generate`` returns: the groups and "collapse".
Content = tuple[Groups, bool]


def ngettext(singular: str, plural: str, count: int) -> str:
    """The plural form of a talkbase message for ``count`` (write phase)."""
    return get_translator("talkbase").ngettext(singular, plural, count)


def alphabetical(entries: Iterable[tuple[str, IndexEntry]], language: str | None) -> Groups:
    """Group ``(name, entry)`` pairs A–Z by :mod:`talkbase.collation` (write phase)."""
    return collation.alphabetical([(text, entry.anchor, entry) for text, entry in entries], language)


class HasIndex(Protocol):
    """The ``kb`` domain as the indices see it: its derived index."""

    @property
    def index(self) -> KBIndex: ...


class KBIndexBase(Index):
    """What the three indices share: the derived index, the ``docnames`` filter and the
    content kept from the last build (:mod:`talkbase.indexcache`)."""

    @property
    def kb(self) -> KBIndex:
        return cast("HasIndex", self.domain).index

    def generate(self, docnames: Iterable[str] | None = None) -> Content:
        env = self.domain.env
        language = env.config.language
        wanted = sorted(docnames) if docnames is not None else None
        key = indexcache.digest(self.name, self.inputs(), wanted, language)
        return cast("Content", indexcache.cached(env.doctreedir, self.name, key, lambda: self.make(wanted)))

    def inputs(self) -> object:
        """Every field of the records :meth:`make` reads (the key of the kept content)."""
        raise NotImplementedError

    def make(self, docnames: Iterable[str] | None) -> Content:
        """The index's groups, computed (write phase)."""
        raise NotImplementedError

    @staticmethod
    def wanted(docname: str, docnames: Iterable[str] | None) -> bool:
        return docnames is None or docname in docnames


class TalkIndex(KBIndexBase):
    """Talks grouped by event (events by date, then title; talks without one last),
    each group by date, then title (write phase)."""

    name = "talkindex"
    localname = _("Talk Index")
    shortname = _("talks")

    def inputs(self) -> object:
        index = self.kb
        names = index.objects["speaker"]
        events = [(e.id, e.title, e.date) for e in index.objects["event"].values() if isinstance(e, Event)]
        talks = [
            # A speaker is shown by name, or by id when no speaker has it.
            (t.id, t.title, t.docname, t.event, t.date, [(s, getattr(names.get(s), "title", None)) for s in t.speakers])
            for t in index.objects["talk"].values()
            if isinstance(t, Talk)
        ]
        return events, talks

    def make(self, docnames: Iterable[str] | None) -> Content:
        index = self.kb
        wanted = set(docnames) if docnames is not None else None
        language = self.domain.env.config.language
        by_event: dict[str, list[Talk]] = defaultdict(list)
        for talk in index.objects["talk"].values():
            if isinstance(talk, Talk) and self.wanted(talk.docname, wanted):
                event = index.get("event", talk.event)
                by_event[event.id if isinstance(event, Event) else ""].append(talk)
        events = [e for e in index.objects["event"].values() if isinstance(e, Event) and e.id in by_event]
        events.sort(key=lambda e: (not e.date, e.date, collation.sort_key(e.title, language), e.id))
        titles = Counter(fold(e.title) for e in events)
        content = []
        for event in events:
            # Two events of one title ("Meetup") are told apart by their date or id.
            heading = event.title
            if titles[fold(event.title)] > 1:
                heading = f"{event.title} ({event.date or event.id})"
            content.append((heading, self.entries(by_event[event.id], language)))
        if by_event.get(""):
            content.append((str(_("No event")), self.entries(by_event[""], language)))
        return content, False

    def entries(self, talks: list[Talk], language: str | None) -> list[IndexEntry]:
        index = self.kb
        dated = sorted(
            ((index.talk_date(talk), talk) for talk in talks),
            key=lambda item: (not item[0], item[0], collation.sort_key(item[1].title, language), item[1].id),
        )
        result = []
        for date, talk in dated:
            speakers = [index.get("speaker", s) for s in talk.speakers]
            names = ", ".join(s.title if s is not None else sid for s, sid in zip(speakers, talk.speakers, strict=True))
            extra = format_date(date, language) if date else ""
            result.append(IndexEntry(talk.title, 0, talk.docname, talk.anchor, extra, "", names))
        return result


class SpeakerIndex(KBIndexBase):
    """Speakers A–Z by name, with how many talks each gave (write phase)."""

    name = "speakerindex"
    localname = _("Speaker Index")
    shortname = _("speakers")

    def inputs(self) -> object:
        index = self.kb
        return [
            (s.id, s.title, s.docname, s.affiliation, len(index.talks_by_speaker.get(s.id, [])))
            for s in index.objects["speaker"].values()
            if isinstance(s, Speaker)
        ]

    def make(self, docnames: Iterable[str] | None) -> Content:
        index = self.kb
        wanted = set(docnames) if docnames is not None else None
        entries = []
        for speaker in index.objects["speaker"].values():
            if not isinstance(speaker, Speaker) or not self.wanted(speaker.docname, wanted):
                continue
            count = len(index.talks_by_speaker.get(speaker.id, []))
            extra = ngettext("%(count)d talk", "%(count)d talks", count) % {"count": count}
            entry = IndexEntry(speaker.title, 0, speaker.docname, speaker.anchor, extra, "", speaker.affiliation)
            entries.append((speaker.title, entry))
        return alphabetical(entries, self.domain.env.config.language), False


class TermIndex(KBIndexBase):
    """Terms A–Z over every language (write phase).

    The term, each of its translations and each alias is an entry of its own,
    all pointing to the term; a translation's extra reads ``en → proxémie``, an
    alias's ``→ proxémie``, the term's own its language.
    """

    name = "termindex"
    localname = _("Term Index")
    shortname = _("terms")

    def inputs(self) -> object:
        return [
            (t.id, t.title, t.docname, t.lang, t.translations, t.aliases)
            for t in self.kb.objects["term"].values()
            if isinstance(t, Term)
        ]

    def make(self, docnames: Iterable[str] | None) -> Content:
        index = self.kb
        wanted = set(docnames) if docnames is not None else None
        entries = []
        for term in index.objects["term"].values():
            if isinstance(term, Term) and self.wanted(term.docname, wanted):
                entries.extend(self.names(term))
        return alphabetical(entries, self.domain.env.config.language), False

    @staticmethod
    def language(term: Term, text: str) -> str:
        """The language of ``text``, one of ``term``'s names; ``""`` for an alias (not known)."""
        if fold(text) == fold(term.title):
            return term.lang
        return next((lang for lang, name in term.translations if fold(name) == fold(text)), "")

    @staticmethod
    def names(term: Term) -> list[tuple[str, IndexEntry]]:
        def entry(text: str, extra: str) -> tuple[str, IndexEntry]:
            return text, IndexEntry(text, 0, term.docname, term.anchor, extra, "", "")

        seen = {fold(term.title)}
        result = [entry(term.title, term.lang)]
        named = [
            (text, f"{lang} → {term.title}" if lang != "und" else f"→ {term.title}")
            for lang, text in term.translations
        ]
        named += [(alias, f"→ {term.title}") for alias in term.aliases]
        for text, extra in named:
            if fold(text) not in seen:
                seen.add(fold(text))
                result.append(entry(text, extra))
        return result


#: The ``indices`` of :class:`~talkbase.domain.KBDomain`.
INDICES: list[type[Index]] = [TalkIndex, SpeakerIndex, TermIndex]

#: The page of each index and what it lists (the class the theme styles it by).
_PAGES = {f"kb-{index.name}": index.name.removesuffix("index") for index in INDICES}


def group_ids(headings: Iterable[str]) -> list[str]:
    """Unique ``id`` attributes for an index page's group headings (HTML write phase).

    A letter keeps Sphinx's own ``cap-A``; an event title or "Other scripts"
    becomes its slug (``cap-autumn-meetup-friends``), or its position when it
    has no ASCII letter, so every heading is a valid fragment the letter
    navigation can link to.
    """
    result: list[str] = []
    seen: set[str] = set()
    for position, heading in enumerate(headings, start=1):
        text = str(heading)
        letter = len(text) == 1 and text.isascii() and text.isalnum()
        base = "cap-" + (text if letter else slugify(text) or str(position))
        ident, suffix = base, 2
        while ident in seen:
            ident, suffix = f"{base}-{suffix}", suffix + 1
        seen.add(ident)
        result.append(ident)
    return result


def term_languages(index: KBIndex, content: Groups, language: str | None) -> list[list[str]]:
    """The ``lang`` of each name of the term index, ``""`` when it is the page's (HTML write phase).

    So that a screen reader reads ``proxemics`` as English on a French page.
    Entries point to their term by its anchor, ``term-<id>``.
    """
    result = []
    for _heading, entries in content:
        languages = []
        for entry in entries:
            term = index.get("term", entry.anchor.removeprefix("term-"))
            code = TermIndex.language(term, entry.name) if isinstance(term, Term) else ""
            languages.append(other_language(code, language))
        result.append(languages)
    return result


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Prepare a kb index page's context for ``domainindex.html`` (HTML write phase).

    Sphinx's own template prints a group heading unescaped, while LaTeX escapes
    it itself, so the index returns plain text and the HTML page gets it as
    escaped ``Markup`` (which a template that does escape leaves alone).  A theme
    that designs the page (talkbase's) also gets what the index lists
    (``talkbase_index_kind``: ``talk``, ``speaker`` or ``term``), an ``id``
    for each heading (``talkbase_index_ids``) and, for terms, the language of
    each name (``talkbase_index_langs``); other themes ignore them.
    """
    if pagename in _PAGES and templatename == "domainindex.html" and "content" in context:
        content = context["content"]
        context["talkbase_index_ids"] = group_ids(heading for heading, _entries in content)
        context["talkbase_index_kind"] = _PAGES[pagename]
        if pagename == f"kb-{TermIndex.name}":
            index = cast("HasIndex", app.env.domains["kb"]).index
            context["talkbase_index_langs"] = term_languages(index, content, app.config.language)
        context["content"] = [(escape(heading), entries) for heading, entries in content]


def unlink_unwritten(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Links to an index this HTML output does not write show their text (``doctree-resolved``).

    Sphinx labels every index (``{ref}`kb-talkindex```) whether or not
    ``html_domain_indices`` lets the builder write its page; singlehtml, which
    writes none, is handled with its other links in :mod:`talkbase.singlehtml`.
    """
    builder = app.builder
    if not one_page_per_document(builder):
        return
    written = {name for name, *_rest in getattr(builder, "domain_indices", [])}
    missing = {builder.get_relative_uri(docname, page) for page in _PAGES.keys() - written}
    if not missing:
        return
    for link in list(doctree.findall(nodes.reference)):
        if link.get("internal") and str(link.get("refuri", "")).partition("#")[0] in missing:
            link.replace_self(link.children)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", page_context)
    app.connect("doctree-resolved", unlink_unwritten, priority=900)

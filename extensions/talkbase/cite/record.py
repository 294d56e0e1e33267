"""The citation record of a talk: the one source of every citation format.

Built from the knowledge-base index when a page or an export is written (never
pickled); :mod:`talkbase.cite.formats` turns it into APA, BibTeX, RIS and
CSL-JSON, and the page metadata is built from it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from talkbase.model import Event, Speaker

if TYPE_CHECKING:
    from talkbase.index import KBIndex
    from talkbase.model import Talk

#: Lower-case particles kept with the family name ("Anne-Sophie de La Tour" -> "de La Tour").
PARTICLES = frozenset(
    {"de", "van", "von", "le", "la", "du", "des", "der", "den", "da", "di", "del", "della", "dos", "ten", "ter", "d'"}
)

#: Text that makes a name something other than one person's name ("Collectif (Paris)", "A & B").
_NOT_PERSONAL = re.compile(r"[()\[\]{}<>&@/\\|+=*#%$\d]|\b(?:and|et|und)\b|https?:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Person:
    """One speaker of a talk; ``given``/``family`` are empty when the name is not split."""

    given: str
    family: str
    #: The speaker's name as written.
    literal: str


@dataclass(frozen=True, slots=True)
class Citation:
    """Everything a citation of one talk says, format-independent."""

    #: The talk id (the BibTeX key).
    key: str
    title: str
    #: The talk's speakers, in order.
    authors: tuple[Person, ...]
    #: ISO ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``), or "".
    date: str
    #: The event's title, or "".
    event: str
    place: str
    #: The canonical absolute URL when ``html_baseurl`` is set, else "".
    url: str
    #: The talk's language code, or "".
    language: str
    keywords: tuple[str, ...]
    #: The talk's summary.
    abstract: str


def split_name(name: str) -> Person:
    """Split a speaker's name into given and family names.

    ``"Stéphane Hugon"`` -> given ``Stéphane``, family ``Hugon``; ``"Hugon, Stéphane"``
    is read the same way; particles (``de``, ``van``, ``von``, ``le``, ``la``, ``du``…)
    stay with the family name.  A single word, or text that is not one person's name
    (parentheses, digits, ``&``…), is kept whole as ``literal`` only.
    """
    literal = " ".join(name.split())
    if not literal or _NOT_PERSONAL.search(literal):
        return Person("", "", literal)
    if "," in literal:
        parts = [part.strip() for part in literal.split(",")]
        if len(parts) != 2 or not all(parts):
            return Person("", "", literal)
        family, given = parts
        return Person(given, family, literal)
    words = literal.split(" ")
    if len(words) < 2 or words[0].lower() in PARTICLES:
        return Person("", "", literal)
    start = len(words) - 1
    for position in range(1, len(words) - 1):
        if words[position].lower() in PARTICLES:
            start = position
            break
    return Person(" ".join(words[:start]), " ".join(words[start:]), literal)


def talk_url(base_url: str, page_uri: str, anchor: str) -> str:
    """The canonical URL of an object, or "" without a base URL."""
    if not base_url:
        return ""
    return f"{base_url.rstrip('/')}/{page_uri}#{anchor}"


def citation_for(index: KBIndex, talk: Talk, base_url: str, page_uri: str) -> Citation:
    """The citation record of ``talk`` (write phase, or after reading for exports).

    ``page_uri`` is the builder's target URI of the talk's page
    (``builder.get_target_uri(talk.docname)``); ``base_url`` is ``html_baseurl``.
    """
    authors = []
    for speaker_id in talk.speakers:
        speaker = index.get("speaker", speaker_id)
        authors.append(split_name(speaker.title if isinstance(speaker, Speaker) else speaker_id))
    event = index.get("event", talk.event) if talk.event else None
    return Citation(
        key=talk.id,
        title=talk.title,
        authors=tuple(authors),
        date=index.talk_date(talk),
        event=event.title if isinstance(event, Event) else "",
        place=event.place if isinstance(event, Event) else "",
        url=talk_url(base_url, page_uri, talk.anchor),
        language=talk.language,
        keywords=talk.tags,
        abstract=index.summary(talk),
    )


__all__ = ["Citation", "Person", "citation_for", "split_name", "talk_url"]

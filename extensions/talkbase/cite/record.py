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
    from talkbase.lookup import KBIndex
    from talkbase.model import Talk

#: Lower-case particles kept with the family name ("Anne-Sophie de La Tour" -> "de La Tour").
PARTICLES = frozenset(
    {"de", "van", "von", "le", "la", "du", "des", "der", "den", "da", "di", "del", "della", "dos", "ten", "ter", "d'"}
)

#: Generational suffixes ("Martin Luther King Jr.", "King, Jr., Martin Luther", "John Smith III").
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "vi"})

#: Text that makes a name something other than one person's name ("Collectif (Paris)", "A & B").
_NOT_PERSONAL = re.compile(r"[()\[\]{}<>&@/\\|+=*#%$\d]|\b(?:and|et|und)\b|https?:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Person:
    """One speaker of a talk; ``given``/``family`` are empty when the name is not split."""

    given: str
    family: str
    #: The speaker's name as written.
    literal: str
    #: A generational suffix ("Jr.", "III"), only with ``family``.
    suffix: str = ""


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
    #: The last day when the talk's date is its event's range (ISO), else "".
    end: str = ""


def _is_suffix(word: str) -> bool:
    return word.lower() in SUFFIXES


def split_name(name: str) -> Person:
    """Split a speaker's name into given and family names and a suffix.

    ``"Stéphane Hugon"`` -> given ``Stéphane``, family ``Hugon``; ``"Hugon, Stéphane"``
    is read the same way, ``"King, Jr., Martin Luther"`` and ``"Martin Luther King Jr."``
    give the suffix ``Jr.``; particles (``de``, ``van``, ``von``, ``le``, ``la``, ``du``…)
    stay with the family name, as do the lower-case words BibTeX calls "von" (read with
    pybtex's :class:`~pybtex.database.Person`).  A single word, or text that is not one
    person's name (parentheses, digits, ``&``…), is kept whole as ``literal`` only.
    """
    literal = " ".join(name.split())
    whole = Person("", "", literal)
    if not literal or _NOT_PERSONAL.search(literal):
        return whole
    text, suffix = literal, ""
    if "," in literal:
        parts = [part.strip() for part in literal.split(",")]
        inverted = _inverted(parts, literal)
        if inverted is not None or len(parts) != 2 or not all(parts):
            return inverted or whole
        text, suffix = parts  # "Martin Luther King, Jr."
    words = text.split(" ")
    if not suffix and len(words) > 2 and _is_suffix(words[-1]):
        suffix = words.pop()
    if len(words) < 2 or words[0].lower() in PARTICLES:
        return whole
    start = next((i for i in range(1, len(words) - 1) if words[i].lower() in PARTICLES), 0)
    if start:  # also capitalised particles ("Le Pen", "La Tour"), which BibTeX would not see
        return Person(" ".join(words[:start]), " ".join(words[start:]), literal, suffix)
    # Imported when first needed: a rebuild that cites nothing never loads pybtex (see formats).
    from pybtex.database import Person as BibPerson  # noqa: PLC0415

    person = BibPerson(" ".join(words))
    given = " ".join([*person.first_names, *person.middle_names])
    family = " ".join([*person.prelast_names, *person.last_names])
    return Person(given, family, literal, suffix) if family else whole


def _inverted(parts: list[str], literal: str) -> Person | None:
    """``Family, Given`` or ``Family, Jr., Given`` (BibTeX's orders); None for other comma forms."""
    if not all(parts) or len(parts) > 3:
        return None
    if len(parts) == 3:
        return Person(parts[2], parts[0], literal, parts[1]) if _is_suffix(parts[1]) else None
    return None if _is_suffix(parts[1]) else Person(parts[1], parts[0], literal)


def speaker_person(speaker: Speaker | None, fallback: str) -> Person:
    """The name parts of a speaker: the ``speaker`` directive's ``:family:``, ``:given:``,
    ``:suffix:`` or ``:literal:`` when given, else :func:`split_name` of its name."""
    if speaker is None:
        return split_name(fallback)
    literal = " ".join(speaker.title.split())
    if speaker.literal_name:
        return Person("", "", literal)
    if speaker.family:
        return Person(speaker.given, speaker.family, literal, speaker.suffix)
    return split_name(speaker.title)


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
        authors.append(speaker_person(speaker if isinstance(speaker, Speaker) else None, speaker_id))
    event = index.get("event", talk.event) if talk.event else None
    # A talk without its own date took place during its event: all of it, for APA 7.
    has_range = isinstance(event, Event) and not talk.date and event.date and event.end > event.date
    end = event.end if has_range and isinstance(event, Event) else ""
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
        end=end,
    )


__all__ = ["Citation", "Person", "citation_for", "speaker_person", "split_name", "talk_url"]

"""A conference programme as read from schedule.json or schedule.xml.

Both parsers (:mod:`~talkbase.cli.schedule_json`, :mod:`~talkbase.cli.schedule_xml`)
produce these records after checking every field; a :class:`Problems` collects
each mistake with the path of the field (``schedule.conference.days[0].rooms['Saal 1'][2].title:
missing``) so the user sees all of them at once and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from talkbase.values import BadValue, check_language, check_url, clean_text

_ABSOLUTE = re.compile(r"https?://", re.IGNORECASE)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?")


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker; ``key`` is the programme's code, guid or id (may be empty)."""

    key: str
    name: str
    biography: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Session:
    """One talk of the programme; ``where`` is its path in the file, for messages."""

    key: str
    where: str
    title: str
    date: str
    start: str = ""
    duration: str = ""
    room: str = ""
    subtitle: str = ""
    track: str = ""
    type: str = ""
    language: str = ""
    abstract: str = ""
    description: str = ""
    url: str = ""
    persons: tuple[Person, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Programme:
    title: str
    acronym: str
    start: str
    end: str
    url: str = ""
    days: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    sessions: tuple[Session, ...] = ()
    format: str = ""
    #: Values left out because they were unusable (a bad URL, an unknown language).
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class Problems:
    """Every mistake found in a file, in file order."""

    messages: list[str] = field(default_factory=list)
    #: Not errors: values dropped on the way, reported on stderr.
    notes: list[str] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.messages.append(f"{path}: {message}")

    def note(self, path: str, message: str) -> None:
        self.notes.append(f"{path}: {message}")

    def report(self, source: str) -> str:
        """The message of the error: every problem (the first 25), one per line."""
        shown = self.messages[:25]
        lines = [f"{source}: {len(self.messages)} problem(s), nothing was written:", *shown]
        if len(self.messages) > len(shown):
            lines.append(f"… and {len(self.messages) - len(shown)} more")
        return "\n  ".join(lines)

    def __bool__(self) -> bool:
        return bool(self.messages)


def text(value: object) -> str:
    """A programme string, NFC-normalised, without control characters, trimmed."""
    return clean_text(str(value)).strip() if value is not None else ""


def iso_date(value: str, path: str, problems: Problems) -> str:
    """``2019-12-27`` from a date or date-time; a problem if it is not one."""
    candidate = value.strip()[:10]
    try:
        return dt.date.fromisoformat(candidate).isoformat()
    except ValueError:
        problems.add(path, f"{value!r} is not an ISO date (YYYY-MM-DD)")
        return ""


def clock_time(value: str, path: str, problems: Problems) -> str:
    """``09:30`` from ``9:30``, ``09:30:00`` or a date-time."""
    candidate = value.strip()
    if "T" in candidate:
        candidate = candidate.split("T", 1)[1][:5]
    match = _TIME.fullmatch(candidate)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        problems.add(path, f"{value!r} is not a time (HH:MM)")
        return ""
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def duration(value: str, path: str, problems: Problems) -> str:
    """``0:45``, ``00:45`` or ``01:30:00`` as ``H:MM``."""
    parts = value.strip().split(":")
    if not 2 <= len(parts) <= 3 or not all(part.isdigit() for part in parts) or int(parts[1]) > 59:
        problems.add(path, f"{value!r} is not a duration (HH:MM)")
        return ""
    total = int(parts[0]) * 60 + int(parts[1])
    return f"{total // 60}:{total % 60:02d}"


def web_url(value: str, path: str, problems: Problems, base: str = "") -> str:
    """An absolute http(s) URL (relative ones resolved against ``base``), else a note and ``""``."""
    candidate = value.strip()
    if not candidate:
        return ""
    if base and not _ABSOLUTE.match(candidate):
        candidate = urljoin(base, candidate)
    try:
        url = check_url(candidate)
    except BadValue as exc:
        problems.note(path, f"{exc}; left out")
        return ""
    if not _ABSOLUTE.match(url):
        problems.note(path, f"URL {value!r} is relative and the programme has no base URL; left out")
        return ""
    return url


def language(value: str, path: str, problems: Problems) -> str:
    """A language code Babel knows, else a note and ``""``."""
    if not value.strip():
        return ""
    try:
        return check_language(value.strip())
    except BadValue as exc:
        problems.note(path, f"{exc}; left out")
        return ""

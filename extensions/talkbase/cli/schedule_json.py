"""Reading the c3voc/frab ``schedule.json`` (as served by pretalx at
``/schedule/export/schedule.json``) into a :class:`~talkbase.cli.programme.Programme`.

The format (https://c3voc.de/schedule/schema.json)::

    {"schedule": {"version": …, "base_url": …, "conference": {
        "title", "acronym", "start", "end", "url"?,
        "days": [{"date", "rooms": {"<room>": [
            {"guid", "code"?, "id", "date", "start", "duration", "room", "slug", "url",
             "title", "subtitle", "track", "type", "language", "abstract", "description",
             "persons": [{"name" | "public_name", "code" | "guid" | "id", "biography"?, "links"?}],
             "links": [{"title", "url"} | "url"], "attachments": [{"title", "url"}]}]}}]}}}
"""

from __future__ import annotations

import json
from typing import Any

from talkbase.cli.common import CliError
from talkbase.cli.programme import (
    Link,
    Person,
    Problems,
    Programme,
    Session,
    clock_time,
    duration,
    iso_date,
    language,
    text,
    web_url,
)


def parse(data: bytes, source: str) -> Programme:
    """Check every field and return the programme; a :class:`CliError` lists all problems."""
    try:
        root = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        msg = f"{source}: not UTF-8 text ({exc})"
        raise CliError(msg) from None
    except json.JSONDecodeError as exc:
        msg = f"{source}: not valid JSON: {exc}"
        raise CliError(msg) from None
    problems = Problems()
    programme = _programme(root, problems)
    if problems or programme is None:
        raise CliError(problems.report(source))
    return programme


def _mapping(value: object, path: str, problems: Problems) -> dict[str, Any] | None:
    if value is None:
        problems.add(path, "missing")
        return None
    if not isinstance(value, dict):
        problems.add(path, f"expected an object, got {type(value).__name__}")
        return None
    return value


def _array(value: object, path: str, problems: Problems, *, required: bool = True) -> list[Any]:
    if value is None:
        if required:
            problems.add(path, "missing")
        return []
    if not isinstance(value, list):
        problems.add(path, f"expected a list, got {type(value).__name__}")
        return []
    return value


def _text(obj: dict[str, Any], key: str, path: str, problems: Problems, *, required: bool = False) -> str:
    value = obj.get(key)
    if isinstance(value, bool) or (value is not None and not isinstance(value, str | int)):
        problems.add(f"{path}.{key}", f"expected text, got {type(value).__name__}")
        return ""
    result = text(value)
    if required and not result:
        problems.add(f"{path}.{key}", "missing" if value is None else "empty")
    return result


def _programme(root: object, problems: Problems) -> Programme | None:
    top = _mapping(root, "(top level)", problems)
    schedule = _mapping(top.get("schedule"), "schedule", problems) if top is not None else None
    if schedule is None:
        return None
    conference = _mapping(schedule.get("conference"), "schedule.conference", problems)
    if conference is None:
        return None
    path = "schedule.conference"
    base = _text(schedule, "base_url", "schedule", problems)
    title = _text(conference, "title", path, problems, required=True)
    start = _text(conference, "start", path, problems)
    end = _text(conference, "end", path, problems)
    start = start and iso_date(start, f"{path}.start", problems)
    end = end and iso_date(end, f"{path}.end", problems)
    sessions: list[Session] = []
    days: list[str] = []
    rooms: dict[str, None] = {}
    for i, day_value in enumerate(_array(conference.get("days"), f"{path}.days", problems)):
        day_path = f"{path}.days[{i}]"
        day = _mapping(day_value, day_path, problems)
        if day is None:
            continue
        date = _text(day, "date", day_path, problems, required=True)
        date = date and iso_date(date, f"{day_path}.date", problems)
        days.append(date)
        room_map = _mapping(day.get("rooms"), f"{day_path}.rooms", problems)
        for room, talks in (room_map or {}).items():
            rooms[text(room)] = None
            for j, talk in enumerate(_array(talks, f"{day_path}.rooms[{room!r}]", problems)):
                session = _session(talk, f"{day_path}.rooms[{room!r}][{j}]", date, text(room), base, problems)
                if session is not None:
                    sessions.append(session)
    return Programme(
        title=title,
        acronym=_text(conference, "acronym", path, problems),
        start=start or (min(filter(None, days)) if any(days) else ""),
        end=end,
        url=web_url(_text(conference, "url", path, problems), f"{path}.url", problems),
        days=tuple(dict.fromkeys(filter(None, days))),
        rooms=tuple(filter(None, rooms)),
        sessions=tuple(sessions),
        format="schedule.json",
        notes=tuple(problems.notes),
    )


def _session(value: object, path: str, day: str, room: str, base: str, problems: Problems) -> Session | None:
    talk = _mapping(value, path, problems)
    if talk is None:
        return None
    key = next(
        (k for k in (_text(talk, name, path, problems) for name in ("code", "id", "guid")) if k),
        "",
    )
    if not key:
        problems.add(path, "no code, id or guid: the talk cannot get a stable id")
    when = _text(talk, "date", path, problems)
    date = iso_date(when, f"{path}.date", problems) if when else day
    start = _text(talk, "start", path, problems) or (when if "T" in when else "")
    length = _text(talk, "duration", path, problems)
    persons = [
        person
        for k, item in enumerate(_array(talk.get("persons"), f"{path}.persons", problems, required=False))
        if (person := _person(item, f"{path}.persons[{k}]", base, problems)) is not None
    ]
    links = _links(talk.get("links"), f"{path}.links", base, problems)
    links += _links(talk.get("attachments"), f"{path}.attachments", base, problems)
    return Session(
        key=key,
        where=path,
        title=_text(talk, "title", path, problems, required=True),
        date=date,
        start=start and clock_time(start, f"{path}.start", problems),
        duration=length and duration(length, f"{path}.duration", problems),
        room=_text(talk, "room", path, problems) or room,
        subtitle=_text(talk, "subtitle", path, problems),
        track=_text(talk, "track", path, problems),
        type=_text(talk, "type", path, problems),
        language=language(_text(talk, "language", path, problems), f"{path}.language", problems),
        abstract=_text(talk, "abstract", path, problems),
        description=_text(talk, "description", path, problems),
        url=web_url(_text(talk, "url", path, problems), f"{path}.url", problems, base),
        persons=tuple(persons),
        links=tuple(links),
    )


def _person(value: object, path: str, base: str, problems: Problems) -> Person | None:
    person = _mapping(value, path, problems)
    if person is None:
        return None
    name = _text(person, "public_name", path, problems) or _text(person, "name", path, problems)
    if not name:
        problems.add(f"{path}.name", "missing")
        return None
    key = next((k for k in (_text(person, n, path, problems) for n in ("code", "guid", "id")) if k), "")
    return Person(
        key=key,
        name=" ".join(name.split()),
        biography=_text(person, "biography", path, problems),
        links=tuple(_links(person.get("links"), f"{path}.links", base, problems)),
    )


def _links(value: object, path: str, base: str, problems: Problems) -> list[Link]:
    links = []
    for i, item in enumerate(_array(value, path, problems, required=False)):
        where = f"{path}[{i}]"
        if isinstance(item, str):
            title, url = "", text(item)
        elif isinstance(item, dict):
            title = _text(item, "title", where, problems)
            url = _text(item, "url", where, problems) or _text(item, "href", where, problems)
        else:
            problems.add(where, f"expected a link object or URL, got {type(item).__name__}")
            continue
        checked = web_url(url, f"{where}.url", problems, base)
        if checked:
            links.append(Link(title, checked))
    return links

"""Reading the frab/pentabarf ``schedule.xml`` into a :class:`~talkbase.cli.programme.Programme`.

The format::

    <schedule>
      <conference><title/><acronym/><start/><end/><base_url/></conference>
      <day index="1" date="2019-12-27">
        <room name="Saal 1">
          <event guid="…" id="10524">
            <date/><start/><duration/><room/><slug/><url/><title/><subtitle/><track/>
            <type/><language/><abstract/><description/>
            <persons><person id="…" guid="…">Name</person></persons>
            <links><link href="…">Title</link></links>
            <attachments><attachment href="…">Title</attachment></attachments>
          </event>

The file is untrusted: it is parsed with :mod:`defusedxml`, which refuses
entity expansion (billion laughs), external entities and DTD retrieval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

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

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


def parse(data: bytes, source: str) -> Programme:
    """Check every field and return the programme; a :class:`CliError` lists all problems."""
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        msg = f"{source}: refused unsafe XML ({type(exc).__name__}: {exc})"
        raise CliError(msg) from None
    except ParseError as exc:
        msg = f"{source}: not well-formed XML: {exc}"
        raise CliError(msg) from None
    problems = Problems()
    if root.tag != "schedule":
        problems.add(f"/{root.tag}", "the root element must be <schedule>")
        raise CliError(problems.report(source))
    programme = _programme(root, problems)
    if problems:
        raise CliError(problems.report(source))
    return programme


def _child(element: Element, name: str) -> str:
    child = element.find(name)
    return text("".join(child.itertext())) if child is not None else ""


def _required(element: Element, name: str, path: str, problems: Problems) -> str:
    value = _child(element, name)
    if not value:
        problems.add(f"{path}/{name}", "missing" if element.find(name) is None else "empty")
    return value


def _programme(root: Element, problems: Problems) -> Programme:
    conference = root.find("conference")
    path = "/schedule/conference"
    if conference is None:
        problems.add(path, "missing")
        return Programme("", "", "", "")
    base = _child(conference, "base_url")
    title = _required(conference, "title", path, problems)
    start, end = _child(conference, "start"), _child(conference, "end")
    start = start and iso_date(start, f"{path}/start", problems)
    end = end and iso_date(end, f"{path}/end", problems)
    sessions: list[Session] = []
    days: list[str] = []
    rooms: dict[str, None] = {}
    day_elements = root.findall("day")
    if not day_elements:
        problems.add("/schedule/day", "missing: the programme has no days")
    for i, day in enumerate(day_elements, 1):
        day_path = f"/schedule/day[{i}]"
        date = text(day.get("date"))
        if not date:
            problems.add(f"{day_path}/@date", "missing")
        date = date and iso_date(date, f"{day_path}/@date", problems)
        days.append(date)
        for room in day.findall("room"):
            name = text(room.get("name"))
            rooms[name] = None
            room_path = f"{day_path}/room[@name={name!r}]"
            for j, event in enumerate(room.findall("event"), 1):
                sessions.append(_session(event, f"{room_path}/event[{j}]", date, name, base, problems))
    return Programme(
        title=title,
        acronym=_child(conference, "acronym"),
        start=start or (min(filter(None, days)) if any(days) else ""),
        end=end,
        url=web_url(_child(conference, "url"), f"{path}/url", problems),
        days=tuple(dict.fromkeys(filter(None, days))),
        rooms=tuple(filter(None, rooms)),
        sessions=tuple(sessions),
        format="schedule.xml",
        notes=tuple(problems.notes),
    )


def _session(event: Element, path: str, day: str, room: str, base: str, problems: Problems) -> Session:
    key = text(event.get("code")) or text(event.get("id")) or text(event.get("guid"))
    if not key:
        problems.add(path, "no id or guid attribute: the talk cannot get a stable id")
    when = _child(event, "date")
    date = iso_date(when, f"{path}/date", problems) if when else day
    start = _child(event, "start") or (when if "T" in when else "")
    length = _child(event, "duration")
    persons = []
    for k, person in enumerate(event.findall("persons/person"), 1):
        name = " ".join(text("".join(person.itertext())).split())
        if not name:
            problems.add(f"{path}/persons/person[{k}]", "empty name")
            continue
        key_of_person = text(person.get("code")) or text(person.get("guid")) or text(person.get("id"))
        persons.append(Person(key=key_of_person, name=name))
    links = [
        Link(_link_title(link), url)
        for tag in ("links/link", "attachments/attachment")
        for k, link in enumerate(event.findall(tag), 1)
        if (url := web_url(text(link.get("href")), f"{path}/{tag}[{k}]/@href", problems, base))
    ]
    return Session(
        key=key,
        where=path,
        title=_required(event, "title", path, problems),
        date=date,
        start=start and clock_time(start, f"{path}/start", problems),
        duration=length and duration(length, f"{path}/duration", problems),
        room=_child(event, "room") or room,
        subtitle=_child(event, "subtitle"),
        track=_child(event, "track"),
        type=_child(event, "type"),
        language=language(_child(event, "language"), f"{path}/language", problems),
        abstract=_child(event, "abstract"),
        description=_child(event, "description"),
        url=web_url(_child(event, "url"), f"{path}/url", problems, base),
        persons=tuple(persons),
        links=tuple(links),
    )


def _link_title(link: Element) -> str:
    return " ".join(text("".join(link.itertext())).split())

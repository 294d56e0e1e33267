"""``talkbase import FILE``: a conference programme as event, talk and speaker pages.

Runs in three steps, so that a bad file or a broken page writes nothing:
parse and check the whole programme (:mod:`~talkbase.cli.schedule_json` or
:mod:`~talkbase.cli.schedule_xml`), compute the text of every page (new, or an
existing page merged by :mod:`~talkbase.cli.pages`), then write the pages that
changed, each atomically.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from talkbase.cli import pages, schedule_json, schedule_xml
from talkbase.cli.common import CliError, Exit, Progress, find_project, note, out, write_atomic
from talkbase.cli.markdown import escape_inline, link, paragraphs
from talkbase.values import fold, slugify

if TYPE_CHECKING:
    from argparse import _SubParsersAction

    from talkbase.cli.programme import Link, Person, Programme, Session

HELP = "turn a conference programme (schedule.json or schedule.xml) into pages"
DESCRIPTION = """\
Import a conference programme into the knowledge base in DIR (default: the
current directory): one event page (events/EVENT.md), one page per talk
(talks/EVENT-CODE.md) and one per speaker (speakers/NAME.md).

Formats: the c3voc/frab schedule.json (pretalx: /schedule/export/schedule.json)
and the frab/pentabarf schedule.xml (pretalx: /schedule/export/schedule.xml),
recognised by their content.

Run it again when the programme changes: titles, dates, speakers, rooms and
links are updated; the text you wrote is kept (see docs/cli/import.md for
exactly which parts of a page belong to the import). A file with problems is
reported field by field and nothing is written.
"""

SLIDE_WORDS = ("slide", "folie", "diapo", "présentation", "presentation", "deck")
SLIDE_HOSTS = ("speakerdeck.com", "slideshare.net", "slides.com", "docs.google.com/presentation")
SLIDE_EXTENSIONS = (".pdf", ".ppt", ".pptx", ".odp", ".key")
VIDEO_WORDS = ("video", "vidéo", "recording", "aufzeichnung", "enregistrement", "replay", "stream")
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "media.ccc.de", "peertube", "dailymotion.com")
VIDEO_EXTENSIONS = (".mp4", ".webm", ".mkv", ".mov", ".ogv")
#: Block labels in the languages of the knowledge base (``language`` in conf.py); English otherwise.
LABELS = {
    "fr": {
        "When": "Quand",
        "Room": "Salle",
        "Track": "Thème",
        "Type": "Type",
        "Programme page": "Page du programme",
        "Links": "Liens",
        "Days": "Jours",
        "Rooms": "Salles",
        "Talks in the programme": "Interventions au programme",
        "Programme": "Programme",
    },
    "de": {
        "When": "Wann",
        "Room": "Raum",
        "Track": "Track",
        "Type": "Art",
        "Programme page": "Seite im Programm",
        "Links": "Links",
        "Days": "Tage",
        "Rooms": "Räume",
        "Talks in the programme": "Beiträge im Programm",
        "Programme": "Programm",
    },
}
_CONF_LANGUAGE = re.compile(r"""^language\s*=\s*["']([A-Za-z]{2,3})""", re.MULTILINE)


def add_parser(subparsers: _SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", metavar="FILE", help="schedule.json or schedule.xml")
    parser.add_argument("--into", metavar="DIR", help="the knowledge base (default: the current directory)")
    parser.add_argument(
        "--event-id",
        metavar="ID",
        help="id of the event (default: the programme's acronym, else its title, slugged); "
        "talk ids start with it, so keep it the same on every re-import",
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress or notes on stderr")
    parser.set_defaults(run=run)


@dataclass(slots=True)
class Planned:
    path: Path
    text: str
    #: created, updated, unchanged, or kept (a page without import markers).
    status: str


def read_programme(path: Path) -> Programme:
    """Parse a programme file, choosing the format from its content."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot read: {exc.strerror or exc}"
        raise CliError(msg) from None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in {b"{", b"["}:
        return schedule_json.parse(data, str(path))
    if head == b"<":
        return schedule_xml.parse(data, str(path))
    msg = f"{path}: neither JSON nor XML; expected a schedule.json or schedule.xml"
    raise CliError(msg)


def classify(item: Link) -> str:
    """``slides``, ``video`` or ``""`` for a link, from its URL and title."""
    url, title = item.url.lower(), item.title.lower()
    path = re.sub(r"[?#].*$", "", url)
    if any(host in url for host in VIDEO_HOSTS) or path.endswith(VIDEO_EXTENSIONS):
        return "video"
    if any(host in url for host in SLIDE_HOSTS) or path.endswith(SLIDE_EXTENSIONS):
        return "slides"
    if any(word in title for word in VIDEO_WORDS):
        return "video"
    if any(word in title for word in SLIDE_WORDS):
        return "slides"
    return ""


def make_id(text: str) -> str:
    """The id talkbase gives ``text`` (``Łukasz Wiśniewski`` -> ``lukasz-wisniewski``)."""
    return slugify(text)


def project_language(root: Path) -> str:
    """The ``language`` of the project's conf.py, read without running it ("" if not found)."""
    try:
        match = _CONF_LANGUAGE.search((root / "conf.py").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""
    return match.group(1).lower() if match else ""


def speaker_ids(sessions: list[Session], by_code: dict[str, str] | None = None) -> dict[str, tuple[str, Person]]:
    """Person identity -> (speaker id, person), in order of first appearance.

    A person the project already has a page for (``by_code``: programme code ->
    id, from the pages' ``% talkbase:import:person`` lines) keeps that id, so a
    re-import after the programme renamed someone updates the page instead of
    making another.  A new person's id is the slug of the public name (readable,
    and the same person gets the same page when several programmes are
    imported); two different people with the same name get the programme's code
    appended to the second one.
    """
    by_code = by_code or {}
    found: dict[str, tuple[str, Person]] = {}
    taken: dict[str, str] = {objid: code for code, objid in by_code.items()}
    for session in sessions:
        for person in session.persons:
            identity = person.key or fold(person.name)
            if identity in found:
                known_id, known = found[identity]
                if not known.biography and person.biography:
                    found[identity] = (known_id, person)
                continue
            if person.key in by_code:
                found[identity] = (by_code[person.key], person)
                continue
            objid = make_id(person.name) or make_id(person.key)
            if objid in taken and taken[objid] != identity:
                objid = f"{objid}-{make_id(person.key) or len(taken)}"
            taken[objid] = identity
            found[identity] = (objid, person)
    return found


def facts(items: list[tuple[str, str]], language: str) -> list[str]:
    """``- **Label:** value`` lines (values already Markdown), labels translated."""
    labels = LABELS.get(language, {})
    return [f"- **{labels.get(label, label)}:** {value}" for label, value in items if value]


def event_page(programme: Programme, event_id: str, talks: int, language: str = "") -> pages.Page:
    block = facts(
        [
            ("Days", ", ".join(programme.days)),
            ("Rooms", escape_inline(", ".join(programme.rooms))),
            ("Talks in the programme", str(talks)),
            ("Programme", link(programme.url, programme.url) if programme.url else ""),
        ],
        language,
    )
    end = programme.end if programme.end and programme.end > programme.start else ""
    return pages.Page(
        directive="event",
        title=programme.title,
        options=[("id", event_id), ("date", programme.start), ("end", end), ("url", programme.url)],
        block=block,
        after=["## Talks", "", "```{talk-list}", f":event: {event_id}", "```"],
    )


def talk_page(session: Session, talk_id: str, event_id: str, speakers: list[str], language: str = "") -> pages.Page:
    typed: dict[str, str] = {}
    others: list[Link] = []
    for item in session.links:
        kind = classify(item)
        if kind and kind not in typed:
            typed[kind] = item.url
        else:
            others.append(item)
    block = []
    if session.subtitle:
        block += [f"*{escape_inline(session.subtitle)}*", ""]
    when = ", ".join(filter(None, [session.date, session.start]))
    if session.duration:
        when += f" ({session.duration})"
    block += facts(
        [
            ("When", escape_inline(when)),
            ("Room", escape_inline(session.room)),
            ("Track", escape_inline(session.track)),
            ("Type", escape_inline(session.type)),
            ("Programme page", link(session.url, session.url) if session.url else ""),
            ("Links", ", ".join(link(item.title, item.url) for item in others)),
        ],
        language,
    )
    track = " ".join(session.track.replace(",", " ").split())
    return pages.Page(
        directive="talk",
        title=session.title,
        options=[
            ("id", talk_id),
            ("speakers", ", ".join(speakers)),
            ("event", event_id),
            ("date", session.date),
            ("language", session.language),
            ("tags", track),
            ("slides", typed.get("slides", "")),
            ("video", typed.get("video", "")),
        ],
        block=block,
        starting_text=paragraphs(session.abstract) + paragraphs(session.description),
        fence="````",
    )


#: Inside a speaker page's import block: the programme's code of the person.
PERSON_MARK = "% talkbase:import:person"
_PERSON_LINE = re.compile(rf"^{re.escape(PERSON_MARK)} (\S+)$", re.M)
_ID_LINE = re.compile(r"^:id:\s+(\S+)\s*$", re.M)


def known_speakers(root: Path) -> dict[str, str]:
    """Programme code -> speaker id of the speaker pages an earlier import wrote."""
    known: dict[str, str] = {}
    for path in sorted((root / "speakers").glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        code, objid = _PERSON_LINE.search(text), _ID_LINE.search(text)
        if code and objid:
            known.setdefault(code.group(1), objid.group(1))
    return known


def speaker_page(person: Person, speaker_id: str) -> pages.Page:
    first = person.links[0].url if person.links else ""
    block = [f"- {link(item.title, item.url)}" for item in person.links[1:]]
    if person.key and not any(c.isspace() for c in person.key):
        block = [f"{PERSON_MARK} {person.key}", *block]
    return pages.Page(
        directive="speaker",
        title=person.name,
        options=[("id", speaker_id), ("url", first)],
        block=block,
        starting_text=paragraphs(person.biography),
    )


def plan(programme: Programme, root: Path, event_id: str, *, progress: bool) -> list[Planned]:
    """Every page's new text, before anything is written."""
    sessions = [s for s in programme.sessions if s.persons]
    language = project_language(root)
    speakers = speaker_ids(sessions, known_speakers(root))
    wanted: list[tuple[Path, pages.Page]] = [
        (Path("events") / f"{event_id}.md", event_page(programme, event_id, len(sessions), language))
    ]
    talk_ids: dict[str, str] = {}
    problems = []
    for session in sessions:
        talk_id = f"{event_id}-{make_id(session.key)}"
        if talk_id in talk_ids:
            problems.append(f"{session.where}: same id {talk_id!r} as {talk_ids[talk_id]}")
            continue
        talk_ids[talk_id] = session.where
        ids = [speakers[p.key or fold(p.name)][0] for p in session.persons]
        wanted.append((Path("talks") / f"{talk_id}.md", talk_page(session, talk_id, event_id, ids, language)))
    wanted += [(Path("speakers") / f"{objid}.md", speaker_page(person, objid)) for objid, person in speakers.values()]
    if problems:
        raise CliError("\n  ".join(["the programme has problems, nothing was written:", *problems]))
    planned = []
    meter = Progress("preparing pages", len(wanted), enabled=progress)
    for done, (relative, page) in enumerate(wanted, 1):
        planned.append(_plan_page(root, relative, page))
        meter.step(done)
    return planned


def _plan_page(root: Path, relative: Path, page: pages.Page) -> Planned:
    path = root / relative
    if not path.exists():
        return Planned(relative, pages.render(page), "created")
    try:
        current = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{relative}: cannot read the existing page: {exc}"
        raise CliError(msg) from None
    if not pages.owns(current):
        return Planned(relative, current, "kept")
    try:
        text = pages.merge(current, page, str(relative))
    except pages.MergeError as exc:
        raise CliError(str(exc)) from None
    return Planned(relative, text, "unchanged" if text == current else "updated")


def run(args: argparse.Namespace) -> int:
    root = find_project(args.into)
    programme = read_programme(Path(args.file))
    event_id = make_id(args.event_id or programme.acronym or programme.title)
    if not event_id:
        msg = "the event needs an id: the programme has no usable acronym or title; pass --event-id"
        raise CliError(msg, Exit.USAGE)
    if not programme.sessions:
        msg = f"{args.file}: the programme has no talks"
        raise CliError(msg)
    if not args.quiet:
        for remark in programme.notes:
            note(f"note: {remark}")
        for session in programme.sessions:
            if not session.persons:
                note(f"note: {session.where}: {session.title!r} has no speakers; not imported")
    planned = plan(programme, root, event_id, progress=not args.quiet)
    counts: dict[str, int] = {}
    changed = [item for item in planned if item.status in {"created", "updated"}]
    if not args.dry_run:
        meter = Progress("writing pages", len(changed), enabled=not args.quiet)
        for done, item in enumerate(changed, 1):
            write_atomic(root / item.path, item.text)
            meter.step(done)
    for item in planned:
        counts[item.status] = counts.get(item.status, 0) + 1
        if item.status != "unchanged":
            out(f"{item.status:9} {item.path.as_posix()}")
    verb = "would be written" if args.dry_run else "written"
    summary = ", ".join(f"{counts[s]} {s}" for s in ("created", "updated", "unchanged", "kept") if counts.get(s))
    out(f"{programme.format}: {programme.title}: {len(changed)} page(s) {verb} ({summary})")
    return Exit.OK

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from talkbase.cli import pages, schedule_json, schedule_xml, sources
from talkbase.cli.common import CliError, Exit, Progress, find_project, note, out, translator, write_atomic
from talkbase.cli.markdown import escape_inline, link, paragraphs
from talkbase.cli.sources import PERSON_MARK
from talkbase.l10n import N_
from talkbase.values import fold, slugify

if TYPE_CHECKING:
    from argparse import _SubParsersAction
    from collections.abc import Callable

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
exactly which parts of a page belong to the import). An object the project
already defines (by its id, or a speaker by the programme's person code) is
found in whatever file defines it; a page written by hand (.md without the
import markers, or .rst) is never changed. A file with problems is reported
field by field and nothing is written.
"""

SLIDE_WORDS = ("slide", "folie", "diapo", "présentation", "presentation", "deck")
SLIDE_HOSTS = ("speakerdeck.com", "slideshare.net", "slides.com", "docs.google.com/presentation")
SLIDE_EXTENSIONS = (".pdf", ".ppt", ".pptx", ".odp", ".key")
VIDEO_WORDS = ("video", "vidéo", "recording", "aufzeichnung", "enregistrement", "replay", "stream")
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "media.ccc.de", "peertube", "dailymotion.com")
VIDEO_EXTENSIONS = (".mp4", ".webm", ".mkv", ".mov", ".ogv")
#: Where new pages of each object type go.
FOLDERS = {"event": "events", "talk": "talks", "speaker": "speakers"}


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
    #: created, updated, unchanged, or kept (a page written by hand).
    status: str
    #: Why, when it is not obvious ("written by hand").
    reason: str = ""
    #: Remarks for stderr (another file already has the page's name…).
    notes: list[str] = field(default_factory=list)


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
    language = sources.conf_values(root).get("language")
    return language if isinstance(language, str) else ""


def speaker_ids(sessions: list[Session], by_code: dict[str, str] | None = None) -> dict[str, tuple[str, Person]]:
    """Person identity -> (speaker id, person), in order of first appearance.

    A person the project already has a page for (``by_code``: programme code ->
    id, from the ``% talkbase:import:person`` lines of its sources) keeps that id, so a
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


def facts(items: list[tuple[str, str]], _: Callable[[str], str]) -> list[str]:
    """``- **Label:** value`` lines (values already Markdown), labels translated by ``_``."""
    return [f"- **{escape_inline(_(label))}:** {value}" for label, value in items if value]


def event_page(programme: Programme, event_id: str, talks: int, language: str = "") -> pages.Page:
    _ = translator(language)
    block = facts(
        [
            (N_("Days"), ", ".join(programme.days)),
            (N_("Rooms"), escape_inline(", ".join(programme.rooms))),
            (N_("Talks in the programme"), str(talks)),
            (N_("Programme"), link(programme.url, programme.url) if programme.url else ""),
        ],
        _,
    )
    end = programme.end if programme.end and programme.end > programme.start else ""
    heading = escape_inline(_("Talks"))
    return pages.Page(
        directive="event",
        title=programme.title,
        options=[("id", event_id), ("date", programme.start), ("end", end), ("url", programme.url)],
        block=block,
        after=[f"## {heading}", "", "```{talk-list}", f":event: {event_id}", "```"],
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
            (N_("When"), escape_inline(when)),
            (N_("Room"), escape_inline(session.room)),
            (N_("Track"), escape_inline(session.track)),
            (N_("Type"), escape_inline(session.type)),
            (N_("Programme page"), link(session.url, session.url) if session.url else ""),
            (N_("Links"), ", ".join(link(item.title, item.url) for item in others)),
        ],
        translator(language),
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
    existing = sources.scan(root)
    speakers = speaker_ids(sessions, existing.person_codes())
    wanted: list[tuple[str, str, pages.Page]] = [
        ("event", event_id, event_page(programme, event_id, len(sessions), language))
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
        wanted.append(("talk", talk_id, talk_page(session, talk_id, event_id, ids, language)))
    wanted += [("speaker", objid, speaker_page(person, objid)) for objid, person in speakers.values()]
    if problems:
        raise CliError("\n  ".join(["the programme has problems, nothing was written:", *problems]))
    # The files that hold an object of the programme are that object's, whatever their name.
    claimed = {found[0].path for objtype, objid, _page in wanted if (found := existing.find(objtype, objid))}
    placer = Placer(root, existing, claimed)
    planned = []
    meter = Progress("preparing pages", len(wanted), enabled=progress)
    for done, (objtype, objid, page) in enumerate(wanted, 1):
        planned.append(placer.plan(objtype, objid, page))
        meter.step(done)
    return planned


@dataclass(slots=True)
class Placer:
    """Decides, for each object of the programme, which file it is written to, if any.

    An object the project already defines is found by its id wherever it is
    (``speakers/lukasz.md`` may define ``lukasz-wisniewski``): a page the import
    wrote is updated in place, any other (a ``.md`` without the import markers,
    or an ``.rst``) is the author's and is kept as it is. A new object goes to
    ``FOLDER/ID.md`` unless a source of that name exists with any suffix (Sphinx
    would read only one of them); it then gets the first free ``ID-2.md``, ``ID-3.md``….
    """

    root: Path
    existing: sources.Sources
    #: Files that define an object of the programme (found by id); never given to another.
    claimed: set[Path]
    #: Docnames given to new pages in this run.
    used: set[str] = field(default_factory=set)

    def plan(self, objtype: str, objid: str, page: pages.Page) -> Planned:
        found = self.existing.find(objtype, objid)
        notes = []
        if len(found) > 1:
            where = ", ".join(f"{item.path.as_posix()}:{item.line}" for item in found)
            notes.append(f"note: {objtype} {objid!r} is defined more than once ({where}); delete all but one")
        if found:
            path = found[0].path
            if path in self.existing.owned and path.suffix == ".md":
                return _update(self.root, path, page, notes)
            return Planned(path, "", "kept", "written by hand", notes)
        folder = FOLDERS[objtype]
        default = f"{folder}/{objid}"
        taken = self.existing.taken(default)
        if taken == [Path(f"{default}.md")] and taken[0] in self.existing.owned and taken[0] not in self.claimed:
            # The import's own page, whose :id: the author changed: the import owns :id: (docs/cli/import.md).
            self.claimed.add(taken[0])
            return _update(self.root, taken[0], page, notes)
        docname, number = default, 1
        while self.existing.taken(docname) or docname in self.used:
            number += 1
            docname = f"{default}-{number}"
        self.used.add(docname)
        path = Path(f"{docname}.md")
        if taken:
            names = ", ".join(item.as_posix() for item in taken)
            notes.append(f"note: {names} does not define {objtype} {objid!r}; its page is {path.as_posix()}")
        return Planned(path, pages.render(page), "created", "", notes)


def _update(root: Path, relative: Path, page: pages.Page, notes: list[str]) -> Planned:
    """A page the import wrote, with the import's parts replaced by the programme's."""
    try:
        current = (root / relative).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{relative}: cannot read the existing page: {exc}"
        raise CliError(msg) from None
    try:
        text = pages.merge(current, page, str(relative))
    except pages.MergeError as exc:
        raise CliError(str(exc)) from None
    return Planned(relative, text, "unchanged" if text == current else "updated", "", notes)


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
    if not args.quiet:
        for remark in (text for item in planned for text in item.notes):
            note(remark)
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
            out(f"{item.status:9} {item.path.as_posix()}" + (f", {item.reason}" if item.reason else ""))
    verb = "would be written" if args.dry_run else "written"
    summary = ", ".join(f"{counts[s]} {s}" for s in ("created", "updated", "unchanged", "kept") if counts.get(s))
    out(f"{args.file}: {programme.title}: {len(changed)} page(s) {verb} ({summary})")
    return Exit.OK

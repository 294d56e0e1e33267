"""``talkbase check [DIR]``: build quietly and summarise the knowledge base.

Builds the HTML into a temporary directory with a Sphinx application in this
process (warnings captured, progress on stderr), then reads the ``kb``
domain's index: counts per object type, orphans and objects missing
recommended fields. Every build warning is an error (CI builds with ``-W``);
orphans and missing fields are notices, errors only with ``--strict``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkbase.cli.common import CliError, Exit, find_project, note, out
from talkbase.model import OBJECT_TYPES, Talk

if TYPE_CHECKING:
    from argparse import _SubParsersAction

    from talkbase.index import KBIndex

HELP = "build quietly and report counts, broken references, orphans and missing fields"
DESCRIPTION = """\
Build the knowledge base in DIR (default: the current directory) into a
temporary directory and print a summary a CI log can show:

  - the number of events, talks, speakers, recommendations and terms;
  - errors: every warning of the build, broken references first
    ([talkbase.unknown-ref], [talkbase.wrong-type], [talkbase.unknown-term]);
  - orphans: speakers without talks, terms never used, talks without event;
  - talks missing recommended fields (a date, slides).

Exit status: 0 when the build has no warning, 1 when it has (with --strict,
also when there are orphans or missing fields), 3 when DIR is not a project,
4 when the build itself fails (an error in conf.py, a missing extension).
"""

BROKEN_REF_TYPES = {"talkbase.unknown-ref", "talkbase.wrong-type", "talkbase.unknown-term"}
LABELS = {"event": "events", "talk": "talks", "speaker": "speakers", "rec": "recommendations", "term": "terms"}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WARNING = re.compile(
    r"^(?:(?P<location>.*?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<message>.*?)(?: \[(?P<type>[\w.-]+)\])?$"
)
_PROGRESS = re.compile(r"(reading sources|writing output)\.\.\. \[\s*(\d+)%\]")


def add_parser(subparsers: _SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", metavar="DIR", nargs="?", help="the knowledge base (default: .)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="orphans and missing fields are errors too")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=run)


@dataclass(slots=True)
class Message:
    """One warning of the build."""

    message: str
    type: str = ""
    file: str = ""
    line: int | None = None
    level: str = "WARNING"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        kind = f" [{self.type}]" if self.type else ""
        return f"{where}{self.message}{kind}"


@dataclass(slots=True)
class Report:
    project: str
    counts: dict[str, int] = field(default_factory=dict)
    broken_references: list[Message] = field(default_factory=list)
    other_errors: list[Message] = field(default_factory=list)
    speakers_without_talks: list[str] = field(default_factory=list)
    terms_never_used: list[str] = field(default_factory=list)
    talks_without_event: list[str] = field(default_factory=list)
    #: talk id -> the recommended fields it lacks.
    missing_fields: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return len(self.broken_references) + len(self.other_errors)

    @property
    def notices(self) -> int:
        orphans = self.speakers_without_talks + self.terms_never_used + self.talks_without_event
        return len(orphans) + len(self.missing_fields)

    def failed(self, *, strict: bool) -> bool:
        return bool(self.errors or (strict and self.notices))


class ProgressStream(io.StringIO):
    """Sphinx's status stream: keeps everything, shows build progress on stderr by tenths."""

    def __init__(self, *, enabled: bool) -> None:
        super().__init__()
        self.enabled = enabled
        self.shown: dict[str, int] = {}

    def write(self, text: str) -> int:
        if self.enabled:
            match = _PROGRESS.search(_ANSI.sub("", text))
            if match:
                phase, percent = match.group(1), int(match.group(2))
                tenth = percent // 10
                if tenth > self.shown.get(phase, -1):
                    self.shown[phase] = tenth
                    note(f"{phase}: {percent}%")
        return super().write(text)


def parse_warnings(text: str, root: Path) -> list[Message]:
    """The warnings Sphinx wrote, continuation lines joined to their warning."""
    messages: list[Message] = []
    for raw in _ANSI.sub("", text).splitlines():
        match = _WARNING.match(raw)
        if match is None:
            if messages and raw.strip():
                messages[-1].message += "\n" + raw.rstrip()
            continue
        file, line = _location(match.group("location") or "", root)
        messages.append(Message(match.group("message"), match.group("type") or "", file, line, match.group("level")))
    return messages


def _location(location: str, root: Path) -> tuple[str, int | None]:
    file, sep, line = location.rpartition(":")
    if not sep or not line.isdigit():
        file, line = location, ""
    if file and Path(file).resolve().is_relative_to(root):
        file = Path(file).resolve().relative_to(root).as_posix()
    return file, int(line) if line else None


def summarise(index: KBIndex, report: Report) -> None:
    """Counts, orphans and missing fields from the domain's index (after the build)."""
    report.counts = {objtype: len(index.objects.get(objtype, {})) for objtype in OBJECT_TYPES}
    report.speakers_without_talks = sorted(
        s for s in index.objects.get("speaker", {}) if not index.talks_by_speaker.get(s)
    )
    report.terms_never_used = sorted(t for t in index.objects.get("term", {}) if not index.refs_to.get(("term", t)))
    talks = [t for t in index.objects.get("talk", {}).values() if isinstance(t, Talk)]
    report.talks_without_event = sorted(t.id for t in talks if not t.event)
    for talk in sorted(talks, key=lambda t: t.id):
        missing = [name for name, value in (("date", index.talk_date(talk)), ("slides", talk.slides)) if not value]
        if missing:
            report.missing_fields[talk.id] = missing


def build(root: Path, *, progress: bool) -> Report:
    """Build ``root`` quietly into a temporary directory (in this process)."""
    from sphinx.application import Sphinx  # noqa: PLC0415 (only this command needs Sphinx)
    from sphinx.errors import SphinxError  # noqa: PLC0415

    from talkbase.domain import kb_domain  # noqa: PLC0415

    report = Report(project=str(root))
    status = ProgressStream(enabled=progress)
    warnings = io.StringIO()
    started = time.monotonic()
    if progress:
        note(f"building {root} …")
    with tempfile.TemporaryDirectory(prefix="talkbase-check-") as tmp:
        try:
            app = Sphinx(
                root,
                root,
                Path(tmp) / "html",
                Path(tmp) / "doctrees",
                "html",
                status=status,
                warning=warnings,
                freshenv=True,
            )
            app.build(force_all=True)
        except (SphinxError, Exception) as exc:  # conf.py errors, missing extensions, crashes alike
            msg = f"the build failed: {type(exc).__name__}: {exc}"
            raise CliError(msg, Exit.ENVIRONMENT) from exc
        summarise(kb_domain(app.env).index, report)
    for message in parse_warnings(warnings.getvalue(), root):
        bucket = report.broken_references if message.type in BROKEN_REF_TYPES else report.other_errors
        bucket.append(message)
    report.seconds = round(time.monotonic() - started, 2)
    if progress:
        note(f"built in {report.seconds:.1f} s")
    return report


def as_json(report: Report, *, strict: bool) -> dict[str, Any]:
    data = asdict(report)
    data["ok"] = not report.failed(strict=strict)
    data["errors"] = report.errors
    data["notices"] = report.notices
    return data


def print_text(report: Report, *, strict: bool) -> None:
    counts = ", ".join(f"{report.counts.get(t, 0)} {LABELS[t]}" for t in OBJECT_TYPES)
    out(f"talkbase check: {report.project}")
    out(f"objects: {counts}")
    sections: list[tuple[str, list[str]]] = [
        ("broken references", [str(m) for m in report.broken_references]),
        ("other build warnings", [str(m) for m in report.other_errors]),
        ("speakers without talks", report.speakers_without_talks),
        ("terms never used", report.terms_never_used),
        ("talks without event", report.talks_without_event),
        ("talks missing recommended fields", [f"{t}: {', '.join(f)}" for t, f in report.missing_fields.items()]),
    ]
    for title, items in sections:
        out(f"{title}: {len(items)}")
        for item in items:
            out("  " + item.replace("\n", "\n    "))
    verdict = "FAILED" if report.failed(strict=strict) else "OK"
    out(f"result: {verdict} ({report.errors} error(s), {report.notices} notice(s))")


def run(args: argparse.Namespace) -> int:
    root = find_project(args.directory)
    report = build(root, progress=not args.quiet)
    if args.format == "json":
        out(json.dumps(as_json(report, strict=args.strict), indent=2, ensure_ascii=False))
    else:
        print_text(report, strict=args.strict)
    return Exit.PROBLEMS if report.failed(strict=args.strict) else Exit.OK

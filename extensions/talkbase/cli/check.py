"""``talkbase check [DIR]``: build once, quietly, and report on the knowledge base.

Builds the HTML with a Sphinx application in this process, into a temporary
directory or, with ``--build-dir``, into the directory CI publishes, so that CI
builds once. The warnings are Sphinx's own log records (level, type, subtype,
location), recorded by a filter on Sphinx's warning handler: what is recorded
is exactly what Sphinx prints, after ``suppress_warnings`` and ``once``. After
the build, the ``kb`` domain's index of that same environment gives the counts,
orphans and objects missing recommended fields. Every build warning is an
error (``-W --keep-going`` semantics); orphans and missing fields are notices,
errors only with ``--strict``. :mod:`talkbase.cli.report` writes the CI formats.
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

from talkbase.cli import report as formats
from talkbase.cli.common import CliError, Exit, find_project, note, out, write_atomic
from talkbase.cli.records import Message, recording, relative_file
from talkbase.model import OBJECT_TYPES, Talk

if TYPE_CHECKING:
    from argparse import _SubParsersAction

    from sphinx.environment import BuildEnvironment

    from talkbase.lookup import KBIndex
    from talkbase.model import Record

HELP = "build quietly and report counts, broken references, orphans and missing fields"
DESCRIPTION = """\
Build the knowledge base in DIR (default: the current directory) once, into a
temporary directory or the --build-dir CI publishes, and report:

  - the number of events, talks, speakers, recommendations and terms;
  - errors: every warning of the build, broken references first
    ([talkbase.unknown-ref], [talkbase.wrong-type], [talkbase.unknown-term]);
  - orphans: speakers without talks, terms never used, talks without event;
  - talks missing recommended fields (a date, slides).

Formats: text (default), json, github (workflow commands: annotations on the
pull request), gitlab (Code Quality JSON), junit (JUnit XML). With --output the
report is written to FILE and the text summary goes to standard output.
File paths are relative to the repository root (the git work tree holding DIR,
else DIR).

Exit status: 0 when the build has no warning, 1 when it has (with --strict,
also when there are orphans or missing fields), 3 when DIR is not a project,
4 when the build itself fails (an error in conf.py, a missing extension).
"""

BROKEN_REF_TYPES = {"talkbase.unknown-ref", "talkbase.wrong-type", "talkbase.unknown-term"}
LABELS = {"event": "events", "talk": "talks", "speaker": "speakers", "rec": "recommendations", "term": "terms"}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PROGRESS = re.compile(r"(reading sources|writing output)\.\.\. \[\s*(\d+)%\]")


def add_parser(subparsers: _SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", metavar="DIR", nargs="?", help="the knowledge base (default: .)")
    parser.add_argument(
        "--format", choices=("text", "json", *formats.WRITERS), default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE; the text summary goes to standard output"
    )
    parser.add_argument(
        "--build-dir",
        metavar="OUTDIR",
        help="build the HTML into OUTDIR (kept, e.g. for CI to publish) instead of a temporary directory",
    )
    parser.add_argument("--strict", action="store_true", help="orphans and missing fields are errors too")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=run)


@dataclass(slots=True)
class Report:
    project: str
    #: The directory file paths are relative to: the git work tree holding the project, else the project.
    base: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    broken_references: list[Message] = field(default_factory=list)
    other_errors: list[Message] = field(default_factory=list)
    speakers_without_talks: list[str] = field(default_factory=list)
    terms_never_used: list[str] = field(default_factory=list)
    talks_without_event: list[str] = field(default_factory=list)
    #: talk id -> the recommended fields it lacks.
    missing_fields: dict[str, list[str]] = field(default_factory=dict)
    #: The orphans and missing fields above, one located message each (for the CI formats).
    notice_messages: list[Message] = field(default_factory=list)
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


def summarise(index: KBIndex, report: Report, env: BuildEnvironment) -> None:
    """Counts, orphans and missing fields from the domain's index (after the build)."""
    base = Path(report.base)

    def notice(check: str, record: Record, message: str) -> None:
        file = relative_file(str(env.doc2path(record.docname)), base)
        report.notice_messages.append(Message(message, f"check.{check}", file, record.lineno or None, "NOTICE"))

    report.counts = {objtype: len(index.objects.get(objtype, {})) for objtype in OBJECT_TYPES}
    for speaker in sorted(index.objects.get("speaker", {}).values(), key=lambda r: r.id):
        if not index.talks_by_speaker.get(speaker.id):
            report.speakers_without_talks.append(speaker.id)
            notice("speaker-without-talks", speaker, f"speaker '{speaker.id}' gives no talk")
    for term in sorted(index.objects.get("term", {}).values(), key=lambda r: r.id):
        if not index.refs_to.get(("term", term.id)):
            report.terms_never_used.append(term.id)
            notice("term-never-used", term, f"term '{term.id}' is used by no page")
    talks = sorted((t for t in index.objects.get("talk", {}).values() if isinstance(t, Talk)), key=lambda t: t.id)
    for talk in talks:
        if not talk.event:
            report.talks_without_event.append(talk.id)
            notice("talk-without-event", talk, f"talk '{talk.id}' has no :event:")
    for talk in talks:
        missing = [name for name, value in (("date", index.talk_date(talk)), ("slides", talk.slides)) if not value]
        if missing:
            report.missing_fields[talk.id] = missing
            notice("missing-fields", talk, f"talk '{talk.id}' has no {' and no '.join(missing)}")


def build(root: Path, *, progress: bool, build_dir: Path | None = None) -> Report:
    """Build ``root`` once, in this process, into ``build_dir`` or a temporary directory.

    Always a fresh environment: a report must list the warnings of every page,
    and an incremental build re-reads (and warns about) changed pages only.
    """
    from sphinx.application import Sphinx  # noqa: PLC0415 (only this command needs Sphinx)
    from sphinx.errors import SphinxError  # noqa: PLC0415

    from talkbase.domain import kb_domain  # noqa: PLC0415

    base = formats.repository_root(root)
    report = Report(project=str(root), base=str(base))
    messages: list[Message] = []
    status = ProgressStream(enabled=progress)
    started = time.monotonic()
    if progress:
        note(f"building {root} …")
    with tempfile.TemporaryDirectory(prefix="talkbase-check-") as tmp:
        outdir = build_dir.resolve() if build_dir else Path(tmp) / "html"
        try:
            with recording(base, messages):
                app = Sphinx(
                    root,
                    root,
                    outdir,
                    Path(tmp) / "doctrees",
                    "html",
                    status=status,
                    warning=io.StringIO(),  # the recorder keeps the records; the console text is not needed
                    freshenv=True,
                    warningiserror=True,  # -W --keep-going: every warning is reported, the status is 1
                )
            app.build(force_all=True)
        except (SphinxError, Exception) as exc:  # conf.py errors, missing extensions, crashes alike
            msg = f"the build failed: {type(exc).__name__}: {exc}"
            raise CliError(msg, Exit.ENVIRONMENT) from exc
        summarise(kb_domain(app.env).index, report, app.env)
    for message in sorted(messages, key=lambda m: (m.file, m.line or 0, m.type, m.message)):
        bucket = report.broken_references if message.type in BROKEN_REF_TYPES else report.other_errors
        bucket.append(message)
    report.seconds = round(time.monotonic() - started, 2)
    if progress:
        note(f"built in {report.seconds:.1f} s" + (f" into {outdir}" if build_dir else ""))
    return report


def as_json(report: Report, *, strict: bool) -> dict[str, Any]:
    data = asdict(report)
    data["ok"] = not report.failed(strict=strict)
    data["errors"] = report.errors
    data["notices"] = report.notices
    return data


def text_summary(report: Report, *, strict: bool) -> str:
    counts = ", ".join(f"{report.counts.get(t, 0)} {LABELS[t]}" for t in OBJECT_TYPES)
    lines = [f"talkbase check: {report.project}", f"objects: {counts}"]
    sections: list[tuple[str, list[str]]] = [
        ("broken references", [str(m) for m in report.broken_references]),
        ("other build warnings", [str(m) for m in report.other_errors]),
        ("speakers without talks", report.speakers_without_talks),
        ("terms never used", report.terms_never_used),
        ("talks without event", report.talks_without_event),
        ("talks missing recommended fields", [f"{t}: {', '.join(f)}" for t, f in report.missing_fields.items()]),
    ]
    for title, items in sections:
        lines.append(f"{title}: {len(items)}")
        lines.extend("  " + item.replace("\n", "\n    ") for item in items)
    verdict = "FAILED" if report.failed(strict=strict) else "OK"
    lines.append(f"result: {verdict} ({report.errors} error(s), {report.notices} notice(s))")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    root = find_project(args.directory)
    try:
        report = build(root, progress=not args.quiet, build_dir=Path(args.build_dir) if args.build_dir else None)
    except CliError as exc:
        if args.format == "github":  # the run's page shows why the job failed, not only its log
            out(formats.workflow_command("error", f"talkbase check: {exc}", title="talkbase check"))
        raise
    strict: bool = args.strict
    if args.format == "json":
        text = json.dumps(as_json(report, strict=strict), indent=2, ensure_ascii=False)
    elif args.format == "text":
        text = text_summary(report, strict=strict)
    else:
        text = formats.WRITERS[args.format](report, strict=strict)
    if args.output:
        write_atomic(Path(args.output), text + "\n")
        out(text_summary(report, strict=strict))
    else:
        out(text)
    return Exit.PROBLEMS if report.failed(strict=strict) else Exit.OK

"""The CI formats of ``talkbase check``: GitHub workflow commands, GitLab Code Quality, JUnit XML.

Runs after the build, on the :class:`~talkbase.cli.check.Report`: every build
warning and every notice becomes one :class:`Problem` with its check name
(``talkbase.unknown-ref``, ``myst.xref_missing``, ``sphinx`` for a warning
without type, ``check.<notice>`` for orphans and missing fields), its file
relative to the repository root and its line. Each writer escapes for its own
format only.

How a problem counts, in every format:

=================================  ==========  ========  ==========
problem                            GitHub      GitLab    JUnit
=================================  ==========  ========  ==========
Sphinx ERROR or CRITICAL record    ``error``   critical  failure
Sphinx WARNING record              ``warning`` major     failure
notice (with ``--strict``)         ``warning`` minor     failure
notice                             ``notice``  info      system-out
=================================  ==========  ========  ==========

A build warning fails the check (``-W``): GitHub then gets one more ``error``
saying so, so the red check explains itself next to the located warnings.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from talkbase.warnings import WARNING_TYPE, Subtype

if TYPE_CHECKING:
    from collections.abc import Callable

    from talkbase.cli.check import Report
    from talkbase.cli.records import Message

Severity = Literal["error", "warning", "notice"]

#: Checks that are notices (not build warnings), in the order of the text summary.
NOTICE_CHECKS = (
    "check.speaker-without-talks",
    "check.term-never-used",
    "check.talk-without-event",
    "check.missing-fields",
)
#: The check name of a build warning that has no type.
UNTYPED = "sphinx"
#: Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Problem:
    check: str
    message: str
    file: str
    line: int | None
    severity: Severity
    #: Whether this problem makes ``talkbase check`` exit with 1.
    fails: bool

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file and self.line else self.file


def repository_root(project: Path) -> Path:
    """The git work tree holding ``project`` (a ``.git`` directory or file above it), else ``project``."""
    for directory in (project, *project.parents):
        if (directory / ".git").exists():
            return directory
    return project


def problems(report: Report, *, strict: bool) -> list[Problem]:
    """Every problem of the report, sorted by file and line (stable across ``-j`` runs)."""

    def of(message: Message, severity: Severity, *, fails: bool) -> Problem:
        return Problem(message.type or UNTYPED, message.message, message.file, message.line, severity, fails)

    found = [
        of(m, "error" if m.level in {"ERROR", "CRITICAL"} else "warning", fails=True)
        for m in (*report.broken_references, *report.other_errors)
    ]
    found += [of(m, "warning" if strict else "notice", fails=strict) for m in report.notice_messages]
    return sorted(found, key=lambda p: (p.file, p.line or 0, p.check, p.message))


# -- GitHub Actions workflow commands ------------------------------------------------------


def escape_data(text: str) -> str:
    """The message of a workflow command (GitHub's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value of a workflow command (GitHub's ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value)
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def github(report: Report, *, strict: bool) -> str:
    """One annotation per problem, then the summary folded in a log group."""
    from talkbase.cli.check import text_summary  # noqa: PLC0415 (check imports this module)

    found = problems(report, strict=strict)
    lines = [
        workflow_command(p.severity, p.message, file=p.file, line=p.line, title=p.check)
        for p in found
    ]
    failing = [p for p in found if p.fails]
    if failing:
        lines.append(
            workflow_command(
                "error",
                f"{len(failing)} problem(s) fail the build (every warning is an error, as with sphinx-build -W)",
                title="talkbase check",
            )
        )
    lines += ["::group::talkbase check summary", text_summary(report, strict=strict), "::endgroup::"]
    return "\n".join(lines)


# -- GitLab Code Quality -------------------------------------------------------------------


def fingerprint(problem: Problem, occurrence: int) -> str:
    """Stable across commits: check, file and message, not the line (which moves with every edit above)."""
    key = "\0".join((problem.check, problem.file, problem.message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def code_quality_severity(problem: Problem) -> str:
    if problem.check in NOTICE_CHECKS:
        return "minor" if problem.fails else "info"
    return "critical" if problem.severity == "error" else "major"


def gitlab(report: Report, *, strict: bool) -> str:
    """A Code Quality report: a JSON array of issues (GitLab shows them on the merge request)."""
    conf = Path(report.project, "conf.py").resolve()
    fallback = conf.relative_to(report.base).as_posix() if conf.is_relative_to(report.base) else str(conf)
    seen: dict[tuple[str, str, str], int] = {}
    issues = []
    for problem in problems(report, strict=strict):
        key = (problem.check, problem.file, problem.message)
        seen[key] = seen.get(key, 0) + 1
        issues.append(
            {
                "type": "issue",
                "check_name": problem.check,
                "description": problem.message,
                "fingerprint": fingerprint(problem, seen[key]),
                "severity": code_quality_severity(problem),
                # A warning without a file is the project's: GitLab needs a path, conf.py is the project.
                "location": {"path": problem.file or fallback, "lines": {"begin": problem.line or 1}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False)


# -- JUnit XML -----------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit(report: Report, *, strict: bool) -> str:
    """One test case per check (every talkbase warning subtype, every other type seen, the notices).

    A test case fails with one ``<failure>`` per problem; a notice without
    ``--strict`` passes and lists its problems in ``<system-out>``.
    """
    found = problems(report, strict=strict)
    checks = [f"{WARNING_TYPE}.{subtype.value}" for subtype in Subtype]
    others = sorted({p.check for p in found} - set(checks) - set(NOTICE_CHECKS) - {UNTYPED})
    checks += [UNTYPED, *others, *NOTICE_CHECKS]

    suite = ET.Element("testsuite", name="talkbase check", time=f"{report.seconds:.2f}")
    failures = 0
    for check in checks:
        case = ET.SubElement(suite, "testcase", classname="talkbase.check", name=check, time="0")
        mine = [p for p in found if p.check == check]
        for problem in (p for p in mine if p.fails):
            failures += 1
            text = _xml_text(f"{problem.where}: {problem.message}" if problem.where else problem.message)
            failure = ET.SubElement(case, "failure", message=text.split("\n", 1)[0], type=check)
            failure.text = text
        passed = [p for p in mine if not p.fails]
        if passed:
            ET.SubElement(case, "system-out").text = _xml_text("\n".join(f"{p.where}: {p.message}" for p in passed))
    suite.set("tests", str(len(checks)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element(
        "testsuites", name="talkbase check", tests=str(len(checks)), failures=str(failures), errors="0"
    )
    root.set("time", suite.get("time", "0"))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


WRITERS: dict[str, Callable[..., str]] = {"github": github, "gitlab": gitlab, "junit": junit}

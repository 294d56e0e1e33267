"""``talkbase check --format github|gitlab|junit``, each parsed by a real reader.

The project (``tests/roots/test-cli-check-problems``) has every kind of
problem: unknown references (MyST, an rST page, an included file, a file name
that needs escaping), a duplicate id, a bad date, a bad URL, a missing option,
Sphinx's and docutils' own warnings, and notices. It lives in ``docs/`` of a git
work tree, so every path must be relative to the repository root.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from junitparser import Failure, JUnitXml
from tests.conftest import ROOTS, talkbase

from talkbase.cli.report import escape_data, escape_property

if TYPE_CHECKING:
    from pathlib import Path

DOCUTILS_ERROR = 'Unknown directive type "no-such-directive".\n\n.. no-such-directive:: here'

#: (check, file from the repository root, line, GitHub command, words of the message)
PROBLEMS = [
    ("sphinx", "", 0, "warning", "The config value `html_short_title' has type `int'"),  # no location, no type
    ("talkbase.unknown-ref", "docs/talks.md", 8, "warning", "'ghost'"),
    ("talkbase.unknown-ref", "docs/reference.rst", 4, "warning", "'no-such-talk'"),  # an rST page
    ("talkbase.unknown-ref", "docs/parts/shared.md", 3, "warning", "'nobody-here'"),  # an included file
    ("talkbase.unknown-ref", "docs/notes, 100%.md", 3, "warning", "'lost:talk'"),  # `,` `%` `:` to escape
    ("talkbase.duplicate-id", "docs/people.md", 7, "warning", "'ada'"),
    ("talkbase.bad-date", "docs/talks.md", 3, "warning", "2024-02-30"),
    ("talkbase.bad-url", "docs/talks.md", 8, "warning", "'javascript:alert(1)'"),
    ("talkbase.missing-option", "docs/talks.md", 15, "warning", ":speakers:"),
    ("ref.doc", "docs/talks.md", 21, "warning", "'no-such-page'"),  # Sphinx's own warning
    ("docutils", "docs/reference.rst", 6, "error", DOCUTILS_ERROR),  # an ERROR record, two lines
    ("check.speaker-without-talks", "docs/people.md", 11, "notice", "'lonely'"),
    ("check.missing-fields", "docs/talks.md", 8, "notice", "no date and no slides"),
    ("check.missing-fields", "docs/talks.md", 15, "notice", "no slides"),
]
FAILING = [p for p in PROBLEMS if p[3] != "notice"]

#: A workflow command: ``::command key=value,key=value::message`` (properties cannot hold ``:``).
WORKFLOW_COMMAND = re.compile(r"^::(?P<command>[a-z-]+)(?: (?P<properties>[^:]*))?::(?P<data>.*)$")


def unescape(text: str) -> str:
    """The runner's reading of an escaped value (``%25`` last, so ``%253A`` stays ``%3A``)."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse_workflow_commands(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in stdout.splitlines():
        if line.startswith("::"):
            match = WORKFLOW_COMMAND.match(line)
            assert match, line
            pairs = (pair.split("=", 1) for pair in (match["properties"] or "").split(",") if pair)
            properties = {key: unescape(value) for key, value in pairs}
            commands.append((match["command"], properties, unescape(match["data"])))
    return commands


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree with the knowledge base in ``docs/``."""
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    shutil.copytree(ROOTS / "test-cli-check-problems", tmp_path / "repo" / "docs")
    return tmp_path / "repo"


def test_escaping_round_trips() -> None:
    tricky = "100% done,\r\nsee: a::b"
    assert unescape(escape_data(tricky)) == tricky
    assert unescape(escape_property(tricky)) == tricky
    assert ":" not in escape_property(tricky)
    assert "," not in escape_property(tricky)
    assert "\n" not in escape_data(tricky)


def test_github_annotations(repo: Path) -> None:
    result = talkbase("check", repo / "docs", "--format", "github", "-q")
    assert result.returncode == 1
    raw = [line for line in result.stdout.splitlines() if "notes" in line and line.startswith("::warning")]
    assert raw == [
        "::warning file=docs/notes%2C 100%25.md,line=3,title=talkbase.unknown-ref"
        "::{talk} names no talk with id 'lost:talk'"
    ]
    commands = parse_workflow_commands(result.stdout)
    assert commands[-2:] == [("group", {}, "talkbase check summary"), ("endgroup", {}, "")]
    *located, summary = commands[:-2]
    found = sorted(
        (props["title"], props.get("file", ""), int(props.get("line", 0)), command) for command, props, _ in located
    )
    assert found == sorted((check, file, line, command) for check, file, line, command, _ in PROBLEMS)
    for check, file, line, _command, words in PROBLEMS:
        assert any(
            p.get("title") == check
            and p.get("file", "") == file
            and p.get("line", "0") == str(line)
            and words in message
            for _, p, message in located
        ), (check, file, line, words)
    assert any(message == DOCUTILS_ERROR for _, _, message in located)  # %0A decoded back to newlines
    assert summary[0] == "error"
    assert summary[1] == {"title": "talkbase check"}
    assert summary[2].startswith(f"{len(FAILING)} problem(s) fail the build")
    # The summary is the log's text, folded in the group.
    assert "result: FAILED (11 error(s), 3 notice(s))" in result.stdout


def test_gitlab_code_quality(repo: Path) -> None:
    report = repo / "gl-code-quality-report.json"
    result = talkbase("check", repo / "docs", "--format", "gitlab", "--output", report, "-q")
    assert result.returncode == 1
    assert "result: FAILED (11 error(s), 3 notice(s))" in result.stdout  # the log keeps the text summary
    issues = json.loads(report.read_text(encoding="utf-8"))
    for issue in issues:
        assert isinstance(issue["description"], str)
        assert issue["description"]
        assert isinstance(issue["check_name"], str)
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert (repo / issue["location"]["path"]).is_file()  # relative to the repository root
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    severity = {"warning": "major", "error": "critical", "notice": "info"}
    found = sorted(
        (i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"], i["severity"]) for i in issues
    )
    # A problem without location is the project's: conf.py, line 1 (GitLab needs a path).
    assert found == sorted(
        (check, file or "docs/conf.py", line or 1, severity[kind]) for check, file, line, kind, _ in PROBLEMS
    )

    # Fingerprints follow a problem, not its line: two lines added above move every line of talks.md.
    talks = repo / "docs" / "talks.md"
    talks.write_text(talks.read_text(encoding="utf-8").replace("# Talks\n", "# Talks\n\nAn intro.\n"), "utf-8")
    assert talkbase("check", repo / "docs", "--format", "gitlab", "--output", report, "-q").returncode == 1
    moved = json.loads(report.read_text(encoding="utf-8"))
    assert {i["fingerprint"] for i in moved} == {i["fingerprint"] for i in issues}
    lines = {i["fingerprint"]: i["location"]["lines"]["begin"] for i in moved}
    for issue in issues:
        shift = 2 if issue["location"]["path"] == "docs/talks.md" else 0
        assert lines[issue["fingerprint"]] == issue["location"]["lines"]["begin"] + shift


def test_junit(repo: Path) -> None:
    report = repo / "report.xml"
    result = talkbase("check", repo / "docs", "--format", "junit", "--output", report, "-q")
    assert result.returncode == 1
    xml = JUnitXml.fromfile(str(report))
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    cases = list(suite)
    # JUnit's required attributes, and counts that agree with the test cases.
    assert suite.name == "talkbase check"
    assert suite.tests == len(cases)
    assert suite.failures == len(FAILING)
    assert suite.errors == 0
    for case in cases:
        assert case.name
        assert case.classname == "talkbase.check"
    names = [case.name for case in cases]
    assert len(names) == len(set(names))  # one test case per check
    assert {"talkbase.unknown-ref", "talkbase.wrong-type", "sphinx", "ref.doc", "docutils"} <= set(names)
    failures = {
        case.name: [r for r in case.result if isinstance(r, Failure)] for case in cases if not case.is_passed
    }
    expected: dict[str, list[str]] = {}
    for check, file, line, _, words in FAILING:
        expected.setdefault(check, []).append(f"{file}:{line}: " if file else words)
    assert {name: len(f) for name, f in failures.items()} == {name: len(w) for name, w in expected.items()}
    for name, wheres in expected.items():
        texts = [f.text for f in failures[name]]
        for where in wheres:
            assert any(text.startswith(where) for text in texts), (name, where, texts)
    assert any(f.text.endswith(DOCUTILS_ERROR) for f in failures["docutils"])
    assert all(f.type == name for name, fs in failures.items() for f in fs)
    # Notices pass and say what they found, unless --strict.
    notices = {case.name: case for case in cases if case.name.startswith("check.")}
    assert all(case.is_passed for case in notices.values())
    lonely = notices["check.speaker-without-talks"].system_out or ""
    assert "docs/people.md:11: speaker 'lonely' gives no talk" in lonely

    assert talkbase("check", repo / "docs", "--format", "junit", "--output", report, "-q", "--strict").returncode == 1
    strict = {case.name: case for case in next(iter(JUnitXml.fromfile(str(report))))}
    assert len(strict["check.missing-fields"].result) == 2
    assert not strict["check.speaker-without-talks"].is_passed
    assert strict["check.term-never-used"].is_passed


def test_suppressed_warnings_are_not_reported(repo: Path) -> None:
    """The records are read after Sphinx's own filters: suppress_warnings silences them in every format."""
    conf = repo / "docs" / "conf.py"
    suppress = 'suppress_warnings = ["ref.doc", "talkbase.bad-date"]\n'
    conf.write_text(conf.read_text(encoding="utf-8") + suppress, "utf-8")
    result = talkbase("check", repo / "docs", "--format", "github", "-q")
    titles = {props.get("title") for _, props, _ in parse_workflow_commands(result.stdout)}
    assert "talkbase.unknown-ref" in titles
    assert "ref.doc" not in titles
    assert "talkbase.bad-date" not in titles

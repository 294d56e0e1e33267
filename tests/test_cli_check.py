"""``talkbase check``: a clean project, a project with problems (JSON parsed), and usage errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from tests.conftest import talkbase

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    result = talkbase("new", root)
    assert result.returncode == 0, result.stderr
    return root


def test_check_a_new_project(project: Path) -> None:
    result = talkbase("check", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "objects: 1 events, 1 talks, 1 speakers, 1 recommendations, 1 terms" in result.stdout
    assert "broken references: 0" in result.stdout
    assert "result: OK (0 error(s), 0 notice(s))" in result.stdout
    # Progress of the build goes to stderr, never into the summary.
    assert "reading sources: 100%" in result.stderr
    assert "writing output: 100%" in result.stderr
    assert "reading sources" not in result.stdout


def test_check_reports_problems_as_json(project: Path) -> None:
    talk = project / "talks" / "example-talk.md"
    text = talk.read_text(encoding="utf-8")
    text = text.replace(":speakers: ada-martin\n", ":speakers: ada-martin, bob-nobody\n")
    text = text.replace(":event: docs-day-2024\n", "")
    text = text.replace(":slides: https://example.org/docs-day-2024/remote-work-slides.pdf\n", "")
    text = text.replace("{term}`proxemics`", "{term}`proxemie-inconnue`")
    talk.write_text(text, encoding="utf-8")
    (project / "speakers" / "lonely.md").write_text(
        "# Lone Speaker\n\n```{speaker} Lone Speaker\n```\n", encoding="utf-8"
    )
    result = talkbase("check", project, "--format", "json", "--quiet")
    assert result.returncode == 1
    assert result.stderr == ""  # --quiet: no progress
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["counts"] == {"event": 1, "talk": 1, "speaker": 2, "rec": 1, "term": 1}
    broken = {(m["type"], m["file"]) for m in report["broken_references"]}
    assert broken == {
        ("talkbase.unknown-ref", "talks/example-talk.md"),
        ("talkbase.unknown-term", "talks/example-talk.md"),
    }
    unknown = next(m for m in report["broken_references"] if m["type"] == "talkbase.unknown-ref")
    assert "bob-nobody" in unknown["message"]
    assert isinstance(unknown["line"], int)
    assert report["speakers_without_talks"] == ["lone-speaker"]
    assert report["terms_never_used"] == ["proxemics"]
    assert report["talks_without_event"] == ["example-talk"]
    assert report["missing_fields"] == {"example-talk": ["date", "slides"]}
    assert report["errors"] == 2
    assert report["notices"] == 4

    text_result = talkbase("check", project, "-q")
    assert text_result.returncode == 1
    assert "broken references: 2" in text_result.stdout
    assert "speakers without talks: 1\n  lone-speaker" in text_result.stdout
    assert "  example-talk: date, slides" in text_result.stdout
    assert "result: FAILED (2 error(s), 4 notice(s))" in text_result.stdout


def test_strict_makes_notices_errors(tmp_path: Path, project: Path) -> None:
    (project / "speakers" / "lonely.md").write_text("# Lone\n\n```{speaker} Lone\n```\n", encoding="utf-8")
    assert talkbase("check", project, "-q").returncode == 0
    strict = talkbase("check", project, "-q", "--strict", "--format", "json")
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["ok"] is False


def test_check_outside_a_project(tmp_path: Path) -> None:
    result = talkbase("check", cwd=tmp_path)
    assert result.returncode == 3
    assert "no conf.py" in result.stderr
    assert result.stdout == ""


def test_check_a_broken_conf(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("extensions = ['no_such_extension_here']\n", encoding="utf-8")
    result = talkbase("check", tmp_path, "-q")
    assert result.returncode == 4
    assert "the build failed" in result.stderr
    assert "no_such_extension_here" in result.stderr
    github = talkbase("check", tmp_path, "-q", "--format", "github")
    assert github.returncode == 4
    assert github.stdout.startswith("::error title=talkbase check::talkbase check: the build failed")


def test_check_usage_error() -> None:
    result = talkbase("check", "--format", "yaml")
    assert result.returncode == 2
    assert "invalid choice: 'yaml'" in result.stderr

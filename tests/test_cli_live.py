"""``talkbase live``: help, the sphinx-autobuild command line, the missing-dependency message."""

from __future__ import annotations

import importlib.util
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from talkbase.cli import live, main

INSTALLED = importlib.util.find_spec("sphinx_autobuild") is not None


def talkbase(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("talkbase")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "talkbase.cli"]
    return subprocess.run(
        [*command, *map(str, args)], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    return tmp_path


def test_help() -> None:
    result = talkbase("live", "--help")
    assert result.returncode == 0
    assert "sphinx-autobuild" in result.stdout
    assert "sphinx-talkbase[live]" in result.stdout
    for option in ("--port", "--host", "--open-browser", "--dry-run"):
        assert option in result.stdout


def test_dry_run_prints_the_command(project: Path) -> None:
    result = talkbase("live", project, "--port", "8123", "--open-browser", "--dry-run")
    assert result.returncode == 0, result.stderr
    argv = shlex.split(result.stdout)
    assert argv[1:4] == ["-m", "sphinx_autobuild", str(project.resolve())]
    assert argv[4] == str(project.resolve() / "_build" / "html")
    assert argv[5:] == ["--host", "127.0.0.1", "--port", "8123", "--open-browser"]
    if INSTALLED:  # the command line is one sphinx-autobuild accepts
        check = subprocess.run([*argv[:3], "--help"], capture_output=True, text=True, check=False)
        assert check.returncode == 0
        for option in ("--host", "--port", "--open-browser"):
            assert option in check.stdout


@pytest.mark.skipif(INSTALLED, reason="sphinx-autobuild is installed: the real command would start a server")
def test_missing_dependency_subprocess(project: Path) -> None:
    result = talkbase("live", project)
    assert result.returncode == 4
    assert "pip install 'sphinx-talkbase[live]'" in result.stderr


def test_missing_dependency_message(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(live, "available", lambda: False)
    assert main(["live", str(project)]) == 4
    captured = capsys.readouterr()
    assert captured.err.startswith("talkbase live: error: sphinx-autobuild is not installed")
    assert "pip install 'sphinx-talkbase[live]'" in captured.err


def test_live_outside_a_project(tmp_path: Path) -> None:
    result = talkbase("live", tmp_path / "nowhere", "--dry-run")
    assert result.returncode == 3
    assert "no such directory" in result.stderr

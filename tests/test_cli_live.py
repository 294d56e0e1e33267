"""``talkbase live``: help, the sphinx-autobuild command line, the missing-dependency message."""

from __future__ import annotations

import shlex
import socket
import subprocess
import time
import urllib.request
from typing import TYPE_CHECKING

import pytest
from tests.conftest import talkbase, talkbase_command

from talkbase.cli import live, main

if TYPE_CHECKING:
    from pathlib import Path


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
    # The command line is one sphinx-autobuild (a test dependency) accepts.
    check = subprocess.run([*argv[:3], "--help"], capture_output=True, text=True, check=False)
    assert check.returncode == 0
    for option in ("--host", "--port", "--open-browser"):
        assert option in check.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_live_serves_the_project_with_reload(tmp_path: Path) -> None:
    """The real sphinx-autobuild (the `live` extra, installed for the tests): the page is
    served on 127.0.0.1 with its reload script, and an edit is rebuilt and served."""
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "talkbase"]\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("# Live\n\nfirst version\n", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [*talkbase_command(), "live", str(tmp_path), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{port}/index.html", "first version")
        assert "websocket" in page.lower() or "autobuild" in page.lower()
        (tmp_path / "index.md").write_text("# Live\n\nsecond version\n", encoding="utf-8")
        wait_for(f"http://127.0.0.1:{port}/index.html", "second version")
    finally:
        server.terminate()
        server.wait(timeout=20)


def wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page = str(response.read().decode("utf-8"))
            if text in page:
                return page
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not show {text!r} within {timeout} s")
        time.sleep(0.5)


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

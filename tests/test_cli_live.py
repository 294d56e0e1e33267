"""``talkbase live``: help, the sphinx-autobuild command line, the missing-dependency message,
and that stopping talkbase stops sphinx-autobuild (no server left behind)."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from tests.conftest import talkbase, talkbase_command

from talkbase.cli import live, main


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
    server = start_live(tmp_path, port)
    groups = {server.pid}
    try:
        page = wait_for(f"http://127.0.0.1:{port}/index.html", "first version")
        groups |= {process_group(pid) for pid in descendants(server.pid)}
        assert "websocket" in page.lower() or "autobuild" in page.lower()
        (tmp_path / "index.md").write_text("# Live\n\nsecond version\n", encoding="utf-8")
        wait_for(f"http://127.0.0.1:{port}/index.html", "second version")
    finally:
        kill_groups(server, groups)


def test_sigterm_stops_sphinx_autobuild_too(tmp_path: Path) -> None:
    """SIGTERM to the talkbase process alone (as a process manager sends it) stops the
    sphinx-autobuild it started and every process of that server: none is left and the
    port is free again."""
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "talkbase"]\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("# Live\n\nserved\n", encoding="utf-8")
    port = free_port()
    server = start_live(tmp_path, port)
    groups = {server.pid}
    try:
        wait_for(f"http://127.0.0.1:{port}/index.html", "served")
        children = descendants(server.pid)
        assert children, "talkbase live runs sphinx-autobuild as a child process"
        groups |= {process_group(pid) for pid in children}
        os.kill(server.pid, signal.SIGTERM)  # the talkbase process only, not its group
        code = server.wait(timeout=30)
        deadline = time.monotonic() + 30
        while (left := [pid for pid in children if alive(pid)]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert left == [], f"still running after SIGTERM: {[command_of(pid) for pid in left]}"
        assert [pid for pid in all_pids() if alive(pid) and process_group(pid) in groups] == []
        with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        with socket.socket() as sock:
            # SO_REUSEADDR: the test's own closed connections may linger in TIME_WAIT;
            # the bind still fails while any socket listens on the port.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
        assert code == 0  # asked to stop: not an error
    finally:
        kill_groups(server, groups)


def start_live(project: Path, port: int) -> subprocess.Popen[bytes]:
    """``talkbase live`` in a process group of its own, so that the test can always end it."""
    return subprocess.Popen(
        [*talkbase_command(), "live", str(project), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        process_group=0,
    )


def kill_groups(server: subprocess.Popen[bytes], groups: set[int]) -> None:
    """Whatever happened, no process of the test is left: SIGKILL every group it saw."""
    groups |= {process_group(pid) for pid in descendants(server.pid)} - {-1}
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    server.wait(timeout=20)


def all_pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def stat_fields(pid: int) -> list[str]:
    """Fields of ``/proc/PID/stat`` after the command name: state, ppid, pgrp, …"""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return []
    return text.rpartition(")")[2].split()


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped (a container's pid 1 may never reap)."""
    fields = stat_fields(pid)
    return bool(fields) and fields[0] not in {"Z", "X"}


def process_group(pid: int) -> int:
    fields = stat_fields(pid)
    return int(fields[2]) if fields else -1


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "?"


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (read from /proc, so no extra test dependency)."""
    parents = {child: int(fields[1]) for child in all_pids() if (fields := stat_fields(child))}
    found: list[int] = []
    wanted = {pid}
    while True:
        new = [child for child, parent in parents.items() if parent in wanted and child not in found]
        if not new:
            return found
        found += new
        wanted = set(new)


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

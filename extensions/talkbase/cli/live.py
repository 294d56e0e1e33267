"""``talkbase live [DIR]``: a live preview with sphinx-autobuild.

sphinx-autobuild (the ``live`` extra: ``pip install 'sphinx-talkbase[live]'``)
serves the HTML, rebuilds the pages that changed on every save and reloads the
browser. This module builds its command line and supervises it: sphinx-autobuild
runs in a process group of its own, and whatever stops ``talkbase live``
(Ctrl+C, SIGTERM from a process manager or a test, SIGHUP when the terminal
closes) stops that whole group, so no server or half-finished sphinx-build is
left behind.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from talkbase.cli.common import CliError, Exit, find_project, note, out

if TYPE_CHECKING:
    from argparse import _SubParsersAction
    from pathlib import Path
    from types import FrameType

HELP = "preview in the browser, rebuilt and reloaded on save (sphinx-autobuild)"
DESCRIPTION = """\
Serve the knowledge base in DIR (default: the current directory) at
http://HOST:PORT/, rebuild what changed whenever a file is saved and reload
the page in the browser. Stop with Ctrl+C (or SIGTERM): the server and any
build it started stop with it.

Needs sphinx-autobuild: pip install 'sphinx-talkbase[live]'.
"""
INSTALL_HINT = "sphinx-autobuild is not installed; install it with: pip install 'sphinx-talkbase[live]'"


def add_parser(subparsers: _SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "live", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", metavar="DIR", nargs="?", help="the knowledge base (default: .)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free one)")
    parser.add_argument("--open-browser", action="store_true", help="open the page in a browser")
    parser.add_argument("--dry-run", action="store_true", help="print the command that would run, run nothing")
    parser.set_defaults(run=run)


def command(root: Path, *, host: str, port: int, open_browser: bool) -> list[str]:
    """The sphinx-autobuild command line for the project in ``root``."""
    outdir = root / "_build" / "html"
    args = [sys.executable, "-m", "sphinx_autobuild", str(root), str(outdir), "--host", host, "--port", str(port)]
    if open_browser:
        args.append("--open-browser")
    return args


def available() -> bool:
    return importlib.util.find_spec("sphinx_autobuild") is not None


def run(args: argparse.Namespace) -> int:
    root = find_project(args.directory)
    argv = command(root, host=args.host, port=args.port, open_browser=args.open_browser)
    if args.dry_run:
        out(shlex.join(argv))
        if not available():
            note(f"note: {INSTALL_HINT}")
        return Exit.OK
    if not available():
        raise CliError(INSTALL_HINT, Exit.ENVIRONMENT)
    return supervise(argv, root)


#: The signals that stop ``talkbase live``; each is passed on to sphinx-autobuild's group.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP) if os.name == "posix" else ()
#: How long sphinx-autobuild and its builds get to stop before they are killed.
GRACE_SECONDS = 10.0


def supervise(argv: list[str], cwd: Path) -> int:
    """Run ``argv`` in a new process group and stop the whole group with talkbase.

    A plain ``subprocess.call`` left sphinx-autobuild serving when talkbase got
    SIGTERM (only Ctrl+C reached both, through the terminal's process group).
    Here the stop signal is forwarded to the child's group, and once the child
    has exited any process still in its group (a sphinx-build it was running) is
    terminated, then killed after :data:`GRACE_SECONDS`.  Returns the child's exit
    code, or 0 when talkbase was asked to stop.
    """
    if not STOP_SIGNALS:  # Windows: no process groups to manage; Ctrl+C reaches both.
        try:
            return subprocess.call(argv, cwd=cwd)
        except KeyboardInterrupt:
            return Exit.OK
    received: list[int] = []
    group: list[int] = []

    def forward(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        if group:
            _signal_group(group[0], signum)

    # Handlers first: a signal that arrives while the child starts is remembered, not lost.
    previous = {signum: signal.signal(signum, forward) for signum in STOP_SIGNALS}
    try:
        child = subprocess.Popen(argv, cwd=cwd, process_group=0)
        group.append(child.pid)
        if received:
            _signal_group(child.pid, received[0])
        code = child.wait()
        _stop_group(child.pid)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return Exit.OK if received else code


def _signal_group(pgid: int, signum: int) -> bool:
    """Send ``signum`` to process group ``pgid``; False when the group is empty."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    return True


def _stop_group(pgid: int) -> None:
    """Terminate what is left in the group, and kill it after the grace period."""
    if not _signal_group(pgid, signal.SIGTERM):
        return
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if not _signal_group(pgid, 0):
            return
    _signal_group(pgid, signal.SIGKILL)

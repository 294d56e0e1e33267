"""``talkbase live [DIR]``: a live preview with sphinx-autobuild.

sphinx-autobuild (the ``live`` extra: ``pip install 'sphinx-talkbase[live]'``)
serves the HTML, rebuilds the pages that changed on every save and reloads the
browser. This module only builds its command line and runs it.
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import subprocess
import sys
from typing import TYPE_CHECKING

from talkbase.cli.common import CliError, Exit, find_project, note, out

if TYPE_CHECKING:
    from argparse import _SubParsersAction
    from pathlib import Path

HELP = "preview in the browser, rebuilt and reloaded on save (sphinx-autobuild)"
DESCRIPTION = """\
Serve the knowledge base in DIR (default: the current directory) at
http://HOST:PORT/, rebuild what changed whenever a file is saved and reload
the page in the browser. Stop with Ctrl+C.

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
    try:
        return subprocess.call(argv, cwd=root)
    except KeyboardInterrupt:
        return Exit.OK

"""The ``talkbase`` command: ``new``, ``import``, ``check`` and ``live``.

Each subcommand is a module with ``add_parser(subparsers)`` and
``run(args) -> int``; :func:`main` parses the command line, runs the subcommand
and turns :class:`~talkbase.cli.common.CliError` into a message on stderr and
an exit code (see :class:`~talkbase.cli.common.Exit`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from talkbase import __version__
from talkbase.cli.common import CliError, Exit, error

__all__ = ["Exit", "build_parser", "main"]

if TYPE_CHECKING:
    from collections.abc import Sequence

DESCRIPTION = """\
Start, fill, check and preview a talkbase knowledge base.

  talkbase new DIR             create a ready-to-build knowledge base
  talkbase import FILE         turn a conference programme (schedule.json/xml) into pages
  talkbase check [DIR]         build quietly and summarise objects and problems
  talkbase live [DIR]          preview in the browser, rebuilt on save
"""

EPILOG = """\
exit codes: 0 ok, 1 problems found (check), 2 usage error,
3 input error (bad programme, not a project, non-empty directory),
4 missing dependency or crash.
Run `talkbase COMMAND --help` for the options of a command.
"""


def build_parser() -> argparse.ArgumentParser:
    from talkbase.cli import check, importer, live, new  # noqa: PLC0415 (keep --version fast)

    parser = argparse.ArgumentParser(
        prog="talkbase",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"talkbase {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (new, importer, check, live):
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``talkbase`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CliError as exc:
        error(args.command, str(exc))
        return int(exc.code)
    except KeyboardInterrupt:
        error(args.command, "interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())

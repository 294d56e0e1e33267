"""What every subcommand shares: exit codes, errors, progress on stderr, atomic writes."""

from __future__ import annotations

import gettext
import os
import sys
import tempfile
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable

#: talkbase's message catalogues, the ones the extension gives Sphinx.
LOCALE = Path(__file__).parent.parent / "locale"


class Exit(IntEnum):
    """Exit codes of ``talkbase`` (documented in docs/cli/index.md)."""

    OK = 0
    #: ``check`` found errors (warnings of the build, broken references).
    PROBLEMS = 1
    #: Bad command line (argparse uses 2 as well).
    USAGE = 2
    #: Bad input: unreadable or invalid programme, not a project, non-empty target…
    INPUT = 3
    #: Something the command needs is missing (an optional dependency) or crashed.
    ENVIRONMENT = 4


class CliError(Exception):
    """An error shown to the user as ``talkbase <command>: error: <message>``."""

    def __init__(self, message: str, code: Exit = Exit.INPUT) -> None:
        super().__init__(message)
        self.code = code


def error(command: str, message: str, stream: TextIO | None = None) -> None:
    """Print an error on stderr, prefixed with the command."""
    print(f"talkbase {command}: error: {message}", file=stream or sys.stderr)


def note(message: str) -> None:
    """Progress and remarks: on stderr, so stdout stays the command's result."""
    print(message, file=sys.stderr, flush=True)  # noqa: T201


def out(message: str = "") -> None:
    """The command's result, on stdout."""
    print(message, flush=True)  # noqa: T201


class Progress:
    """``label: 40% (400/1000)`` lines on stderr at every tenth of the way.

    Silent for fewer than ``minimum`` items, so small runs stay quiet.
    """

    def __init__(self, label: str, total: int, *, minimum: int = 50, enabled: bool = True) -> None:
        self.label = label
        self.total = total
        self.enabled = enabled and total >= minimum
        self._shown = -1

    def step(self, done: int) -> None:
        if not self.enabled or self.total <= 0:
            return
        tenth = done * 10 // self.total
        if tenth > self._shown:
            self._shown = tenth
            note(f"{self.label}: {tenth * 10}% ({done}/{self.total})")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` newlines) so that ``path`` is never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def find_project(directory: str | None) -> Path:
    """The Sphinx project in ``directory`` (default: the current one), or a CliError."""
    root = Path(directory or ".").resolve()
    if not root.is_dir():
        msg = f"{root}: no such directory"
        raise CliError(msg)
    if not (root / "conf.py").is_file():
        msg = f"{root}: no conf.py here; create a knowledge base with `talkbase new DIR` or give its directory"
        raise CliError(msg)
    return root


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` of talkbase's catalogue for ``language`` (``fr``, ``fr-CA``, ``pt_BR``).

    What the commands write into a project (headings, labels, example pages)
    is in the project's language when talkbase ships a catalogue for it, the
    same catalogue Sphinx uses for talkbase's labels; English otherwise.
    """
    code = language.replace("-", "_")
    return gettext.translation("talkbase", str(LOCALE), languages=[code] if code else [], fallback=True).gettext

"""Sphinx's warnings as records, for ``talkbase check``: while Sphinx runs in this process.

:func:`recording` puts a :class:`WarningRecorder` at the end of the filters of
Sphinx's own warning handler, so the check reads each warning's level, type,
subtype and location from the log record itself (never from console text),
and exactly the warnings Sphinx prints.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.application import Sphinx


@dataclass(slots=True)
class Message:
    """One problem: a warning of the build, or a notice found in the domain's index."""

    message: str
    #: ``type.subtype`` of the Sphinx log record (``talkbase.unknown-ref``), or a notice's check name.
    type: str = ""
    #: Relative to the repository root when inside it, else as Sphinx gave it.
    file: str = ""
    line: int | None = None
    #: The record's level (WARNING, ERROR, CRITICAL), or NOTICE.
    level: str = "WARNING"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        kind = f" [{self.type}]" if self.type else ""
        return f"{where}{self.message}{kind}"


class WarningRecorder(logging.Filter):
    """The last filter of Sphinx's own warning handler: records each warning it lets through.

    Runs for every warning of the build, from the application's creation on
    (config checks) to the end (``-j`` workers' records are replayed through
    the same handler). Being last, it sees the records Sphinx prints: after
    ``suppress_warnings`` and ``once``, with ``record.location`` already turned
    by ``WarningLogRecordTranslator`` into ``path:line`` (a docname into its
    file, a node into its source and line: the included file for an include).
    """

    def __init__(self, app: Sphinx, base: Path, messages: list[Message]) -> None:
        super().__init__()
        self.app = app
        self.base = base
        self.messages = messages

    def filter(self, record: logging.LogRecord) -> bool:
        kind = ".".join(part for part in (getattr(record, "type", ""), getattr(record, "subtype", "")) if part)
        # The base class's message, without the location prefix SphinxLogRecord adds.
        text = logging.LogRecord.getMessage(record)
        if kind and getattr(self.app.config, "show_warning_types", False):
            text = text.removesuffix(f" [{kind}]")  # appended by Sphinx's translator for the console
        file, line = split_location(getattr(record, "location", None), self.base)
        self.messages.append(Message(text, kind, file, line, record.levelname))
        return True


def split_location(location: object, base: Path) -> tuple[str, int | None]:
    """``path:line`` (as Sphinx's translator leaves it) -> path relative to ``base`` and line."""
    if not isinstance(location, str) or not location:
        return "", None
    file, sep, line = location.rpartition(":")
    if not sep:
        file, line = location, ""
    elif not (line.isdigit() or line == ""):
        file, line = location, ""  # a colon inside a name, no line
    return relative_file(file, base) if file != "<unknown>" else "", int(line) if line else None


def relative_file(file: str, base: Path) -> str:
    path = Path(file)
    if path.is_absolute() and path.resolve().is_relative_to(base):
        return path.resolve().relative_to(base).as_posix()
    return file


@contextmanager
def recording(base: Path, messages: list[Message]) -> Iterator[None]:
    """Attach a :class:`WarningRecorder` to the warning handler of the next Sphinx application.

    Sphinx creates its handlers in ``Sphinx.__init__`` (``sphinx.util.logging.setup``,
    which first removes every handler of the ``sphinx`` logger) and warns from
    there on, so the recorder joins right after that call, for the duration of
    the construction only.
    """
    from sphinx.util import logging as sphinx_logging  # noqa: PLC0415 (only this command needs Sphinx)

    original: Callable[..., None] = sphinx_logging.setup

    def setup(app: Sphinx, status: Any, warning: Any, *, verbosity: int = 0) -> None:
        original(app, status, warning, verbosity=verbosity)
        for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
            if isinstance(handler, sphinx_logging.WarningStreamHandler):
                handler.addFilter(WarningRecorder(app, base, messages))

    sphinx_logging.setup = setup
    try:
        yield
    finally:
        sphinx_logging.setup = original

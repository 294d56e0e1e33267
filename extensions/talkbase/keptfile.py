"""Files talkbase keeps next to the doctrees between builds: caches, never inputs.

:mod:`talkbase.indexcache`, :mod:`talkbase.cite.exportcache` and
:mod:`talkbase.collation` each keep what an earlier build computed in a pickle of
the doctree directory.  A missing, unreadable or foreign file reads as nothing, a
file is replaced whole (never left half written for a parallel or later build to
read), and a read-only doctree directory only means the work is done again.
"""

from __future__ import annotations

import os
import pickle
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

#: What loading a file made by another version, or by nothing we know, may raise.
_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def load(path: Path) -> object:
    """What ``path`` holds, or None when it is missing or unreadable."""
    try:
        with path.open("rb") as file:
            return pickle.load(file)  # our own file, next to the pickled environment
    except _UNREADABLE:
        return None


def save(path: Path, content: object) -> bool:
    """Replace ``path`` by ``content`` at once; False when the directory cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        with partial.open("wb") as file:
            pickle.dump(content, file, pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        return False
    return True


def stamps(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of each of ``paths`` that exists: the code a kept
    file was made by (a changed module of a working copy makes the file stale)."""
    found = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)

"""The kb domain indices of the last build, kept next to the doctrees.

Sphinx generates every domain index on every build that writes, a no-op rebuild
included, and talkbase's indices sort every name with the Unicode Collation
Algorithm: loading its table and collating a thousand names costs more than
anything else talkbase does in a no-op.  So each index's content is kept in
``<doctreedir>/talkbase-indices.pickle`` with a digest of everything it was made
from (the fields of the records it lists, the ``docnames`` asked for, the
language and the code, catalogues and libraries that word and sort it), and made again
only when that digest changes.  Like the ``_kb/`` exports' key
(:func:`talkbase.cite.exports.export_key`), the digest covers the index's inputs,
not "whether a document was read": a body edit keeps the indices too.

Read and written when writing starts (``Index.generate``, in the main process).
The file is a cache: a missing, unreadable or foreign one is made again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import babel

from talkbase import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

FILE_NAME = "talkbase-indices.pickle"
#: Bump when what an index's content is made of changes shape.
FORMAT = 1


#: The modules whose code makes the indices' content (with talkbase's catalogues: headings
#: and counts are translated): a changed file in a working copy is a changed index.
_MAKERS = ("indices.py", "collation.py", "l10n.py", "values.py")


@cache
def _makers() -> tuple[tuple[str, int], ...]:
    """The files the indices' content is made by, with their modification times."""
    package = Path(__file__).parent
    paths = [*(package / name for name in _MAKERS), *sorted((package / "locale").rglob("*.mo"))]
    return tuple((str(path.relative_to(package)), path.stat().st_mtime_ns) for path in paths if path.is_file())


def digest(name: str, inputs: object, docnames: object, language: str | None) -> str:
    """A digest of what index ``name`` is made from."""
    whole = (FORMAT, __version__, babel.__version__, _makers(), name, language, docnames, inputs)
    # repr, not pickle: equal records always have the same repr, not the same pickle.
    return hashlib.sha256(repr(whole).encode("utf-8")).hexdigest()


def _load(path: Path) -> dict[str, tuple[str, Any]]:
    """Index name -> (digest, content), as the file holds them."""
    try:
        with path.open("rb") as file:
            stored = pickle.load(file)  # our own file, next to the pickled environment
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def cached(doctreedir: str | os.PathLike[str], name: str, key: str, make: Callable[[], Any]) -> Any:
    """The content of index ``name``: the stored one if ``key`` matches, else ``make()`` (stored)."""
    path = Path(doctreedir) / FILE_NAME
    stored = _load(path)
    hit = stored.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    content = make()
    stored[name] = (key, content)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{FILE_NAME}.{os.getpid()}")
        with partial.open("wb") as file:
            pickle.dump(stored, file, pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass  # a read-only doctree directory: the indices are made again next time
    return content

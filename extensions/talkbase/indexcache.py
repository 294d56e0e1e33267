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
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import babel

from talkbase import __version__, keptfile

if TYPE_CHECKING:
    import os
    from collections.abc import Callable

FILE_NAME = "talkbase-indices.pickle"
#: Bump when what an index's content is made of changes shape.
FORMAT = 1


#: The modules whose code makes the indices' content (with talkbase's catalogues: headings
#: and counts are translated): a changed file in a working copy is a changed index.
_MAKERS = ("indices.py", "collation.py", "l10n.py", "values.py")


@cache
def _makers() -> tuple[tuple[str, int, int], ...]:
    """The files the indices' content is made by, with their sizes and modification times."""
    package = Path(__file__).parent
    return keptfile.stamps([*(package / name for name in _MAKERS), *sorted((package / "locale").rglob("*.mo"))])


def digest(name: str, inputs: object, docnames: object, language: str | None) -> str:
    """A digest of what index ``name`` is made from."""
    whole = (FORMAT, __version__, babel.__version__, _makers(), name, language, docnames, inputs)
    # repr, not pickle: equal records always have the same repr, not the same pickle.
    return hashlib.sha256(repr(whole).encode("utf-8")).hexdigest()


def cached(doctreedir: str | os.PathLike[str], name: str, key: str, make: Callable[[], Any]) -> Any:
    """The content of index ``name``: the stored one if ``key`` matches, else ``make()`` (stored)."""
    path = Path(doctreedir) / FILE_NAME
    loaded = keptfile.load(path)
    stored: dict[str, tuple[str, Any]] = loaded if isinstance(loaded, dict) else {}  # name -> (digest, content)
    hit = stored.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    content = make()
    stored[name] = (key, content)
    keptfile.save(path, stored)  # not saved (read-only): the indices are made again next time
    return content

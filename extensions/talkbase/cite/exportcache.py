"""What the ``_kb/`` exports were made of and from, kept next to the doctrees between builds.

Read and written at ``build-finished`` by :func:`talkbase.cite.exports.write_exports`
(HTML builders, main process).  Two files, both caches: a missing, unreadable or
foreign one is made again, and neither can change what is written.

- ``talkbase-exports-docs.pickle``: for each document, the time Sphinx last read it
  (``env.all_docs``), a digest of what it gives the exports (its records and
  references, its title) and whether a summary of it cites through another domain.
  :func:`talkbase.cite.exports.export_key` digests only the documents read since, so
  deciding that a no-op or a body edit leaves the exports as they are costs
  milliseconds, not a pass over every record.
- ``talkbase-exports-texts.pickle``: each record's formatted texts, keyed by exactly
  what they are a pure function of: a talk's :class:`~talkbase.cite.record.Citation`
  for its BibTeX, RIS and CSL-JSON, the digest of an object's kb.json value for its
  text.  When the exports change (a rename), only the records whose key is new are
  formatted again; the file keeps the entries of this build only.

Both are tied to the code that makes them (:func:`code_version`): another version of
talkbase or pybtex, or an edited module in a working copy, starts them afresh.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkbase import __version__, keptfile

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from sphinx.environment import BuildEnvironment

    from talkbase.cite.record import Citation
    from talkbase.domain import KBDomain

DOCS_FILE = "talkbase-exports-docs.pickle"
TEXTS_FILE = "talkbase-exports-texts.pickle"
#: Bump when what the files hold changes shape.
FORMAT = 2
#: The modules whose code makes the export texts and the digests of the documents.
_MAKERS = ("cite/formats.py", "cite/exports.py", "cite/exportcache.py", "cite/record.py", "model.py")


@cache
def code_version() -> tuple[object, ...]:
    """The code the cached digests and texts were made by (computed once per process)."""
    package = Path(__file__).parent.parent
    return FORMAT, __version__, keptfile.stamps(package / name for name in _MAKERS)


@cache
def texts_version() -> tuple[object, ...]:
    """:func:`code_version` and pybtex's, which writes the BibTeX texts (imported only here:
    deciding that nothing changed needs no pybtex)."""
    import pybtex  # noqa: PLC0415

    return *code_version(), pybtex.__version__


def _load(path: Path, version: tuple[object, ...]) -> dict[str, Any]:
    stored = keptfile.load(path)
    if not isinstance(stored, dict) or stored.get("code") != version:
        return {}
    return stored


def _save(path: Path, version: tuple[object, ...], content: dict[str, Any]) -> None:
    keptfile.save(path, {"code": version, **content})  # not saved (read-only): made again next time


def _doc_digest(domain: KBDomain, env: BuildEnvironment, docname: str) -> tuple[bytes, bool]:
    data = domain.docs.get(docname)
    title = env.titles.get(docname)
    inputs = (
        docname,
        (data.objects, data.refs) if data is not None else None,
        title.astext() if title is not None else None,
    )
    cites = data is not None and any(record.cites_elsewhere for record in data.objects)
    # repr, not pickle: equal records always have the same repr, not the same pickle.
    return hashlib.sha256(repr(inputs).encode("utf-8")).digest(), cites


def document_digests(
    env: BuildEnvironment, domain: KBDomain, doctreedir: str | os.PathLike[str]
) -> tuple[list[bytes], list[str]]:
    """Each document's digest, in docname order, and the documents whose summaries cite
    through other domains (``build-finished``).

    A document Sphinx has not read again since the last build (same read time in
    ``env.all_docs``) keeps what is stored for it: its records, references and title
    are the ones unpickled with the environment, unchanged, since only reading a
    document changes them.
    """
    path = Path(doctreedir) / DOCS_FILE
    stored: Mapping[str, tuple[int, bytes, bool]] = _load(path, code_version()).get("docs", {})
    current: dict[str, tuple[int, bytes, bool]] = {}
    for docname, read_at in sorted(env.all_docs.items()):
        hit = stored.get(docname)
        if hit is not None and hit[0] == read_at:
            current[docname] = hit
        else:
            current[docname] = (read_at, *_doc_digest(domain, env, docname))
    if current != stored:
        _save(path, code_version(), {"docs": current})
    citing = [docname for docname, (_read_at, _digest, cites) in current.items() if cites]
    return [digest for _read_at, digest, _cites in current.values()], citing


class Texts:
    """Formatted export texts of the last build and of this one (``build-finished``).

    ``talk(citation, make)`` and ``kb_object(value_digest, make)`` return the stored
    text for that key, or ``make()``; :meth:`save` keeps the texts this build used.
    """

    def __init__(self, doctreedir: str | os.PathLike[str]) -> None:
        self.path = Path(doctreedir) / TEXTS_FILE
        stored = _load(self.path, texts_version())
        self._old_talks: dict[Citation, tuple[str, str, str]] = stored.get("talks", {})
        self._old_objects: dict[bytes, str] = stored.get("objects", {})
        self.talks: dict[Citation, tuple[str, str, str]] = {}
        self.objects: dict[bytes, str] = {}

    def talk(self, citation: Citation, make: Any) -> tuple[str, str, str]:
        """``(bibtex, ris, csl_json)`` of a talk: each a pure function of its citation."""
        texts = self._old_talks.get(citation)
        if texts is None:
            texts = make()
        self.talks[citation] = texts
        return texts

    def kb_object(self, key: bytes, make: Any) -> str:
        """The kb.json text of an object whose value has digest ``key``."""
        text = self._old_objects.get(key)
        if text is None:
            text = make()
        self.objects[key] = text
        return text

    def save(self) -> None:
        if self.talks != self._old_talks or self.objects != self._old_objects:
            _save(self.path, texts_version(), {"talks": self.talks, "objects": self.objects})

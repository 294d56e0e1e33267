"""The knowledge base as data files, written at ``build-finished`` by HTML builders.

``<outdir>/_kb/``:

- ``talks.bib``: every talk as BibTeX (:func:`talkbase.cite.formats.bibtex_all`), sorted by id;
- ``talks.csl.json``: every talk as a CSL-JSON item, a list sorted by id;
- ``talks.ris``: every talk as a RIS record (CRLF line endings), sorted by id;
- ``kb.json``: every object of every type with its fields, page, anchor and relations,
  described by ``kb.schema.json`` (shipped next to this module).

Output is stable (sorted keys and ids, UTF-8 without escapes, trailing newline) and a
file is only written when its content changed, so unchanged exports keep their mtime;
nothing is even computed when :func:`export_key` (a digest of the inputs) is the last build's,
and when it is not, only the records whose text changed are formatted again
(:mod:`talkbase.cite.exportcache`).  :mod:`talkbase.cite.formats` and
:mod:`talkbase.cite.record` are imported when the exports are made, not with this module.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkbase import __version__, collation
from talkbase.cite.block import EXPORT_DIR, is_web_builder, talk_citation
from talkbase.cite.exportcache import Texts, document_digests
from talkbase.domain import kb_domain
from talkbase.model import OBJECT_TYPES, Event, Recommendation, Record, Speaker, Talk, Term
from talkbase.singlehtml import page_uri

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

    from talkbase.cite.record import Citation
    from talkbase.domain import KBDomain
    from talkbase.lookup import KBIndex

#: Version of the kb.json format (``kb.schema.json``); bump the major part on incompatible changes.
KB_JSON_VERSION = "1.1"
SCHEMA_PATH = Path(__file__).parent / "kb.schema.json"


def dump_json(data: object) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)`` and a newline, faster.

    With ``indent``, :mod:`json` encodes in pure Python, one generator per level; the
    exports of a thousand talks spent most of ``write_exports`` there.  :func:`_indented`
    writes the same text (strings go through json's own C escaping); a value it does not
    know (a non-string key, another type) falls back to :func:`json.dumps` itself.
    """
    parts: list[str] = []
    try:
        _indented(data, "\n", parts)
    except (_Unsupported, TypeError):  # TypeError: a key json converts (or rejects) itself
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    parts.append("\n")
    return "".join(parts)


class _Unsupported(Exception):
    """A value :func:`_indented` leaves to :func:`json.dumps`."""


class _Written:
    """A value already written by :func:`_indented_at` at the depth where it is put."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _indented_at(value: object, newline: str) -> str | None:
    """``value`` as :func:`dump_json` writes it where a line starts with ``newline``;
    None for a value only :func:`json.dumps` writes."""
    parts: list[str] = []
    try:
        _indented(value, newline, parts)
    except (_Unsupported, TypeError):
        return None
    return "".join(parts)


#: json's string encoder for ``ensure_ascii=False`` (its C version when available).
_encode_str = json.encoder.encode_basestring


def _indented(value: object, newline: str, parts: list[str]) -> None:
    """Append ``value`` as json writes it with ``indent=2, sort_keys=True``; ``newline`` ends with its indent.

    The type tests are json's own (``isinstance``, ``True``/``False`` before ``int``).
    """
    if isinstance(value, str):
        parts.append(_encode_str(value))
    elif isinstance(value, dict):
        _indented_dict(value, newline, parts)
    elif isinstance(value, (list, tuple)):
        _indented_list(value, newline, parts)
    else:
        parts.append(_scalar(value))


def _scalar(value: object) -> str:
    if type(value) is _Written:
        return value.text
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    raise _Unsupported  # floats (NaN, infinities), other objects: json's own rules


def _indented_dict(value: dict[Any, Any], newline: str, parts: list[str]) -> None:
    if not value:
        parts.append("{}")
        return
    inner = newline + "  "
    separator = "{" + inner
    for key, item in sorted(value.items()):
        # _encode_str raises TypeError for a key that is not a string.
        if isinstance(item, str):  # most values: no call
            parts.append(f"{separator}{_encode_str(key)}: {_encode_str(item)}")
        elif isinstance(item, (dict, list, tuple)):
            parts.append(f"{separator}{_encode_str(key)}: ")
            _indented(item, inner, parts)
        else:
            parts.append(f"{separator}{_encode_str(key)}: {_scalar(item)}")
        separator = "," + inner
    parts.append(newline + "}")


def _indented_list(value: list[Any] | tuple[Any, ...], newline: str, parts: list[str]) -> None:
    if not value:
        parts.append("[]")
        return
    inner = newline + "  "
    separator = "[" + inner
    for item in value:
        if isinstance(item, str):
            parts.append(separator + _encode_str(item))
        elif type(item) is _Written:
            parts.append(separator + item.text)
        else:
            parts.append(separator)
            _indented(item, inner, parts)
        separator = "," + inner
    parts.append(newline + "]")


#: Record class -> the names of its fields (``dataclasses.fields`` builds its tuple at every call).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type[Record]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


def _fields(index: KBIndex, record: Record) -> dict[str, Any]:
    """The record's own fields as JSON values."""
    result: dict[str, Any] = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        if name == "summary":
            value = index.summary(record)  # text, with the current titles and rendered citations
        elif name == "translations":
            value = [{"lang": lang, "text": text} for lang, text in value]
        elif isinstance(value, tuple):
            value = list(value)
        result[name] = value
    return result


def _existing(index: KBIndex, objtype: str, ids: Any) -> list[str]:
    return [objid for objid in dict.fromkeys(ids) if index.get(objtype, objid) is not None]


def relations(index: KBIndex, record: Record) -> dict[str, Any]:
    """The objects ``record`` is related to, by id (only objects that exist)."""
    if isinstance(record, Talk):
        return {
            "speakers": _existing(index, "speaker", record.speakers),
            "event": record.event if index.get("event", record.event) is not None else None,
            "recommendations": [rec.id for rec in index.recs_by_talk.get(record.id, [])],
            "terms": sorted(index.terms_by_talk.get(record.id, [])),
        }
    if isinstance(record, Term):
        see = [term.id for term in (index.term(target) for target in record.see) if term is not None]
        return {
            "see": list(dict.fromkeys(see)),
            "translations": [{"lang": lang, "text": text} for lang, text in record.translations],
            "talks": sorted(index.talks_by_term.get(record.id, [])),
        }
    if isinstance(record, Recommendation):
        return {"talk": record.talk if index.get("talk", record.talk) is not None else None}
    if isinstance(record, Speaker):
        return {"talks": [talk.id for talk in index.talks_by_speaker.get(record.id, [])]}
    if isinstance(record, Event):
        return {"talks": [talk.id for talk in index.talks_by_event.get(record.id, [])]}
    return {}


def kb_object(
    builder: Builder, config: Config, index: KBIndex, record: Record, page: str | None = None
) -> dict[str, Any]:
    """``record`` in kb.json; ``page``: its page's URI when the caller knows it."""
    from talkbase.cite.record import talk_url  # noqa: PLC0415 (a citation's first use: keep setup cheap)

    if page is None:
        page = page_uri(builder, record.docname)
    return {
        "type": record.objtype,
        "fields": _fields(index, record),
        "page": page,
        "anchor": record.anchor,
        "canonical_url": talk_url(getattr(config, "html_baseurl", "") or "", page, record.anchor),
        "relations": relations(index, record),
    }


def reading_order(config: Config, index: KBIndex) -> dict[str, list[str]]:
    """Each type's ids A–Z by title, as the indices and listings show them (:mod:`talkbase.collation`).

    ``objects`` is keyed (and, being JSON, unordered) by id; a reader that lists
    names in the order a person expects uses this instead of sorting them itself.
    """
    language = config.language

    def key(record: Record) -> tuple[object, str]:
        return collation.sort_key(record.title, language), record.id

    return {
        objtype: [record.id for record in sorted(index.objects.get(objtype, {}).values(), key=key)]
        for objtype in OBJECT_TYPES
    }


#: Where an object's value starts in kb.json: ``objects`` > type > id, two spaces a level.
_OBJECT_NEWLINE = "\n" + "  " * 3


def kb_json(builder: Builder, config: Config, index: KBIndex, texts: Texts | None = None) -> dict[str, Any]:
    """The whole knowledge base: ``{"version", "generator", "objects": {type: {id: object}}, "order"}``.

    With ``texts``, each object is its text, written now or in an earlier build
    (for :func:`dump_json`; raises :class:`_Unsupported` if one needs :func:`json.dumps`).
    """

    pages: dict[str, str] = {}  # a page per document, not per object

    def value(record: Record) -> Any:
        page = pages.get(record.docname)
        if page is None:
            page = pages[record.docname] = page_uri(builder, record.docname)
        made = kb_object(builder, config, index, record, page)
        if texts is None:
            return made
        # repr, as export_key: it tells apart every two JSON values :func:`dump_json` writes differently.
        key = hashlib.sha256(repr(made).encode("utf-8")).digest()
        text = texts.kb_object(key, lambda: _indented_at(made, _OBJECT_NEWLINE))
        if text is None:
            raise _Unsupported
        return _Written(text)

    objects = {
        objtype: {objid: value(record) for objid, record in sorted(index.objects.get(objtype, {}).items())}
        for objtype in OBJECT_TYPES
    }
    return {
        "version": KB_JSON_VERSION,
        "generator": f"talkbase {__version__}",
        "objects": objects,
        "order": reading_order(config, index),
    }


#: The files of ``_kb/`` (the keys of :func:`export_texts`).
EXPORT_NAMES = ("talks.bib", "talks.csl.json", "talks.ris", "kb.json")
#: In the doctree directory: the :func:`export_key` of the files last written.
KEY_FILE = "talkbase-exports.key"


def export_texts(builder: Builder, config: Config, index: KBIndex, texts: Texts | None = None) -> dict[str, str]:
    """File name -> content of every export; ``texts``: each record's texts of earlier builds."""
    from talkbase.cite import formats  # noqa: PLC0415 (a citation's first use: keep setup cheap)

    talks = [record for _id, record in sorted(index.objects.get("talk", {}).items()) if isinstance(record, Talk)]
    citations = [talk_citation(builder, config, index, talk) for talk in talks]
    if texts is not None:
        try:
            return _from_texts(builder, config, index, citations, texts)
        except _Unsupported:  # a value only json.dumps writes: every text made now
            pass
    return {
        "talks.bib": formats.bibtex_all(citations),
        "talks.csl.json": dump_json([formats.csl_json(citation) for citation in citations]),
        "talks.ris": formats.ris_all(citations),
        "kb.json": dump_json(kb_json(builder, config, index)),
    }


def _talk_texts(citation: Citation) -> tuple[str, str, str]:
    from talkbase.cite import formats  # noqa: PLC0415 (a citation's first use: keep setup cheap)

    csl = _indented_at(formats.csl_json(citation), "\n  ")  # an item of the list
    if csl is None:
        raise _Unsupported
    return formats.bibtex(citation), formats.ris(citation), csl


def _from_texts(
    builder: Builder, config: Config, index: KBIndex, citations: list[Citation], texts: Texts
) -> dict[str, str]:
    """:func:`export_texts`, with the text of each talk and object made once for the inputs it has."""
    made = [texts.talk(citation, lambda citation=citation: _talk_texts(citation)) for citation in citations]
    # The joins of formats.bibtex_all and formats.ris_all.
    return {
        "talks.bib": "\n".join(bib for bib, _ris, _csl in made),
        "talks.csl.json": dump_json([_Written(csl) for _bib, _ris, csl in made]),
        "talks.ris": "\r\n".join(ris for _bib, ris, _csl in made),
        "kb.json": dump_json(kb_json(builder, config, index, texts)),
    }


def write_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")  # bytes: RIS's CRLF line endings are kept as they are
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def write_exports(app: Sphinx, exception: BaseException | None) -> None:
    """Write ``_kb/*`` (``build-finished``, HTML builders, successful builds only)."""
    if exception is not None or not is_web_builder(app.builder):
        return
    domain = kb_domain(app.env)
    target = Path(app.outdir) / EXPORT_DIR
    key = export_key(app, domain)
    key_file = Path(app.doctreedir) / KEY_FILE
    if all((target / name).is_file() for name in EXPORT_NAMES) and _read(key_file) == key:
        return  # same inputs as the files already written (a no-op or a body-only edit)
    texts = Texts(app.doctreedir)
    for name, text in export_texts(app.builder, app.config, domain.index, texts).items():
        write_if_changed(target / name, text)
    texts.save()
    key_file.write_text(key, encoding="utf-8")


def export_key(app: Sphinx, domain: KBDomain) -> str:
    """A digest of everything :func:`export_texts` reads (``build-finished``).

    The exports are a function of the records and references of every document (the
    index is derived from them), the page titles, the builder and the config values
    URLs are made of.  Computing them costs seconds at a thousand talks; this digest
    costs milliseconds, so an unchanged knowledge base is not exported again.
    Whatever :func:`export_texts` comes to depend on must be added here.
    """
    config = app.config
    digests, citing = document_digests(app.env, domain, app.doctreedir)
    inputs = (
        __version__,
        KB_JSON_VERSION,
        app.builder.name,
        type(app.builder).__qualname__,
        str(app.outdir),  # one doctree directory may serve several output directories
        getattr(config, "html_baseurl", ""),
        getattr(config, "html_file_suffix", None),
        getattr(config, "html_link_suffix", None),
        config.language,
        # Each document's records, references and title (digested once per reading).
        digests,
        # Citations in summaries read as sphinxcontrib-bibtex renders them, from the .bib files.
        [
            (r.objtype, r.id, domain.index.summary(r))
            for docname in citing
            for r in getattr(domain.docs.get(docname), "objects", ())
            if r.cites_elsewhere
        ],
    )
    # repr, not pickle: equal records always have the same repr, not the same pickle.
    return hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def forget_formats(app: Sphinx, exception: BaseException | None) -> None:
    """Drop the citation formats memoised during this build (``build-finished``, after the exports)."""
    formats = sys.modules.get("talkbase.cite.formats")  # not imported: nothing was formatted
    if formats is not None:
        formats.clear_caches()


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_exports)
    app.connect("build-finished", forget_formats, priority=900)

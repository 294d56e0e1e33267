"""Make Pagefind's filter index byte-stable, so two clean builds are identical.

Pagefind (1.3 and later) writes the same fragments and word indexes for the same
pages, but the order of the values inside each filter file, and of the filters
in the language's ``.pf_meta`` file, comes from Rust hash maps and changes from
run to run (Pagefind/pagefind#638: "other files will still change, such as the
filter/metadata indexes").  The content is the same; the bytes, hence the
content-hashed file names and the hash in ``pagefind-entry.json``, are not.

Run at build-finished, right after Pagefind (:mod:`talkbase.theme.search`): each
filter file is decoded (gzip, then the ``pagefind_dcd`` signature and CBOR made
of arrays, text and unsigned integers), its values sorted, and written again
under a name hashed from the new bytes; the ``.pf_meta`` file lists the filters
sorted by name with their new names, and is renamed the same way.  Pagefind's
search code reads files by the names the index gives, never checking the hash.
Anything unexpected (another Pagefind major version, another CBOR type) leaves
the bundle as Pagefind wrote it: a search that works matters more than stable
bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

SIGNATURE = b"pagefind_dcd"
#: CBOR major types used by these files.
_UINT, _TEXT, _ARRAY = 0, 3, 4


class Unexpected(ValueError):
    """The bundle is not in the format this module knows."""


def decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item (unsigned integers, text, arrays) from ``data[at:]``, and where it ends."""
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise Unexpected(f"CBOR additional information {info}")
    if major == _UINT:
        return value, at
    if major == _TEXT:
        return data[at : at + value].decode("utf-8"), at + value
    if major != _ARRAY:
        raise Unexpected(f"CBOR major type {major}")
    items = []
    for _ in range(value):
        item, at = decode(data, at)
        items.append(item)
    return items, at


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise Unexpected(f"integer {value} too large")


def encode(item: Any) -> bytes:
    """The shortest CBOR encoding, as Pagefind's serializer writes it."""
    if isinstance(item, int):
        return _head(_UINT, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _head(_TEXT, len(raw)) + raw
    return _head(_ARRAY, len(item)) + b"".join(encode(element) for element in item)


def read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise Unexpected(f"{path.name} has no Pagefind signature")
    item, end = decode(data, len(SIGNATURE))
    if end != len(data):
        raise Unexpected(f"{path.name} has trailing data")
    return item


def write(directory: Path, prefix: str, digits: int, suffix: str, item: Any) -> str:
    """Write ``item`` under ``prefix + hash + suffix`` (the hash of its bytes); returns the hash."""
    data = SIGNATURE + encode(item)
    digest = hashlib.sha256(data).hexdigest()[:digits]
    (directory / f"{prefix}{digest}{suffix}").write_bytes(gzip.compress(data, 9, mtime=0))
    return digest


def stabilize(bundle: Path) -> bool:
    """Rewrite ``bundle``'s filter index in a stable order; False when left as Pagefind wrote it."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plans = [_plan(bundle, language, info["hash"]) for language, info in entry["languages"].items()]
    except (OSError, KeyError, TypeError, ValueError, IndexError):
        return False
    for language, meta, old_files in plans:
        for path in old_files:
            path.unlink()
        entry["languages"][language]["hash"] = meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _plan(bundle: Path, language: str, meta_hash: str) -> tuple[str, str, list[Path]]:
    """Write the stable files of one language; returns its new meta hash and the files replaced."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read(meta_path)
    if not (isinstance(meta, list) and len(meta) > 3 and str(meta[0]).startswith("1.")):
        raise Unexpected("not a Pagefind 1.x index")
    prefix = meta_hash.rsplit("_", 1)[0] + "_"
    filters, replaced = [], [meta_path]
    for name, file_hash in meta[3]:
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        filter_name, values = read(path)
        if filter_name != name:
            raise Unexpected(f"filter file {path.name} holds {filter_name!r}, not {name!r}")
        # Each value with its (sorted) pages; the values sorted by their text.
        values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda pair: pair[0])
        digest = write(bundle / "filter", prefix, 7, ".pf_filter", [name, values])
        if f"{prefix}{digest}" != file_hash:
            replaced.append(path)
        filters.append([name, f"{prefix}{digest}"])
    meta[3] = sorted(filters)
    new_hash = prefix + write(bundle, f"pagefind.{prefix}", 10, ".pf_meta", meta)
    if new_hash == meta_hash:
        replaced.remove(meta_path)
    return language, new_hash, replaced

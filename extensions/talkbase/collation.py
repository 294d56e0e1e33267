"""Sorting and A–Z grouping of names the way a reader expects: the Unicode Collation Algorithm.

Every list talkbase orders by name (the speaker and term indices, listings, tag
pages, the PDF's indices, the ``order`` of ``_kb/kb.json``) sorts with
:func:`sort_key` and groups with :func:`group_of`, so they all agree.  Called
when a page or an export is written; nothing here depends on the build's state.

The order is the Unicode Collation Algorithm with its default table (DUCET,
Unicode 10, through the pure-Python ``pyuca``): ``Ł`` sorts and groups with
``L``, ``Ø`` with ``O``, ``Æ`` as ``AE``, ``ß`` as ``ss``, case and accents
only break ties.  On top of it, names are ranked by what starts them, as CLDR's
per-language script reordering does:

0. names that start with a digit or a symbol (group "Symbols");
1. names in the script of the project's ``language`` (Latin for ``en`` and ``fr``,
   Cyrillic for ``ru``…), one group per base letter;
2. names in any other script, in one group "Other scripts" at the end.

pyuca is pure Python: loading its table and collating a thousand names cost more
than anything else an incremental build does.  So a name's key is put together
from the weights of its words, each computed once: DUCET has no contraction
holding a space (none of the 868 multi-character entries of pyuca's
``allkeys-10.0.0.txt`` contains U+0020, and no canonical decomposition yields one),
so the collation elements of a name are those of its words and spaces in a row.  A
new word made of known characters, none of which starts a contraction with a later
one, is made of theirs.  The weights are kept between builds next to the doctrees
(:func:`setup`), keyed by this module, pyuca's code and table and Python's Unicode
data: a build loads pyuca's table only for a character it has never seen.  These
memos, like the caches below, are pure functions of the text: nothing here depends
on the build's state.
"""

from __future__ import annotations

import importlib.util
import struct
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from sphinx.locale import get_translation

from talkbase import keptfile

if TYPE_CHECKING:
    from docutils import nodes
    from pyuca.collator import Collator_10_0_0
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_ = get_translation("talkbase")
T = TypeVar("T")

#: How many characters of a name :func:`sort_key` collates.
PREFIX = 100
#: The rank of a name (first item of :func:`sort_key`).
SYMBOLS, NATIVE, OTHER = 0, 1, 2

#: Scripts whose letters Unicode does not name after the script (``CJK UNIFIED IDEOGRAPH``).
_SCRIPT_WORDS = {
    "Hans": {"CJK"},
    "Hant": {"CJK"},
    "Hani": {"CJK"},
    "Jpan": {"CJK", "HIRAGANA", "KATAKANA"},
    "Kore": {"HANGUL", "CJK"},
}
#: Secondary and tertiary weights of a plain letter in DUCET (uppercase, lowercase).
_PLAIN_SECONDARY, _UPPER, _LOWER = 0x20, 0x08, 0x02
#: The table of the collator :func:`_collator` makes, in pyuca's package.
_TABLE = "allkeys-10.0.0.txt"
#: pyuca's level separator, as a 16-bit unit.
_SEPARATOR = b"\0\0"

#: The nonzero weights of one collation level, as 16-bit big-endian units: every DUCET
#: weight has four hexadecimal digits and the implicit ones are below 0x10000, so
#: these bytes compare as pyuca's tuples of weights do.  A word's (or character's)
#: weights: primary, secondary, tertiary.
Weights = tuple[bytes, bytes, bytes]
#: A character's weights alone; whether pyuca collates it alone when no contraction
#: applies (it has an entry, or is a starter: pyuca puts the entries of the marks after
#: an unknown non-starter first); the characters continuing a contraction started by it.
CharInfo = tuple[Weights, bool, frozenset[str]]


class _Known:
    """The weights computed so far, in this process or kept by an earlier build."""

    def __init__(self) -> None:
        self.words: dict[str, Weights] = {}
        self.chars: dict[str, CharInfo] = {}
        #: First character of a name -> the heading it is listed under ("" when it has no plain letter).
        self.letters: dict[str, str] = {}
        #: Whether something was added since the weights were last loaded or kept.
        self.grown = False


_KNOWN = _Known()


@cache
def _collator() -> Collator_10_0_0:
    """pyuca's collator, made the first time a word or character is new (loading its
    table costs a quarter of a second: a build that sorts known words skips it), and
    let go once the pages are being written (:func:`release_table`)."""
    from pyuca.collator import Collator_10_0_0  # noqa: PLC0415

    # Pinned to one table, so a pyuca upgrade cannot reorder a project.
    return Collator_10_0_0()


@cache
def _script_words(language: str | None) -> frozenset[str]:
    """The first words of the Unicode names of letters in the script of ``language``."""
    script = "Latn"
    try:
        locale = Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = None
    if locale is not None:
        likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
        script = locale.script or (likely[1] if len(likely) > 2 else "Latn")
    if script in _SCRIPT_WORDS:
        return frozenset(_SCRIPT_WORDS[script])
    name = Locale("en").scripts.get(script, "Latin")
    return frozenset({name.split()[0].upper()})


@cache
def _letters_by_weight() -> dict[int, str]:
    """Primary weight -> the plain letter that has it alone (``L`` for ``Ł``'s weight).

    Read once from the collation table: the single code points whose one collation
    element has no accent (secondary) and an upper- or lowercase tertiary weight.
    """
    upper: dict[int, str] = {}
    lower: dict[int, str] = {}
    for codepoint, node in (_collator().table.root.children or {}).items():
        value = node.value
        if not value or len(value) != 1 or value[0][1] != _PLAIN_SECONDARY:
            continue
        char = chr(codepoint)
        if not unicodedata.category(char).startswith("L"):
            continue
        primary, tertiary = value[0][0], value[0][2]
        table = upper if tertiary == _UPPER else lower if tertiary == _LOWER else None
        if table is not None and (primary not in table or codepoint < ord(table[primary])):
            table[primary] = char
    return {**lower, **upper}


def release_table() -> None:
    """Let pyuca's table go (first page resolved, see :func:`setup`).

    The table is 230 000 objects, about 11 MB, and only computes the weights of a
    word or character seen for the first time.  Those are the names that listings
    sort after reading and the domain indices sort before the first page is
    written; the pages and exports then sort names already known.  Kept, the table
    would sit under every page of the write phase, where the build's memory peaks.
    A name still new after this loads it again: the weights are the same.
    """
    for holding in _HOLDING_THE_TABLE:
        holding.cache_clear()


#: The memoised functions whose results hold pyuca's table or are read from it.
_HOLDING_THE_TABLE = (_collator, _letters_by_weight)


def _first(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())[:1]


def rank(text: str, language: str | None) -> int:
    """:data:`SYMBOLS`, :data:`NATIVE` or :data:`OTHER`: what starts ``text``."""
    first = _first(text)
    if not first.isalpha():
        return SYMBOLS
    word = unicodedata.name(first, "").split(" ", 1)[0]
    return NATIVE if word in _script_words(language) else OTHER


@lru_cache(maxsize=1 << 16)  # a listing sorts the same names on every page that shows it
def sort_key(text: str, language: str | None) -> tuple[int, bytes, str]:
    """The key that orders names for a reader of ``language`` (write phase).

    Only the first :data:`PREFIX` characters are collated (pyuca's key costs time
    quadratic in the length of the text; names that long tie there and are then
    ordered by their text).  Callers add the object's id after it so that equal
    names keep a stable order.
    """
    return rank(text, language), uca_key(text[:PREFIX]), text


def uca_key(text: str) -> bytes:
    """pyuca's ``sort_key(text)`` as 16-bit big-endian units (:data:`Weights`): the
    weights of each level of its words and spaces in a row, then a separator."""
    words = text.split(" ")
    if len(words) == 1:
        primary, secondary, tertiary = _word(text)
    else:
        parts = [_word(word) for word in words]
        space = _word(" ")
        primary, secondary, tertiary = (space[level].join(part[level] for part in parts) for level in range(3))
    return _SEPARATOR.join((primary, secondary, tertiary, b""))


def _word(word: str) -> Weights:
    """The weights of a text without U+0020 (a word or a space alone)."""
    known = _KNOWN.words.get(word)
    if known is not None:
        return known
    decomposed = unicodedata.normalize("NFD", word)
    chars = [_KNOWN.chars.get(char) for char in decomposed]
    if _composable(decomposed, chars):
        weights = (
            b"".join(info[0][0] for info in chars if info),
            b"".join(info[0][1] for info in chars if info),
            b"".join(info[0][2] for info in chars if info),
        )
    else:
        weights = _pack(_collator().collation_elements(decomposed))
        for char in decomposed:
            _char(char)  # for the words to come
    _KNOWN.words[word] = weights
    _KNOWN.grown = True
    return weights


def _composable(decomposed: str, chars: list[CharInfo | None]) -> bool:
    """Whether pyuca collates ``decomposed`` one character after the other: each is known,
    collated alone, and starts no contraction that a later character could continue."""
    for position, info in enumerate(chars):
        if info is None or not info[1]:
            return False
        if info[2] and not info[2].isdisjoint(decomposed[position + 1 :]):
            return False
    return True


def _char(char: str) -> CharInfo:
    """A character's :data:`CharInfo`, from pyuca's table."""
    info = _KNOWN.chars.get(char)
    if info is None:
        collator = _collator()
        node = (collator.table.root.children or {}).get(ord(char))
        follows = frozenset(map(chr, node.children)) if node is not None and node.children else frozenset()
        alone = (node is not None and bool(node.value)) or unicodedata.combining(char) == 0
        info = _KNOWN.chars[char] = (_pack(collator.collation_elements(char)), alone, follows)
        _KNOWN.grown = True
    return info


def _pack(elements: list[list[int]]) -> Weights:
    """pyuca's collation elements as :data:`Weights`."""
    levels = []
    for level in range(3):
        values = [element[level] for element in elements if len(element) > level and element[level]]
        levels.append(struct.pack(f">{len(values)}H", *values))
    return levels[0], levels[1], levels[2]


def group_of(text: str, language: str | None) -> str:
    """The heading ``text`` is listed under in an A–Z index (write phase).

    The plain letter that shares the first letter's primary weight (``Łukasz`` and
    ``Ølaf`` under ``L`` and ``O``, ``Émile`` under ``E``), "Symbols" before the
    letters, "Other scripts" after them.
    """
    kind = rank(text, language)
    if kind == SYMBOLS:
        return str(_("Symbols"))
    if kind == OTHER:
        return str(_("Other scripts"))
    first = _first(text)
    letter = _KNOWN.letters.get(first)
    if letter is None:
        primaries = _word(first)[0]
        letter = _letters_by_weight().get(int.from_bytes(primaries[:2], "big"), "") if primaries else ""
        _KNOWN.letters[first] = letter
        _KNOWN.grown = True
    return (letter or first).upper()


def alphabetical(items: list[tuple[str, str, T]], language: str | None) -> list[tuple[str, list[T]]]:
    """``(name, tie-breaker, item)`` triples grouped under :func:`group_of` headings.

    Groups come in collation order (symbols first, other scripts last), each
    sorted by :func:`sort_key` then the tie-breaker (an id or anchor).
    """
    ordered = sorted(items, key=lambda item: (sort_key(item[0], language), item[1]))
    groups: dict[str, list[T]] = {}
    for name, _tie, item in ordered:
        groups.setdefault(group_of(name, language), []).append(item)
    return list(groups.items())


# -- kept between builds ------------------------------------------------------------------

FILE_NAME = "talkbase-collation.pickle"
#: Bump when what the file holds changes shape or meaning.
FORMAT = 1


@cache
def _version() -> tuple[object, ...]:
    """What the kept weights were computed by: this module, pyuca's code and table, and
    Python's Unicode data (decompositions, combining classes).

    pyuca is found, not imported: a build whose names all have kept weights (a no-op
    rebuild) never loads it, and importing it cost every build about 1.5 ms."""
    spec = importlib.util.find_spec("pyuca")
    assert spec is not None and spec.origin is not None, "pyuca is a dependency of talkbase"
    code = Path(spec.origin).with_name("collator.py")  # pyuca.collator.__file__
    return FORMAT, unicodedata.unidata_version, keptfile.stamps((Path(__file__), code, code.with_name(_TABLE)))


def load(path: Path) -> None:
    """Add the weights kept in ``path`` to those known (a missing or foreign file adds none)."""
    kept = keptfile.load(path)
    if not isinstance(kept, tuple) or len(kept) != 4 or kept[0] != _version():
        return
    _made_by, words, chars, letters = kept
    grown = _KNOWN.grown
    _KNOWN.words.update(words)
    _KNOWN.chars.update(chars)
    _KNOWN.letters.update(letters)
    _KNOWN.grown = grown


def keep(path: Path) -> None:
    """Write every weight known to ``path``, when some are new or the file is missing."""
    if not _KNOWN.grown and path.is_file():
        return
    if keptfile.save(path, (_version(), _KNOWN.words, _KNOWN.chars, _KNOWN.letters)):
        _KNOWN.grown = False  # else (read-only): the weights are computed again next time


def setup(app: Sphinx) -> None:
    """Load the kept weights before reading (``builder-inited``), let pyuca's table go
    when the first page is resolved, keep the weights once the build is done."""
    # Whether the table is to be let go at the next page resolved: once per build, so
    # that a page needing a new name loads it once, not once per page.
    release = [False]

    def load_kept(app: Sphinx) -> None:
        load(Path(app.doctreedir) / FILE_NAME)

    def after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
        release[0] = True
        return []

    def first_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        # After the domain indices (the builder's prepare_writing), before the pages.
        if release[0]:
            release[0] = False
            release_table()

    def keep_known(app: Sphinx, exception: Exception | None) -> None:
        if exception is None:
            keep(Path(app.doctreedir) / FILE_NAME)

    app.connect("builder-inited", load_kept)
    app.connect("env-updated", after_reading)
    app.connect("doctree-resolved", first_page, priority=100)
    app.connect("build-finished", keep_known)

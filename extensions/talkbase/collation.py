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
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING, TypeVar

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from sphinx.locale import get_translation

if TYPE_CHECKING:
    from pyuca.collator import Collator_10_0_0

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


@cache
def _collator() -> Collator_10_0_0:
    """pyuca's collator, made on the first sort of a build (loading its table costs a
    quarter of a second: a build that sorts nothing, or finds its indices kept, skips it)."""
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
def sort_key(text: str, language: str | None) -> tuple[int, tuple[int, ...], str]:
    """The key that orders names for a reader of ``language`` (write phase).

    Only the first :data:`PREFIX` characters are collated (pyuca's key costs time
    quadratic in the length of the text; names that long tie there and are then
    ordered by their text).  Callers add the object's id after it so that equal
    names keep a stable order.
    """
    return rank(text, language), _collator().sort_key(text[:PREFIX]), text


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
    elements = _collator().collation_elements(unicodedata.normalize("NFD", first))
    primary = next((element[0] for element in elements if element[0]), None)
    letter = _letters_by_weight().get(primary) if primary is not None else None
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

"""Parsing and checking of option values, shared by every directive.

Each parser returns the cleaned value, or raises :class:`BadValue` with a message
naming the offending text; directives turn that into a typed warning.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError


class BadValue(ValueError):
    """An option value an author got wrong; the message is shown to them."""


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")


#: The control characters (Unicode category ``Cc``: U+0000–U+001F, U+007F–U+009F) but tab and newline.
_CONTROL_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """NFC-normalise and drop control characters (NUL, escapes), keeping newlines and tabs."""
    # One regular expression, not a category lookup per character: every title,
    # option and summary of every object goes through here while reading.
    return _CONTROL_BUT_LAYOUT.sub("", unicodedata.normalize("NFC", text))


#: Typographic marks an author may type either way (smart quotes, a keyboard's
#: apostrophe, a hyphen that must not break): folded to their ASCII spelling.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2019": "'",  # ’ right single quotation mark, the typographic apostrophe
        "\u2018": "'",  # ‘
        "\u02bc": "'",  # ʼ modifier letter apostrophe
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′ prime
        "\u00b4": "'",  # ´ acute accent used as an apostrophe
        "`": "'",
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2039": "'",  # ‹
        "\u203a": "'",  # ›
        "\u2010": "-",  # ‐ hyphen
        "\u2011": "-",  # ‑ non-breaking hyphen
    }
)


def fold(text: str) -> str:
    """The key texts are compared by: ``Proxémie`` and ``proxemie`` fold alike.

    Ignores case, accents, Unicode normalisation (NFC or NFD), the kind of space
    (no-break, thin…: all are whitespace to ``str.split``) and typographic
    against straight quotes and apostrophes (``d’appartenance``, ``d'appartenance``).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_TYPOGRAPHIC)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


#: Letters Unicode does not decompose into an ASCII base letter: spelled out, not dropped.
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)


def slugify(text: str) -> str:
    """The deterministic ASCII id of a title: ``proxémie`` -> ``proxemie``.

    Spells out letters such as ``ł``, ``ø``, ``æ`` and ``ß``, NFKD-decomposes, drops
    combining marks and anything else non-ASCII, lowercases and
    joins runs of other characters with ``-``.  Applied to explicit ids too, so
    NFC and NFD spellings of one id are the same id.
    """
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LETTERS)).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")


def object_id(title: str, explicit_id: str | None = None) -> str:
    """The id of an object directive: its ``:id:`` option, else its title, slugged.

    The one rule for ids, used by the directives when they read a page and by
    ``talkbase import`` when it looks for the objects a project already has.
    """
    if explicit_id is not None:
        return slugify(clean_text(explicit_id))
    return slugify(" ".join(clean_text(title).split()))


def split_list(value: str | None) -> tuple[list[str], bool]:
    """Split a comma separated option; also tell whether it had empty items."""
    if value is None:
        return [], False
    items = [item.strip() for item in value.split(",")]
    kept = [item for item in items if item]
    return kept, len(kept) != len(items)


def parse_date(value: str) -> dt.date:
    """Parse an ISO ``YYYY-MM-DD`` date that exists on the calendar."""
    value = value.strip()
    if not _ISO_DATE.fullmatch(value):
        msg = f"date {value!r} is not an ISO date (YYYY-MM-DD)"
        raise BadValue(msg)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        msg = f"date {value!r} does not exist ({exc})"
        raise BadValue(msg) from None


def check_url(value: str) -> str:
    """Accept only http(s) and relative URLs; everything else could run script."""
    stripped = value.strip()
    if not stripped:
        msg = "empty URL"
        raise BadValue(msg)
    # Browsers ignore tabs, newlines and other control characters inside a URL,
    # so "java\tscript:" is "javascript:" to them: judge the URL without them,
    # and refuse any URL that needs them.
    squeezed = _CONTROL.sub("", stripped)
    match = _SCHEME.match(squeezed)
    if squeezed != stripped or " " in stripped:
        msg = f"URL {value!r} contains spaces or control characters"
        raise BadValue(msg)
    if match:
        if match.group(1).lower() not in {"http", "https"}:
            msg = f"URL {value!r} uses the scheme {match.group(1)!r}; only http(s) and relative URLs are linked"
            raise BadValue(msg)
        if not squeezed.split(":", 1)[1].startswith("//") or len(squeezed.split(":", 1)[1]) <= 2:
            msg = f"URL {value!r} has no host"
            raise BadValue(msg)
    elif squeezed.startswith(("//", "\\\\")):
        msg = f"URL {value!r} is protocol-relative; write http:// or https://"
        raise BadValue(msg)
    return stripped


@cache
def _known_language(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def check_language(value: str) -> str:
    """A BCP 47-style language code that Babel (CLDR) knows: ``fr``, ``en-GB``."""
    code = value.strip()
    if not _LANG.fullmatch(code) or not _known_language(code):
        msg = f"unknown language code {value!r}"
        raise BadValue(msg)
    return code.replace("_", "-")


def check_orcid(value: str) -> str:
    """An ORCID iD with a valid ISO 7064 11,2 check digit; returns the bare iD."""
    match = _ORCID.fullmatch(value.strip())
    if not match:
        msg = f"ORCID {value!r} is not of the form 0000-0002-1825-0097"
        raise BadValue(msg)
    orcid = match.group(1)
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        msg = f"ORCID {value!r} has a wrong check digit"
        raise BadValue(msg)
    return orcid


"""Dates and language names in the reader's language: ``5 septembre 2011``, ``anglais``."""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts by default)
    """Mark ``message`` for the catalogue; it is translated where it is shown.

    For messages kept in module-level constants: ``get_translation``'s ``_`` is
    lazy only until a catalogue is registered, so a module first imported during a
    build (the theme's) would keep that build's language for every later build of
    the process.
    """
    return message


@cache
def babel_locale(language: str | None) -> Locale:
    """The Babel locale of a language code (``pt-BR``, ``fr``); English when Babel does not know it."""
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def format_date(iso: str, language: str | None) -> str:
    """An ISO date in the long form of ``language`` (CLDR via Babel)."""
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return str(babel_format_date(date, format="long", locale=babel_locale(language)))


def format_range(start: str, end: str, language: str | None) -> str:
    """``5 – 6 septembre 2011``-style ranges, through CLDR interval formats."""
    if not end or end == start:
        return format_date(start, language)
    from babel.dates import format_interval  # noqa: PLC0415 (rarely needed)

    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return f"{start} – {end}"
    return str(format_interval(first, last, "yMMMd", locale=babel_locale(language)))


def language_name(code: str, language: str | None) -> str:
    """The name of language ``code`` in the reader's language: ``fr`` -> ``French``."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(babel_locale(language))
    except (UnknownLocaleError, ValueError):
        return code
    return str(name) if name else code

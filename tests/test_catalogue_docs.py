"""The "Warnings" reference page covers every subtype the code can emit (issue 8).

Three lists must agree: the ``## `talkbase.<subtype>` `` headings of
docs/reference/warnings.md, the :class:`talkbase.warnings.Subtype` enum, and the
subtypes the package actually uses (``Subtype.<NAME>`` in its modules).
"""

from __future__ import annotations

import re
from pathlib import Path

from talkbase.warnings import Subtype

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "reference" / "warnings.md"
PACKAGE = ROOT / "extensions" / "talkbase"
HEADING = re.compile(r"^## `talkbase\.([a-z-]+)`$", re.MULTILINE)


def documented() -> list[str]:
    return HEADING.findall(PAGE.read_text(encoding="utf-8"))


def sections() -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    parts = HEADING.split(text)[1:]
    return dict(zip(parts[::2], parts[1::2], strict=True))


def emitted() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name != "warnings.py":
            names |= set(re.findall(r"\bSubtype\.([A-Z_]+)\b", path.read_text(encoding="utf-8")))
    return {Subtype[name].value for name in names}


def test_every_subtype_is_documented_once() -> None:
    headings = documented()
    assert len(headings) == len(set(headings)), "a subtype has two sections"
    assert set(headings) == {subtype.value for subtype in Subtype}


def test_every_subtype_is_emitted_by_the_code() -> None:
    """No subtype is declared (and documented) that the code never emits, and the reverse."""
    assert emitted() == {subtype.value for subtype in Subtype}
    assert emitted() == set(documented())


def test_every_section_shows_the_warning() -> None:
    """Each section quotes the message as Sphinx prints it, ending in its subtype."""
    for subtype, body in sections().items():
        assert f"[talkbase.{subtype}]" in body, subtype

"""Pages written by ``talkbase import``, and how a re-import updates them.

A page holds one object directive. What the import owns (see docs/cli/import.md):

- the page's first ``#`` heading and the directive's title;
- the options it writes (each replaced by the programme's value on re-import,
  or left as it is when the programme has none), except ``:tags:``, of which
  the import owns only the first tag (the track);
- the lines between ``% talkbase:import:begin`` and ``% talkbase:import:end``
  (MyST comments: invisible in every output).

Everything else is the author's: options the import does not write, the text
around the markers (the abstract, description or biography are written there
once, as starting text, when the page is created), recommendations, and
whatever follows the directive. A page without the begin marker is never
touched again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from talkbase.cli.markdown import escape_inline

BEGIN = "% talkbase:import:begin (written by `talkbase import`: lines up to the end marker are replaced on re-import)"
END = "% talkbase:import:end"
_BEGIN_PREFIX = "% talkbase:import:begin"
_OPTION = re.compile(r"^:([A-Za-z][\w-]*):(?:\s+(.*))?$")
_SAFE_VALUE = re.compile(r"[\w][\w .,:/@+&()=?-]*")


class MergeError(ValueError):
    """An existing page the import cannot update safely (the message says why)."""


@dataclass(slots=True)
class Page:
    """A page to create or update; ``options`` with an empty value are not written."""

    directive: str
    title: str
    options: list[tuple[str, str]]
    block: list[str]
    #: Written inside the directive, before the block, only when the page is created.
    starting_text: list[str] = field(default_factory=list)
    #: Written after the directive, only when the page is created.
    after: list[str] = field(default_factory=list)
    #: Fence of a new page (four backticks for talks, which may hold recommendations).
    fence: str = "```"


def option_value(value: str) -> str:
    """A directive option value, double-quoted when MyST could misread it (``#`` comments…)."""
    value = " ".join(value.split())
    if _SAFE_VALUE.fullmatch(value) and not value.endswith(":"):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def split_option_value(raw: str) -> str:
    """The text of an option value as written by :func:`option_value` (or by hand)."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    return raw


def directive_title(title: str) -> str:
    """A title as a directive argument: one line, no backticks (they would end the fence)."""
    return " ".join(title.replace("`", "'").split())


def heading(title: str) -> str:
    return f"# {escape_inline(title)}"


def render(page: Page) -> str:
    """The text of a new page."""
    lines = [heading(page.title), "", f"{page.fence}{{{page.directive}}} {directive_title(page.title)}"]
    lines += [f":{name}: {option_value(value)}" for name, value in page.options if value]
    lines.append("")
    for paragraph in page.starting_text:
        lines += [paragraph, ""]
    lines += [BEGIN, *page.block, END, page.fence]
    if page.after:
        lines += ["", *page.after]
    return "\n".join(lines) + "\n"


def owns(text: str) -> bool:
    """Whether a page was written by the import (and may be updated by it)."""
    return any(line.startswith(_BEGIN_PREFIX) for line in text.splitlines())


def merge(text: str, page: Page, name: str) -> str:
    """The page ``text`` with the import's parts replaced by those of ``page``.

    Raises :class:`MergeError` when the page has the markers but its structure
    is broken (no directive, an unclosed block), naming ``name`` (the file).
    """
    lines = text.splitlines()
    opening = re.compile(rf"^(`{{3,}}|:{{3,}})\{{{re.escape(page.directive)}\}}")
    start = next((i for i, line in enumerate(lines) if opening.match(line)), None)
    if start is None:
        msg = f"{name}: has import markers but no {{{page.directive}}} directive; restore it or delete the file"
        raise MergeError(msg)
    match = opening.match(lines[start])
    assert match is not None
    lines[start] = f"{match.group(1)}{{{page.directive}}} {directive_title(page.title)}"
    for i in range(start):
        if lines[i].startswith("# "):
            lines[i] = heading(page.title)
            break
    end_of_options = start + 1
    while end_of_options < len(lines) and _OPTION.match(lines[end_of_options]):
        end_of_options += 1
    options = _merge_options(lines[start + 1 : end_of_options], page.options)
    lines[start + 1 : end_of_options] = options
    begin = next((i for i, line in enumerate(lines) if line.startswith(_BEGIN_PREFIX)), None)
    assert begin is not None
    end = next((i for i in range(begin + 1, len(lines)) if lines[i].strip() == END), None)
    if end is None:
        msg = f"{name}: the line {END!r} is missing after the begin marker; restore it"
        raise MergeError(msg)
    lines[begin : end + 1] = [BEGIN, *page.block, END]
    return "\n".join(lines) + "\n"


def _merge_options(existing: list[str], imported: list[tuple[str, str]]) -> list[str]:
    """The options block: imported values replace the page's (every line of that
    option, so a repeated option becomes one), other options stay where they are."""
    result: list[tuple[str, str]] = []
    for line in existing:
        match = _OPTION.match(line)
        assert match is not None
        result.append((match.group(1), line))
    for name, value in imported:
        if not value:
            continue
        current = next((line for key, line in result if key == name), "")
        merged = _merge_tags(current, value) if name == "tags" else value
        new = (name, f":{name}: {option_value(merged)}")
        positions = [i for i, (key, _line) in enumerate(result) if key == name]
        if positions:
            result[positions[0]] = new
            result = [item for i, item in enumerate(result) if i not in positions[1:]]
        else:
            result.append(new)
    return [line for _name, line in result]


def _merge_tags(existing_line: str, track: str) -> str:
    """The track as first tag, the author's other tags after it."""
    match = _OPTION.match(existing_line) if existing_line else None
    current = split_option_value(match.group(2) or "") if match else ""
    others = [tag.strip() for tag in current.split(",") if tag.strip()][1:]
    return ", ".join([track, *(tag for tag in others if tag != track)])

"""Finding talks, speakers and events in the sources before Sphinx reads them.

sphinxcontrib-bibtex parses its ``.bib`` files at ``builder-inited``, before any
page is read, so the talks it can cite must be known then (see
:mod:`talkbase.cite.bibfile`).  This module reads the source files itself, at
``config-inited``, with a small line-based parser for the object directives:

- MyST: ```` ```{talk} Title ````, ``:::{talk}``, ``{kb:talk}``, options as
  ``:name: value`` lines or a ``---`` YAML block, inside other directives too;
  code fences and literal directives (``code-block``…) are skipped, the body
  of ``{eval-rst}`` is read as reStructuredText;
- reStructuredText: ``.. talk:: Title`` and ``.. kb:talk::`` with their
  indented ``:name: value`` options; literal blocks (``::``), comments and
  literal directives are skipped;
- ``include`` directives are followed (their objects belong to the including
  document).

It is deliberately small: what it cannot see (a talk made by another
extension, in a notebook, in a generated file) is reported after reading by
:func:`talkbase.cite.bibfile.cross_check`, which compares this scan with what
the directives really recorded.  Nothing here logs; the result is pure data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

#: The directives whose objects a citation needs, by every name they are written with.
WANTED = {"talk": "talk", "kb:talk": "talk", "speaker": "speaker", "kb:speaker": "speaker"}
WANTED |= {"event": "event", "kb:event": "event"}

#: Directives whose content is not parsed as markup.
LITERAL = frozenset(
    {
        "code-block",
        "code",
        "sourcecode",
        "code-cell",
        "literalinclude",
        "raw",
        "math",
        "highlight",
        "parsed-literal",
        "csv-table",
        "mermaid",
        "graphviz",
        "graph",
        "digraph",
        "doctest",
        "testcode",
        "testoutput",
        "productionlist",
        "toctree",
    }
)

MAX_INCLUDE_DEPTH = 8

_MYST_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_MYST_DIRECTIVE = re.compile(r"^\{(?P<name>[^{}\s]+)\}(?P<arg>.*)$")
_MYST_OPTION = re.compile(r"^\s*:(?P<name>[\w-]+):(?:\s+(?P<value>.*))?$")
_RST_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+(?P<name>[\w:.+-]+)::(?:[ \t]+(?P<arg>.*))?$")
_RST_EXPLICIT = re.compile(r"^(?P<indent>[ \t]*)\.\.(?:[ \t]|$)")
_RST_TARGET = re.compile(r"^[ \t]*\.\.[ \t]+(?:_|\[|\|)")
_RST_OPTION = re.compile(r"^(?P<indent>[ \t]*):(?P<name>[\w-]+):(?:[ \t]+(?P<value>.*))?$")


@dataclass(frozen=True, slots=True)
class Found:
    """One object directive found in a source file."""

    #: ``talk``, ``speaker`` or ``event``.
    kind: str
    #: The directive's argument as written (the title before cleaning).
    argument: str
    options: tuple[tuple[str, str], ...]
    docname: str
    #: 1-based line of the directive in the file it is written in.
    lineno: int

    def option(self, name: str) -> str | None:
        return dict(self.options).get(name)


@dataclass(slots=True)
class _Source:
    """A file being scanned: what to call its objects and how to follow its includes."""

    docname: str
    path: Path
    srcdir: Path
    parser_of: Callable[[Path], str | None]
    depth: int = 0
    found: list[Found] = field(default_factory=list)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _include(source: _Source, argument: str) -> None:
    """Scan a file named by an ``include`` directive as part of the current document."""
    target = argument.strip()
    if not target or target.startswith("<") or source.depth >= MAX_INCLUDE_DEPTH:
        return
    path = source.srcdir / target.lstrip("/") if target.startswith("/") else source.path.parent / target
    parser = source.parser_of(path)
    if parser is None or not path.is_file():
        return
    nested = _Source(source.docname, path, source.srcdir, source.parser_of, source.depth + 1, source.found)
    scan_file(nested, parser)


def scan_file(source: _Source, parser: str) -> None:
    try:
        text = source.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    lines = text.splitlines()
    if parser == "markdown":
        _scan_myst(source, lines, 0)
    else:
        _scan_rst(source, lines, 0)


# -- MyST ----------------------------------------------------------------------------------


def _myst_options(lines: Sequence[str], start: int) -> dict[str, str]:
    """The options of a MyST directive whose first option line would be ``lines[start]``."""
    options: dict[str, str] = {}
    if start < len(lines) and lines[start].strip() == "---":
        block = []
        for line in lines[start + 1 :]:
            if line.strip() == "---":
                break
            block.append(line)
        try:
            data = yaml.safe_load("\n".join(block))
        except yaml.YAMLError:
            return options
        if isinstance(data, dict):
            for key, value in data.items():
                text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                options[str(key)] = "" if value is None else text
        return options
    for line in lines[start:]:
        match = _MYST_OPTION.match(line)
        if not match:
            break
        options[match["name"]] = match["value"] or ""
    return options


def _skip_front_matter(lines: Sequence[str]) -> int:
    if lines and lines[0].strip() == "---":
        for position, line in enumerate(lines[1:], 1):
            if line.strip() in {"---", "..."}:
                return position + 1
    return 0


def _scan_myst(source: _Source, lines: Sequence[str], offset: int) -> None:
    """Directive fences are raw text up to their closing fence, then parsed again: so a
    fence line closes the *outermost* open fence it can close, and every fence inside it."""
    # Open fences, outermost first: (character, length, literal, directive name, first content line).
    stack: list[tuple[str, int, bool, str, int]] = []
    position = _skip_front_matter(lines) if offset == 0 else 0
    while position < len(lines):
        match = _MYST_FENCE.match(lines[position])
        fence, info = (match["fence"], match["info"].strip()) if match else ("", "")
        closed = next(
            (
                depth
                for depth, frame in enumerate(stack)
                if fence and not info and fence[0] == frame[0] and len(fence) >= frame[1]
            ),
            None,
        )
        if closed is not None:
            for frame in stack[closed:]:
                if frame[3] == "eval-rst":
                    _scan_rst(source, lines[frame[4] : position], offset + frame[4])
            del stack[closed:]
        elif fence and not (stack and stack[-1][2]) and not (fence[0] == "`" and "`" in info):
            directive = _MYST_DIRECTIVE.match(info)
            name = directive["name"] if directive else ""
            if directive and name in WANTED:
                options = _myst_options(lines, position + 1)
                source.found.append(
                    Found(
                        WANTED[name],
                        directive["arg"].strip(),
                        tuple(options.items()),
                        source.docname,
                        offset + position + 1,
                    )
                )
            elif directive and name in {"include", "kb:include"}:
                _include(source, directive["arg"])
            # A fence without a directive is a code block (a colon fence without one is text).
            if directive or fence[0] != ":":
                literal = name in LITERAL or name == "eval-rst" or not directive
                stack.append((fence[0], len(fence), literal, name, position + 1))
        position += 1


# -- reStructuredText ----------------------------------------------------------------------


def _rst_block_end(lines: Sequence[str], start: int, indent: int) -> int:
    """The first line after ``start`` that is not blank and not indented beyond ``indent``."""
    position = start
    while position < len(lines) and (not lines[position].strip() or _indent(lines[position]) > indent):
        position += 1
    return position


def _rst_directive(source: _Source, lines: Sequence[str], position: int, offset: int) -> None:
    match = _RST_DIRECTIVE.match(lines[position])
    assert match is not None
    indent = _indent(lines[position])
    argument = [match["arg"] or ""]
    options: dict[str, str] = {}
    current = ""
    option_indent = 0
    for line in lines[position + 1 :]:
        if not line.strip() or _indent(line) <= indent:
            break
        option = _RST_OPTION.match(line)
        if option:
            current, option_indent = option["name"], _indent(line)
            options[current] = option["value"] or ""
        elif current and _indent(line) > option_indent:
            options[current] = f"{options[current]} {line.strip()}".strip()
        elif not options:
            argument.append(line.strip())
        else:
            break
    source.found.append(
        Found(
            WANTED[match["name"]],
            " ".join(argument).strip(),
            tuple(options.items()),
            source.docname,
            offset + position + 1,
        )
    )


def _scan_rst(source: _Source, lines: Sequence[str], offset: int) -> None:
    position = 0
    while position < len(lines):
        line = lines[position]
        directive = _RST_DIRECTIVE.match(line)
        if directive:
            name = directive["name"]
            if name in WANTED:
                _rst_directive(source, lines, position, offset)
            elif name == "include":
                _include(source, directive["arg"] or "")
            elif name in LITERAL:
                position = _rst_block_end(lines, position + 1, _indent(line))
                continue
        elif (_RST_EXPLICIT.match(line) and not _RST_TARGET.match(line)) or line.rstrip().endswith("::"):
            # A comment, or a paragraph introducing a literal block: skip the indented block.
            position = _rst_block_end(lines, position + 1, _indent(line))
            continue
        position += 1


# -- the project -----------------------------------------------------------------------------


def scan_project(
    srcdir: Path, docs: Sequence[tuple[str, Path]], parser_of: Callable[[Path], str | None]
) -> list[Found]:
    """Every talk, speaker and event directive of ``docs`` (docname, path), in docname order.

    ``parser_of`` tells the parser of a file (``"markdown"``, ``"restructuredtext"``)
    from its name, or ``None`` for a file this scanner cannot read.
    """
    found: list[Found] = []
    for docname, path in sorted(docs):
        parser = parser_of(path)
        if parser is not None:
            scan_file(_Source(docname, path, srcdir, parser_of, 0, found), parser)
    return found


def iter_kind(found: Sequence[Found], kind: str) -> Iterator[Found]:
    return (item for item in found if item.kind == kind)

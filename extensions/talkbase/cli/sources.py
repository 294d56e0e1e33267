"""What a project already defines, read from its sources without running Sphinx.

``talkbase import`` must find an object the author already wrote, whatever
the file is called and whether it is Markdown or reStructuredText, so that it
never writes a second definition of it (a ``duplicate id`` warning) nor a
``.md`` page beside an ``.rst`` one of the same name (Sphinx then reads only
one of the two). It runs outside Sphinx, so this module scans the text of the
sources for the object directives and their ``:id:`` option, and computes
each id with the directive's own rule (:func:`talkbase.values.object_id`).

Why a scan and not a Sphinx read: the import must work on a project whose
``conf.py`` needs extensions or paths this Python does not have, and reading a
10 000-page project through Sphinx would cost as much as a build for the few
lines needed here. The files scanned are those Sphinx would read: the source
suffixes and ``exclude_patterns`` of ``conf.py`` (read with :mod:`ast`, not
run) and Sphinx's own file matcher.

Known limits of a scan: a directive written inside an rST literal block
(``::`` then an indented block) is taken for a real one; directives produced
by ``include`` or by other extensions are not seen.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sphinx.project import EXCLUDE_PATHS
from sphinx.util.matching import get_matching_files

from talkbase.values import object_id

OBJECT_TYPES = ("event", "talk", "speaker", "recommendation", "term")
#: Inside a speaker page's import block: the programme's code of the person.
PERSON_MARK = "% talkbase:import:person"
#: The line that starts the part of a page ``talkbase import`` owns (see :mod:`~talkbase.cli.pages`).
BEGIN_PREFIX = "% talkbase:import:begin"
#: Never sources of a knowledge base, and slow to walk.
ALWAYS_EXCLUDED = ("_build", ".venv", "venv", "node_modules", ".*", "**/.*")
#: Directives whose content is literal text, not parsed (examples of directives are not objects).
LITERAL_DIRECTIVES = frozenset({"code", "code-block", "sourcecode", "code-cell", "literalinclude", "parsed-literal"})

_TYPES = "|".join(OBJECT_TYPES)
_MYST_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})\s*(.*)$")
_MYST_NAME = re.compile(r"^\{([\w:.-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^\s*:([\w-]+):(?:\s+(.*?))?\s*$")
_YAML_OPTION = re.compile(r"^\s*([\w-]+):(?:\s+(.*?))?\s*$")
_RST_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w:.-]+)::(?:\s+(.*?))?\s*$")
_PERSON_LINE = re.compile(rf"^\s*{re.escape(PERSON_MARK)} (\S+)\s*$")


@dataclass(frozen=True, slots=True)
class Defined:
    """One object directive found in a source file (``path`` relative to the project)."""

    objtype: str
    objid: str
    path: Path
    line: int
    #: The programme's code of the person (speakers written by an earlier import).
    person: str = ""


@dataclass(slots=True)
class Sources:
    """The source files of a project and the objects they define."""

    root: Path
    #: Docname -> the source files of that name (more than one is already a Sphinx warning).
    files: dict[str, list[Path]] = field(default_factory=dict)
    objects: list[Defined] = field(default_factory=list)
    #: Source files with the import's begin marker: the import may update them.
    owned: set[Path] = field(default_factory=set)

    def find(self, objtype: str, objid: str) -> list[Defined]:
        """Every definition of the object, hand-written ones first."""
        found = [item for item in self.objects if item.objtype == objtype and item.objid == objid]
        return sorted(found, key=lambda item: (item.path in self.owned, item.path.as_posix(), item.line))

    def person_codes(self) -> dict[str, str]:
        """Programme code -> speaker id, from the ``% talkbase:import:person`` lines."""
        codes: dict[str, str] = {}
        for item in self.objects:
            if item.objtype == "speaker" and item.person:
                codes.setdefault(item.person, item.objid)
        return codes

    def taken(self, docname: str) -> list[Path]:
        return self.files.get(docname, [])


def conf_values(root: Path) -> dict[str, object]:
    """The literal assignments of ``root/conf.py`` (``language = "fr"``…), read without running it."""
    try:
        tree = ast.parse((root / "conf.py").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return {}
    values: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
    return values


def source_suffixes(conf: dict[str, object]) -> set[str]:
    """``.rst`` and ``.md`` (the import writes Markdown), plus those ``conf.py`` declares."""
    suffixes = {".rst", ".md"}
    declared = conf.get("source_suffix")
    if isinstance(declared, str):
        suffixes.add(declared)
    elif isinstance(declared, (list, tuple, dict)):
        suffixes |= {item for item in declared if isinstance(item, str)}
    return suffixes


def scan(root: Path) -> Sources:
    """Read every source file of the project in ``root`` (before the import plans its pages)."""
    conf = conf_values(root)
    suffixes = source_suffixes(conf)
    excluded = conf.get("exclude_patterns")
    patterns = [str(item) for item in excluded] if isinstance(excluded, (list, tuple)) else []
    sources = Sources(root)
    for name in get_matching_files(root, ("**",), [*patterns, *EXCLUDE_PATHS, *ALWAYS_EXCLUDED]):
        relative = PurePosixPath(name)
        suffix = next((s for s in sorted(suffixes, key=len, reverse=True) if name.endswith(s)), None)
        if suffix is None:
            continue
        path = Path(relative)
        sources.files.setdefault(name.removesuffix(suffix), []).append(path)
        try:
            text = (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if any(line.startswith(BEGIN_PREFIX) for line in text.splitlines()):
            sources.owned.add(path)
        scanner = _scan_rst if suffix == ".rst" else _scan_myst
        sources.objects += scanner(text.splitlines(), path)
    return sources


@dataclass(slots=True)
class _Open:
    """A directive being read: its type, where it starts, its title and options so far."""

    objtype: str
    line: int
    title: str
    options: dict[str, str] = field(default_factory=dict)
    #: Its position in the list of definitions of the file (None: it has no usable id).
    position: int | None = None

    def defined(self, path: Path) -> Defined | None:
        explicit = self.options.get("id")
        objid = object_id(self.title, _unquote(explicit) if explicit is not None else None)
        return Defined(self.objtype, objid, path, self.line) if objid else None


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _object_type(name: str) -> str:
    name = name.removeprefix("kb:")
    return name if name in OBJECT_TYPES else ""


def _scan_myst(lines: list[str], path: Path) -> list[Defined]:
    """Object directives in a MyST page: ```` ```{talk} Title ```` or ``:::{talk}``, with
    ``:id:`` in the option lines (or a ``---`` block) right after the fence."""
    found: list[Defined] = []
    # Open fences: (character, length, literal, directive being read or None).
    stack: list[tuple[str, int, bool, _Open | None]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        fence = _MYST_FENCE.match(line)
        if fence:
            marks, info = fence.groups()
            if stack and not info and marks[0] == stack[-1][0] and len(marks) >= stack[-1][1]:
                stack.pop()
                continue
            if stack and stack[-1][2]:
                continue  # inside a code block: nothing is a directive
            named = _MYST_NAME.match(info)
            name = named.group(1) if named else ""
            literal = marks[0] != ":" and (not named or name in LITERAL_DIRECTIVES)
            objtype = _object_type(name)
            opened = _Open(objtype, index, named.group(2) if named else "") if objtype else None
            if opened:
                index = _myst_options(lines, index, opened.options)
                item = opened.defined(path)
                if item:
                    opened.position = len(found)
                    found.append(item)
            stack.append((marks[0], len(marks), literal, opened))
            continue
        person = _PERSON_LINE.match(line)
        if person and not (stack and stack[-1][2]):
            speaker = next((item[3] for item in reversed(stack) if item[3] and item[3].objtype == "speaker"), None)
            if speaker and speaker.position is not None and not found[speaker.position].person:
                item = found[speaker.position]
                found[speaker.position] = Defined(item.objtype, item.objid, item.path, item.line, person.group(1))
    return found


def _myst_options(lines: list[str], index: int, options: dict[str, str]) -> int:
    """Read the options after a directive's fence line; the index of the first line after them."""
    if index < len(lines) and lines[index].strip() == "---":
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for line in lines[index + 1 : end]:
                match = _YAML_OPTION.match(line)
                if match:
                    options.setdefault(match.group(1), match.group(2) or "")
            return end + 1
    while index < len(lines) and (match := _OPTION.match(lines[index])):
        options.setdefault(match.group(1), match.group(2) or "")
        index += 1
    return index


def _scan_rst(lines: list[str], path: Path) -> list[Defined]:
    """Object directives in an rST page: ``.. talk:: Title`` (or ``.. kb:talk::``), the title
    possibly continued on the next indented lines, then ``:id:`` among the options."""
    found: list[Defined] = []
    literal_indent: int | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        indent = len(line) - len(line.lstrip())
        if literal_indent is not None:
            if not line.strip() or indent > literal_indent:
                continue
            literal_indent = None
        directive = _RST_DIRECTIVE.match(line)
        if not directive:
            continue
        name = directive.group(2)
        if name in LITERAL_DIRECTIVES:
            literal_indent = indent
            continue
        objtype = _object_type(name)
        if not objtype:
            continue
        opened = _Open(objtype, index, directive.group(3) or "")
        while index < len(lines) and lines[index].strip() and _indent(lines[index]) > indent:
            option = _OPTION.match(lines[index])
            if option:
                opened.options.setdefault(option.group(1), option.group(2) or "")
            elif not opened.options:
                opened.title = f"{opened.title} {lines[index].strip()}"
            else:
                break
            index += 1
        item = opened.defined(path)
        if item:
            found.append(item)
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())

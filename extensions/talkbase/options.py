"""Directive options an author misspelt or gave twice (read phase).

docutils and MyST check a directive's options against its ``option_spec``
before the directive runs.  Left alone, an unknown option makes docutils drop
the whole directive with an untyped error (MyST drops the option with its own
warning), and an option given twice makes docutils drop the directive (MyST
silently keeps the last value).  talkbase keeps the object and reports one
typed warning instead:

- the ``option_spec`` of a :class:`CheckedOptions` directive is an
  :class:`OptionSpec`, which accepts any name: both parsers look converters up
  with ``option_spec[name]``, and an unknown name arrives in ``self.options``
  as an :class:`UnknownOption`;
- docutils raises on a repeated name before any converter is looked up, so
  :func:`install` wraps ``docutils.utils.assemble_option_dict`` for
  :class:`OptionSpec` only (every other directive keeps docutils' behaviour):
  the last value is kept and the repeated names reach the directive under
  :data:`REPEATED`;
- MyST has already kept the last value when the directive runs, so the
  repeated names are read from the option block of the directive's
  ``block_text``.

:meth:`CheckedOptions.check_options`, called first thing in ``run``, warns
about both and removes the markers, so the rest of the directive only sees
the options it knows.  It also warns about an option given without a value:
in a MyST option block ``#`` starts a comment, so ``:hashtag: #InnoNapo``
reaches the directive empty (MyST's ``myst.directive_comments`` warning does
not say what was lost); the warning says to quote it, and the options listed in
:attr:`CheckedOptions.hash_options` (``:hashtag:``) take the text as written.

Each of these warnings points at the option's own line, found in the
directive's ``block_text`` by :func:`option_lines` (MyST ``:name:`` lines, a
MyST YAML block, or reStructuredText's field list).
"""

from __future__ import annotations

import difflib
import re
import textwrap
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import utils as docutils_utils
from docutils.parsers.rst import directives

from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: Key of ``self.options`` under which the wrapped docutils parser lists repeated names.
REPEATED = "talkbase:repeated"

_MYST_FENCE = re.compile(r"\s*(?:`{3,}|~{3,}|:{3,})")
_MYST_OPTION = re.compile(r"\s*:([^:\s]+):")
_YAML_KEY = re.compile(r"([^\s#:'\"][^:]*?)\s*:(?:\s|$)")
_RST_OPTION = re.compile(r"\s+:([^:\s]+):(?:\s|$)")


class UnknownOption:
    """The value of an option the directive does not know (dropped with a warning)."""

    __slots__ = ("value",)

    def __init__(self, value: str | None) -> None:
        self.value = value or ""


class OptionSpec(dict[str, "Callable[[str], Any]"]):
    """An ``option_spec`` that accepts every name; unknown ones convert to :class:`UnknownOption`."""

    def __missing__(self, name: str) -> Callable[[str | None], UnknownOption]:
        return UnknownOption


def _assemble(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def assemble_option_dict(option_list: Iterable[tuple[str, str | None]], options_spec: Any) -> dict[str, Any]:
        if not isinstance(options_spec, OptionSpec):
            return original(option_list, options_spec)
        last: dict[str, str | None] = {}
        repeated: dict[str, None] = {}
        for name, value in option_list:
            if name in last:
                repeated[name] = None
            last[name] = value
        options = original(list(last.items()), options_spec)
        if repeated:
            options[REPEATED] = tuple(repeated)
        return options

    assemble_option_dict.talkbase = True  # type: ignore[attr-defined]
    return assemble_option_dict


def install() -> None:
    """Let docutils hand repeated options of talkbase directives over (at ``setup``; idempotent)."""
    current = docutils_utils.assemble_option_dict
    if not getattr(current, "talkbase", False):
        docutils_utils.assemble_option_dict = _assemble(current)


#: ``(name, line offset from the directive's first line, value as written)`` of an option line.
OptionLine = tuple[str, int, str]


def _yaml_lines(lines: list[str]) -> list[OptionLine]:
    """The keys of a MyST YAML option block (``lines`` starts after the opening ``---``)."""
    block = []
    for line in lines:
        if line.startswith("---"):
            break
        block.append(line)
    return [
        (match.group(1), offset, line[match.end() :].strip())
        for offset, line in enumerate(textwrap.dedent("\n".join(block)).splitlines(), start=2)
        if (match := _YAML_KEY.match(line))
    ]


def _field_lines(lines: list[str], pattern: re.Pattern[str], stop: Callable[[str], bool]) -> list[OptionLine]:
    """The ``:name: value`` lines from ``lines[1]`` on, up to the first ``stop`` line."""
    found = []
    for offset, line in enumerate(lines[1:], start=1):
        if stop(line):
            break
        if match := pattern.match(line):
            found.append((match.group(1), offset, line[match.end() :].strip()))
    return found


def _myst_stop(line: str) -> bool:
    stripped = line.lstrip()
    return not stripped.startswith(":") or stripped.startswith(":::")


def option_lines(block_text: str) -> list[OptionLine]:
    """Each option line of a directive's text, repeats included, in order.

    The offset counts from the directive's first line (a MyST fence or the rST
    ``.. name::`` line), the line of its ``lineno``.
    """
    lines = block_text.splitlines()
    if not lines:
        return []
    if _MYST_FENCE.match(lines[0]):
        if len(lines) > 1 and lines[1].startswith("---"):
            return _yaml_lines(lines[2:])
        return _field_lines(lines, _MYST_OPTION, _myst_stop)
    # reStructuredText: the field list that follows the arguments, up to a blank line.
    return _field_lines(lines, _RST_OPTION, lambda line: not line.strip())


def myst_option_names(block_text: str) -> list[str]:
    """The option names of a MyST directive's option block, repeats included, in order."""
    lines = block_text.splitlines()
    if not lines or not _MYST_FENCE.match(lines[0]):
        return []
    return [name for name, _offset, _value in option_lines(block_text)]


class CheckedOptions:
    """Mixin of directives whose unknown and repeated options are typed warnings (read phase).

    Subclasses declare ``option_spec`` as a plain dict; it is turned into an
    :class:`OptionSpec` when the class is created.
    """

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = OptionSpec()
    options: dict[str, Any]
    name: str
    block_text: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not isinstance(cls.option_spec, OptionSpec):
            cls.option_spec = OptionSpec(cls.option_spec)

    #: Options whose value may start with ``#`` (MyST reads it as a comment): the text is kept.
    hash_options: ClassVar[frozenset[str]] = frozenset()

    if TYPE_CHECKING:

        def get_location(self) -> str: ...  # provided by SphinxDirective

        def get_source_info(self) -> tuple[str, int]: ...  # provided by SphinxDirective

    def option_location(self, name: str, lines: list[OptionLine]) -> str:
        """``source:line`` of the last ``name`` option line, else of the directive."""
        offsets = [offset for each, offset, _value in lines if each == name]
        source, lineno = self.get_source_info()
        if not offsets or not source or not lineno:
            return self.get_location()
        return f"{source}:{lineno + offsets[-1]}"

    def check_options(self) -> None:
        """Warn about unknown, repeated and empty options (flags excepted) and drop the unknown ones."""
        lines = option_lines(self.block_text)
        repeated = self.options.pop(REPEATED, None)
        if repeated is None:
            names = myst_option_names(self.block_text)
            repeated = [name for name in dict.fromkeys(names) if names.count(name) > 1]
        for name in repeated:
            value = self.options.get(name)
            shown = value.value if isinstance(value, UnknownOption) else value
            warn(
                Subtype.DUPLICATE_OPTION,
                f"{self.name}: option :{name}: is given more than once; the last value {shown!r} is used",
                location=self.option_location(name, lines),
            )
        known = sorted(self.option_spec)
        for name, value in list(self.options.items()):
            if isinstance(value, UnknownOption):
                del self.options[name]
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean :{close[0]}:?" if close else f"known options: {', '.join(known)}"
                warn(
                    Subtype.UNKNOWN_OPTION,
                    f"{self.name}: unknown option :{name}: {value.value!r} is ignored; {hint}",
                    location=self.option_location(name, lines),
                )
            elif not str(value or "").strip() and self.option_spec.get(name) is not directives.flag:
                # A flag (``:literal:``) is meant to be given without a value.
                self.check_empty(name, lines)

    def check_empty(self, name: str, lines: list[OptionLine]) -> None:
        """Warn about option ``name`` given without a value, keeping a ``#…`` text MyST dropped."""
        written = next((value for each, _offset, value in reversed(lines) if each == name), "")
        location = self.option_location(name, lines)
        if not written.startswith("#"):
            warn(Subtype.EMPTY_OPTION, f"{self.name}: option :{name}: is empty; it is ignored", location=location)
            return
        said = f"{self.name}: MyST reads :{name}: {written} as an empty option ('#' starts a comment)"
        quoted = f':{name}: "{written}"'
        if name in self.hash_options:
            self.options[name] = written
            warn(Subtype.EMPTY_OPTION, f"{said}; talkbase uses {written!r}, but write {quoted}", location=location)
        else:
            warn(Subtype.EMPTY_OPTION, f"{said}, so it is ignored; write {quoted}", location=location)

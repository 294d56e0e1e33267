"""Directive options an author misspelt or gave twice (read phase).

docutils and MyST check a directive's options against its ``option_spec``
before the directive runs.  Left alone, an unknown option makes docutils drop
the whole directive with an untyped error (MyST drops the option with its own
warning), and an option given twice makes docutils drop the directive (MyST
silently keeps the last value).  talkbase keeps the object and reports one
typed warning instead, for its own directives only; every other directive
keeps the parsers' stock behaviour (``tests/test_empty_options.py``):

- the ``option_spec`` of a :class:`CheckedOptions` directive is an
  :class:`OptionSpec`, which accepts any name: both parsers look converters up
  with ``option_spec[name]``, and an unknown name arrives in ``self.options``
  as an :class:`UnknownOption`;
- MyST has already kept the last value of a repeated option when the directive
  runs; the repeats and every option's line are read from the option block with
  MyST's own tokenizer (:func:`myst_parser.parsers.options.options_to_tokens`);
- docutils raises its ``DuplicateOptionError`` in ``utils.assemble_option_dict``,
  called by ``Body.run_directive`` before the directive class is instantiated;
  the only talkbase code it reaches there is ``option_spec[name]``, looked up
  before the duplicate check, and the error becomes docutils' "Error in
  directive" message with the directive dropped.  There is no per-directive
  hook (the ``role`` directive's way, parsing its own block with
  ``state.parse_directive_block``, would need an empty ``option_spec``, which
  MyST reads as "no options").  So :func:`reading` wraps ``docutils.utils.assemble_option_dict`` only while
  Sphinx parses a document of a talkbase project (``source-read`` to
  ``doctree-read``); the wrapper catches that error for an :class:`OptionSpec`
  only, keeps the last value and hands the repeated names over under
  :data:`REPEATED`.  Any other ``option_spec`` gets docutils' own error.

:meth:`CheckedOptions.check_options`, called first thing in ``run``, warns
about both and removes the markers, so the rest of the directive only sees
the options it knows.  It also warns about an option given without a value:
in a MyST option block ``#`` starts a comment, so ``:hashtag: #InnoNapo``
reaches the directive empty (MyST's ``myst.directive_comments`` warning does
not say what was lost); the warning says to quote it, and the options listed in
:attr:`CheckedOptions.hash_options` (``:hashtag:``) take the text as written.

Each of these warnings points at the option's own line (:meth:`CheckedOptions.option_lines`:
MyST's tokens, or the field list of the reStructuredText directive).
"""

from __future__ import annotations

import difflib
import re
from textwrap import dedent
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import utils as docutils_utils
from docutils.parsers.rst import directives
from myst_parser.mocking import MockState
from myst_parser.parsers.directives import is_option_line
from myst_parser.parsers.options import TokenizeError, options_to_tokens

from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from docutils.parsers.rst.states import RSTState
    from sphinx.application import Sphinx

#: Key of ``self.options`` under which the wrapped docutils parser lists repeated names.
REPEATED = "talkbase:repeated"

#: A reStructuredText option line of a directive (``   :name: value``).
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


_stock_assemble: Callable[..., dict[str, Any]] = docutils_utils.assemble_option_dict


def _assemble_option_dict(option_list: Iterable[tuple[str, str | None]], options_spec: Any) -> dict[str, Any]:
    """docutils' own function; its duplicate-option error is caught for an :class:`OptionSpec` only."""
    option_list = list(option_list)
    try:
        return _stock_assemble(option_list, options_spec)
    except docutils_utils.DuplicateOptionError:
        if not isinstance(options_spec, OptionSpec):
            raise
    last = dict(option_list)
    names = [name for name, _value in option_list]
    options = _stock_assemble(list(last.items()), options_spec)
    options[REPEATED] = tuple(name for name in last if names.count(name) > 1)
    return options


def _start_reading(_app: Sphinx, _docname: str, _source: list[str]) -> None:
    docutils_utils.assemble_option_dict = _assemble_option_dict


def _stop_reading(*_args: object) -> None:
    docutils_utils.assemble_option_dict = _stock_assemble


def reading(app: Sphinx) -> None:
    """Catch docutils' duplicate-option error while a document is parsed (at ``setup``).

    The wrapper is in place from ``source-read`` to ``doctree-read`` of each
    document (and removed at ``build-finished`` should a parse fail), so other
    Sphinx projects built in the same process never see it.
    """
    app.connect("source-read", _start_reading)
    app.connect("doctree-read", _stop_reading)
    app.connect("build-finished", _stop_reading)


#: ``(name, line offset from the directive's first line, value as written)`` of an option line.
OptionLine = tuple[str, int, str]


def _myst_option_lines(block_text: str) -> list[OptionLine]:
    """The option lines of a MyST directive, read as MyST reads them.

    ``block_text`` is the fence's opening line and its content; the option block
    is a YAML block between ``---`` lines or the ``:name: value`` lines that
    follow the opening line (``myst_parser.parsers.directives``).
    """
    lines = block_text.splitlines()[1:]
    if lines and lines[0].startswith("---"):
        first = 2
        block = []
        for line in lines[1:]:
            if line.startswith("---"):
                break
            block.append(line)
        block = dedent("\n".join(block)).splitlines()
    else:
        first = 1
        block = []
        for line in lines:
            if not is_option_line(line):
                break
            block.append(line.lstrip()[1:])
    try:
        tokens, _state = options_to_tokens("\n".join(block))
    except TokenizeError:
        return []  # MyST reports the bad block itself
    found = []
    for key, _value in tokens:
        # The value as written, before MyST read a ``#`` as a comment.
        written = block[key.start.line].lstrip().removeprefix(key.value).lstrip().removeprefix(":").strip()
        found.append((key.value, first + key.start.line, written))
    return found


def _rst_option_lines(block_text: str) -> list[OptionLine]:
    """The field list that follows a reStructuredText directive's arguments, up to a blank line."""
    found = []
    for offset, line in enumerate(block_text.splitlines()[1:], start=1):
        if not line.strip():
            break
        if match := _RST_OPTION.match(line):
            found.append((match.group(1), offset, line[match.end() :].strip()))
    return found


class CheckedOptions:
    """Mixin of directives whose unknown and repeated options are typed warnings (read phase).

    Subclasses declare ``option_spec`` as a plain dict; it is turned into an
    :class:`OptionSpec` when the class is created.
    """

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = OptionSpec()
    options: dict[str, Any]
    name: str
    block_text: str
    state: RSTState

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not isinstance(cls.option_spec, OptionSpec):
            cls.option_spec = OptionSpec(cls.option_spec)

    #: Options whose value may start with ``#`` (MyST reads it as a comment): the text is kept.
    hash_options: ClassVar[frozenset[str]] = frozenset()

    if TYPE_CHECKING:

        def get_location(self) -> str: ...  # provided by SphinxDirective

        def get_source_info(self) -> tuple[str, int]: ...  # provided by SphinxDirective

    def option_lines(self) -> list[OptionLine]:
        """Each option line of the directive, repeats included, in order.

        The offset counts from the directive's first line (a MyST fence or the
        rST ``.. name::`` line), the line of its ``lineno``.
        """
        if isinstance(self.state, MockState):
            return _myst_option_lines(self.block_text)
        return _rst_option_lines(self.block_text)

    def option_location(self, name: str, lines: list[OptionLine]) -> str:
        """``source:line`` of the last ``name`` option line, else of the directive."""
        offsets = [offset for each, offset, _value in lines if each == name]
        source, lineno = self.get_source_info()
        if not offsets or not source or not lineno:
            return self.get_location()
        return f"{source}:{lineno + offsets[-1]}"

    def check_options(self) -> None:
        """Warn about unknown, repeated and empty options (flags excepted) and drop the unknown ones."""
        # The option lines are read only when a warning needs them: reading a MyST
        # block again with MyST's tokenizer costs more than the rest of the check.
        found: list[OptionLine] | None = None

        def lines() -> list[OptionLine]:
            nonlocal found
            if found is None:
                found = self.option_lines()
            return found

        repeated = self.options.pop(REPEATED, None)
        if repeated is None:  # MyST kept the last value without a word
            repeated = []
            if self.may_repeat():
                names = [name for name, _offset, _value in lines()]
                repeated = [name for name in dict.fromkeys(names) if names.count(name) > 1]
        for name in repeated:
            value = self.options.get(name)
            shown = value.value if isinstance(value, UnknownOption) else value
            warn(
                Subtype.DUPLICATE_OPTION,
                f"{self.name}: option :{name}: is given more than once; the last value {shown!r} is used",
                location=self.option_location(name, lines()),
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
                    location=self.option_location(name, lines()),
                )
            elif not str(value or "").strip() and self.option_spec.get(name) is not directives.flag:
                # A flag (``:literal:``) is meant to be given without a value.
                self.check_empty(name, lines())

    def may_repeat(self) -> bool:
        """Whether the MyST option block may give an option more than once.

        MyST's tokenizer starts each option on a line of its own, so a block of
        ``:name: value`` lines with as many lines as the directive has options
        repeats none; a YAML block (``---``) or any other count is read in full.
        """
        if not isinstance(self.state, MockState):
            return True  # reStructuredText: its option lines are cheap to read
        lines = self.block_text.splitlines()[1:]
        if lines and lines[0].startswith("---"):
            return True
        count = 0
        for line in lines:
            if not is_option_line(line):
                break
            count += 1
        return count != len(self.options)

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

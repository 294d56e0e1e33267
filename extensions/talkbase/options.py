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
the options it knows.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import utils as docutils_utils

from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: Key of ``self.options`` under which the wrapped docutils parser lists repeated names.
REPEATED = "talkbase:repeated"

_MYST_FENCE = re.compile(r"\s*(?:`{3,}|~{3,}|:{3,})")
_MYST_OPTION = re.compile(r"\s*:([^:\s]+):")
_YAML_KEY = re.compile(r"([^\s#:'\"][^:]*?)\s*:(?:\s|$)")


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


def myst_option_names(block_text: str) -> list[str]:
    """The option names of a MyST directive's option block, repeats included, in order."""
    lines = block_text.splitlines()
    if not lines or not _MYST_FENCE.match(lines[0]):
        return []
    body = lines[1:]
    names = []
    if body and body[0].startswith("---"):
        block = []
        for line in body[1:]:
            if line.startswith("---"):
                break
            block.append(line)
        for line in textwrap.dedent("\n".join(block)).splitlines():
            match = _YAML_KEY.match(line)
            if match:
                names.append(match.group(1))
        return names
    for line in body:
        stripped = line.lstrip()
        if not stripped.startswith(":") or stripped.startswith(":::"):
            break
        match = _MYST_OPTION.match(line)
        if match:
            names.append(match.group(1))
    return names


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

    if TYPE_CHECKING:

        def get_location(self) -> str: ...  # provided by SphinxDirective

    def check_options(self) -> None:
        """Warn about unknown and repeated options and drop the unknown ones."""
        location = self.get_location()
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
                location=location,
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
                    location=location,
                )

"""A directive of another extension, to check that it keeps docutils' and MyST's own option handling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst import Directive, directives

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class Shout(Directive):
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"colour": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        text = f"{self.arguments[0]} in {self.options.get('colour', 'no colour')}"
        return [nodes.paragraph(text, text, classes=["shout"])]


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_directive("shout", Shout)
    return {"parallel_read_safe": True}

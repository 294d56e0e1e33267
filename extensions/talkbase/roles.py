"""Cross-reference roles: ``{talk}``, ``{speaker}``, ``{event}``, ``{rec}``, ``{kb:term}``.

The same role class serves the prefixed names (``kb:talk``) and the unprefixed
ones registered with ``app.add_role`` (``talk``): it sets its domain to ``kb``
itself, because Sphinx would otherwise look the unprefixed name up in the
default domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.roles import XRefRole

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message


class KBXRefRole(XRefRole):
    """A reference to a knowledge-base object by id (read phase)."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        if ":" in self.name:
            return super().run()
        self.refdomain, self.reftype = "kb", self.name
        self.classes = ["xref", "kb", f"kb-{self.reftype}"]
        return self.create_xref_node()

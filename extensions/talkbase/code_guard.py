"""Sphinx's code-block post-transforms, run only on pages that hold code.

Sphinx's ``HighlightLanguageTransform`` visits every node of every page written
(a docutils visitor: one dispatch per node) to give literal blocks their
language and to drop ``highlightlang`` nodes; ``TrimDoctestFlagsTransform``
walks every page twice looking for literal and doctest blocks.  On a page that
holds none of those nodes both do nothing, and most pages of a knowledge base
hold none (talkbase's "Cite this" formats are raw HTML by then, see
:mod:`talkbase.structure`): at N = 1 000 generated talks they cost twice what
they cost plain Sphinx on the same words, because talkbase's pages are bigger.

Unlike :mod:`talkbase.design_guard`, the test is made when the page is written,
just before the steps would run, by one walk that stops at the first code node:
skipping is exact whatever made the page's nodes (a directive, a translation,
another extension's post-transform), for every builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms.code import HighlightLanguageTransform, TrimDoctestFlagsTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The nodes the guarded steps act on: none on a page, nothing for them to do.
CODE_NODES = (nodes.literal_block, nodes.doctest_block, addnodes.highlightlang)

#: Sphinx's steps guarded here, by the name Sphinx registers.
GUARDED = (HighlightLanguageTransform, TrimDoctestFlagsTransform)


def holds_code(parent: nodes.Element) -> bool:
    """Whether ``parent`` holds a node of :data:`CODE_NODES` (stops at the first one)."""
    for child in parent.children:
        if isinstance(child, nodes.Element) and (isinstance(child, CODE_NODES) or holds_code(child)):
            return True
    return False


def guarded(cls: type[Any]) -> type[Any]:
    """``cls``, applied only to a page holding code (same name, this module)."""

    def apply(self: Any, **kwargs: Any) -> None:
        if holds_code(self.document):
            cls.apply(self, **kwargs)

    attributes = {"apply": apply, "__module__": __name__, "__qualname__": cls.__name__, "__doc__": cls.__doc__}
    return type(cls.__name__, (cls,), attributes)


def setup(app: Sphinx) -> None:
    """Replace Sphinx's registered code-block steps, in place, by their guarded versions (setup)."""
    transforms = app.registry.post_transforms
    for index, cls in enumerate(transforms):
        if cls in GUARDED:
            transforms[index] = guarded(cls)

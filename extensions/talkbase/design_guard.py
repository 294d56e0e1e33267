"""sphinx-design's whole-page steps, run only on the pages that hold what they look for.

sphinx-design registers five post-transforms and a ``doctree-resolved`` listener
that each walk every node of every page written, looking for the nodes its own
directives and roles make (:data:`GUARDED_TRANSFORMS`, :data:`GUARDED_LISTENERS`).
Most pages of a knowledge base hold none: talkbase's cards, badges and "Cite this"
tab set get sphinx-design's final HTML structure from :mod:`talkbase.structure`,
never as sphinx-design components.  So:

- **read**: :class:`RecordDesignNodes`, a transform after every other read step
  (Sphinx's ``doctree-read`` event, translated messages, included files are all in
  the document by then), walks the page once and notes which of those nodes it holds
  (:func:`design_nodes`) as a plain Python attribute of the document: pickled with
  the doctree, so it travels with it from ``-j`` workers and is there when an
  unchanged page is written again; never a node attribute, so it reaches no output;
- **write**: each guarded step runs only when the page holds the kind of node it
  looks for (:func:`needs`).  The test is the step's own match, so skipping a step
  is skipping a step that had nothing to do: the page is the same byte for byte.

The note is trusted only by builders that write one page per document
(``html``, ``dirhtml``, ``epub``): ``singlehtml`` (and LaTeX, Texinfo, man) resolve
one tree assembled from many documents, whose note could only be the root
document's, so every step runs there.  So it does on a doctree without the note:
read by an older talkbase, or a copy (Sphinx assembles those trees from deep copies,
which leave Python attributes behind).  The note describes the page as read: sphinx-design, Sphinx and talkbase
make none of these nodes later (talkbase's fillers and :mod:`talkbase.structure`
make final structure, no components).

:func:`setup` replaces, in place (their order is kept), the registry entries of the
steps named in the tables, and only those of the sphinx-design version whose sources
the tests were read from (:data:`CHECKED_VERSION`); a step not found under its name,
or another version, runs as sphinx-design registered it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from talkbase.singlehtml import one_page_per_document

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.transforms.post_transforms import SphinxPostTransform

#: The ``major.minor`` of sphinx-design whose steps the tables below describe.
CHECKED_VERSION = "0.8"

#: Kinds of node a page may hold (what :func:`design_nodes` notes).  The first three
#: are the ``design_component`` values of sphinx-design's containers.
DROPDOWN = "dropdown"
ASIDE = "aside"
TAB_SET = "tab-set"
NEW_TAB = "new-tab"  # an element marked ``sd_new_tab`` (card ``link-new-tab``, button ``new-tab``)
BADGE_TOOLTIP = "badge-tooltip"  # a ``pending_xref`` with ``sd_tooltip`` ({bdg-ref} with a tooltip)
BUTTON_REF = "button-ref"  # a ``pending_xref`` with the class ``sd-btn`` ({button-ref})

COMPONENTS = frozenset({DROPDOWN, ASIDE, TAB_SET})

#: sphinx-design's whole-page post-transforms (module.class) and the kind each acts on.
GUARDED_TRANSFORMS = {
    "sphinx_design.dropdown.DropdownHtmlTransform": DROPDOWN,
    "sphinx_design.aside.AsideHtmlTransform": ASIDE,
    "sphinx_design.tabs.TabSetHtmlTransform": TAB_SET,
    "sphinx_design.badges_buttons.BadgeRefTooltipStash": BADGE_TOOLTIP,
    "sphinx_design.badges_buttons.ButtonRefContentStash": BUTTON_REF,
}
#: Their counterparts (``…Graft``) return at once when the stash is empty: not guarded.

#: sphinx-design's whole-page event listeners: (event, module.function) → kind.
GUARDED_LISTENERS = {
    ("doctree-resolved", "sphinx_design.extension._resolve_new_tab_refs"): NEW_TAB,
}

#: The document's Python attribute holding what :func:`design_nodes` found.
NOTE = "talkbase_design_nodes"


def design_nodes(document: nodes.document) -> frozenset[str]:
    """The kinds of sphinx-design node ``document`` holds (read, at the end).

    One plain recursive walk (``findall`` makes one generator per node); each test is
    the one the guarded step applies to every node it visits.
    """
    found: set[str] = set()

    def note(node: nodes.Element) -> None:
        attributes = node.attributes
        component = attributes.get("design_component")
        if component in COMPONENTS:
            found.add(component)
        if attributes.get("sd_new_tab"):
            found.add(NEW_TAB)
        if isinstance(node, addnodes.pending_xref):
            if "sd_tooltip" in attributes:
                found.add(BADGE_TOOLTIP)
            if "sd-btn" in attributes.get("classes", ()):
                found.add(BUTTON_REF)

    def walk(parent: nodes.Element) -> None:
        for child in parent.children:
            if isinstance(child, nodes.Element):  # Text has no attributes and no children
                note(child)
                if child.children:
                    walk(child)

    note(document)
    walk(document)
    return frozenset(found)


class RecordDesignNodes(SphinxTransform):
    """Note which sphinx-design nodes the page holds (read, after every other step)."""

    default_priority = 999

    def apply(self, **kwargs: Any) -> None:
        setattr(self.document, NOTE, design_nodes(self.document))


def needs(document: nodes.document, kind: str, builder_cls: type[Builder]) -> bool:
    """Whether a guarded step looking for ``kind`` must run on ``document`` (write)."""
    found: frozenset[str] | None = getattr(document, NOTE, None)
    return found is None or kind in found or not one_page_per_document(builder_cls)


def guarded_transform(cls: type[SphinxPostTransform], kind: str) -> type[SphinxPostTransform]:
    """``cls``, running only on pages that hold ``kind`` (same name, this module)."""

    def run(self: SphinxPostTransform, **kwargs: Any) -> None:
        if needs(self.document, kind, self.env._builder_cls):  # the builder Sphinx's is_supported checks
            cls.run(self, **kwargs)

    attributes = {"run": run, "__module__": __name__, "__qualname__": cls.__name__, "__doc__": cls.__doc__}
    guarded: type[SphinxPostTransform] = type(cls.__name__, (cls,), attributes)
    return guarded


def guarded_listener(handler: Callable[..., Any], kind: str) -> Callable[..., Any]:
    """A ``doctree-resolved`` listener ``handler``, run only on pages that hold ``kind``."""

    def guarded(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if needs(doctree, kind, type(app.builder)):
            handler(app, doctree, docname)

    guarded.__name__ = guarded.__qualname__ = handler.__name__
    return guarded


def qualified_name(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', '?')}"


def setup(app: Sphinx) -> None:
    """Guard sphinx-design's whole-page steps (config, right after sphinx-design's setup)."""
    import sphinx_design  # noqa: PLC0415

    if not str(getattr(sphinx_design, "__version__", "")).startswith(f"{CHECKED_VERSION}."):
        return
    app.add_transform(RecordDesignNodes)
    transforms = app.registry.post_transforms
    for index, cls in enumerate(transforms):
        kind = GUARDED_TRANSFORMS.get(qualified_name(cls))
        if kind is not None:
            transforms[index] = guarded_transform(cls, kind)  # type: ignore[arg-type]
    for (event, name), kind in GUARDED_LISTENERS.items():
        listeners = app.events.listeners[event]
        for index, listener in enumerate(listeners):
            if qualified_name(listener.handler) == name:
                listeners[index] = listener._replace(handler=guarded_listener(listener.handler, kind))

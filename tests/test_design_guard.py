"""sphinx-design's whole-page steps run only where they have work (talkbase.design_guard).

Each page of ``test-design-guard`` uses one sphinx-design feature whose HTML comes
from a guarded step (one from an included file, one from a translated message);
``plain`` has none but talkbase's own cards, badges and "Cite this" tab set.  Every
page must be the same, byte for byte, as a build without the guard (stock
sphinx-design), serial, with ``-j 2`` and with ``singlehtml``.  (The including page
is reStructuredText: MyST's ``{include}`` reads Sphinx 9's deprecated ``env.app``, an
error under ``filterwarnings = error``.)
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sphinx_design
from docutils.utils import new_document
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.latex import LaTeXBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.testing.util import SphinxTestApp
from sphinx_design.aside import AsideHtmlTransform
from sphinx_design.badges_buttons import BadgeRefTooltipStash, ButtonRefContentStash
from sphinx_design.dropdown import DropdownHtmlTransform
from sphinx_design.extension import _resolve_new_tab_refs
from sphinx_design.tabs import TabSetHtmlTransform

from talkbase import design_guard

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import pytest
    from bs4 import BeautifulSoup

    from conftest import BuiltRoot

ROOT = "design-guard"
PAGES = ("plain", "targets", "dropdown", "tabs", "aside", "buttons", "badges", "cards", "included", "translated")


def stock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build without the guard from now on: sphinx-design's steps as it registers them."""
    monkeypatch.setattr(design_guard, "setup", lambda app: None)


def pages(build: BuiltRoot, builder_suffix: str = ".html") -> dict[str, bytes]:
    """Every HTML file the build wrote, by path, as bytes."""
    return {
        str(path.relative_to(build.outdir)): path.read_bytes()
        for path in sorted(build.outdir.rglob(f"*{builder_suffix}"))
    }


def soup(build: BuiltRoot, page: str) -> BeautifulSoup:
    return build.html(page)


def assert_same(guarded: dict[str, bytes], plain: dict[str, bytes]) -> None:
    assert sorted(guarded) == sorted(plain)
    differing = [name for name in guarded if guarded[name] != plain[name]]
    assert not differing, f"pages unlike stock sphinx-design: {differing}"


def assert_design_structure(build: BuiltRoot) -> None:
    """The sphinx-design HTML each page owes to a guarded step (so the comparison means something)."""
    assert len(soup(build, "dropdown").select("details.sd-dropdown > summary.sd-summary-title")) == 4
    assert soup(build, "included").select("details.sd-dropdown")
    tabs = soup(build, "tabs")
    assert len(tabs.select(".sd-tab-set > input[type=radio]")) == 4
    assert tabs.select("label[aria-controls][data-sync-id=two]")
    asides = soup(build, "aside").select("aside.sd-aside")
    assert len(asides) == 2
    assert asides[0]["aria-labelledby"]
    button = soup(build, "buttons").select_one("a.sd-btn[href='targets.html#guard-target']")
    assert button is not None
    assert button.select_one("em") is not None  # the rich content ButtonRefContentStash keeps
    assert button.get("target") == "_blank"
    assert soup(build, "buttons").select_one("a.sd-btn[href='https://example.org/']")["target"] == "_blank"  # type: ignore[index]
    assert soup(build, "cards").select_one("a.sd-stretched-link")["target"] == "_blank"  # type: ignore[index]
    assert soup(build, "badges").select_one("a.sd-badge")["title"] == "Where the links go"  # type: ignore[index]
    assert soup(build, "translated").select_one("a.sd-badge")["title"] == "Translated tooltip"  # type: ignore[index]
    # talkbase's own structure on the page with no sphinx-design component
    plain = soup(build, "plain")
    assert plain.select(".sd-card") and plain.select(".sd-badge")
    assert plain.select(".sd-tab-set > input[type=radio]")  # "Cite this"
    assert not plain.select("details, aside, [target=_blank]")


def test_pages_same_as_stock(
    built_root: Callable[..., BuiltRoot],
    copy_root: Callable[[str], Path],
    build_sphinx: Callable[..., BuiltRoot],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    guarded = built_root(ROOT)
    assert not guarded.warning_lines(), guarded.warnings
    assert_design_structure(guarded)
    stock(monkeypatch)
    plain = build_sphinx(copy_root(ROOT))
    assert_design_structure(plain)
    assert_same(pages(guarded), pages(plain))


def test_parallel_same_as_stock(
    built_root: Callable[..., BuiltRoot],
    copy_root: Callable[[str], Path],
    build_sphinx: Callable[..., BuiltRoot],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Read by ``-j 2`` workers, the note travels with the pickled doctrees."""
    guarded = built_root(ROOT, parallel=2)
    assert guarded.parallel
    assert_design_structure(guarded)
    stock(monkeypatch)
    plain = build_sphinx(copy_root(ROOT))
    assert_same(pages(guarded), pages(plain))


def test_singlehtml_same_as_stock(
    built_root: Callable[..., BuiltRoot],
    copy_root: Callable[[str], Path],
    build_sphinx: Callable[..., BuiltRoot],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One tree assembled from every page: the root page's note says nothing of the others."""
    guarded = built_root(ROOT, "singlehtml")
    page = guarded.html("index")
    assert page.select("details.sd-dropdown") and page.select("aside.sd-aside")
    stock(monkeypatch)
    plain = build_sphinx(copy_root(ROOT), "singlehtml")
    assert_same(pages(guarded), pages(plain))


STEPS: dict[str, tuple[type[Any], str]] = {
    design_guard.DROPDOWN: (DropdownHtmlTransform, "run"),
    design_guard.ASIDE: (AsideHtmlTransform, "run"),
    design_guard.TAB_SET: (TabSetHtmlTransform, "run"),
    design_guard.BADGE_TOOLTIP: (BadgeRefTooltipStash, "run"),
    design_guard.BUTTON_REF: (ButtonRefContentStash, "run"),
}

#: The guarded steps each page must run; every other guarded step is skipped there.
RUNS = {
    "index": set(),
    "plain": set(),
    "targets": set(),
    "dropdown": {design_guard.DROPDOWN},
    "included": {design_guard.DROPDOWN},
    "tabs": {design_guard.TAB_SET},
    "aside": {design_guard.ASIDE},
    "buttons": {design_guard.BUTTON_REF, design_guard.NEW_TAB},
    "badges": {design_guard.BADGE_TOOLTIP},
    "translated": {design_guard.BADGE_TOOLTIP},
    "cards": {design_guard.NEW_TAB},
}


def test_steps_run_only_where_needed(
    copy_root: Callable[[str], Path], build_sphinx: Callable[..., BuiltRoot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each guarded step of sphinx-design runs on the pages holding its nodes, and only there."""
    ran: dict[str, set[str]] = defaultdict(set)
    for kind, (cls, name) in STEPS.items():
        original = getattr(cls, name)

        def spy(self: Any, *args: Any, _kind: str = kind, _original: Any = original, **kwargs: Any) -> None:
            ran[self.env.docname].add(_kind)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, spy)

    def new_tab(app: Any, doctree: Any, docname: str) -> None:
        ran[docname].add(design_guard.NEW_TAB)
        _resolve_new_tab_refs(app, doctree, docname)

    # The listener as sphinx-design registers it, found by its name.
    new_tab.__module__, new_tab.__qualname__ = _resolve_new_tab_refs.__module__, _resolve_new_tab_refs.__qualname__
    monkeypatch.setattr("sphinx_design.extension._resolve_new_tab_refs", new_tab)
    build = build_sphinx(copy_root(ROOT))
    assert not build.warning_lines(), build.warnings
    assert {page: ran[page] for page in RUNS} == RUNS


def test_other_sphinx_design_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sphinx-design whose steps were not read for this guard keeps every step as registered."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["talkbase"]\n', encoding="utf-8")
    (srcdir / "index.rst").write_text("Index\n=====\n", encoding="utf-8")

    def registered(version: str) -> tuple[list[str], list[str]]:
        """The names of the post-transforms and ``doctree-resolved`` listeners, and the guarded ones."""
        monkeypatch.setattr(sphinx_design, "__version__", version)
        app = SphinxTestApp("html", srcdir=srcdir)
        try:
            listeners = app.events.listeners["doctree-resolved"]
            steps = [*app.registry.post_transforms, *(listener.handler for listener in listeners)]
        finally:
            app.cleanup()
        names = [step.__name__ for step in steps]
        return names, [step.__name__ for step in steps if step.__module__ == design_guard.__name__]

    names, guarded = registered("0.9.0")
    assert not guarded
    names_checked, guarded = registered("0.8.0")
    # Every step guarded, in the place sphinx-design gave it.
    expected = [name.rpartition(".")[2] for name in [*design_guard.GUARDED_TRANSFORMS, "_resolve_new_tab_refs"]]
    assert sorted(guarded) == sorted(expected)
    assert names_checked == names


def test_assembled_or_unnoted_trees_run_every_step() -> None:
    """The note is trusted only for one document's own tree in a page-per-document HTML builder."""
    document = new_document("page.md")
    setattr(document, design_guard.NOTE, frozenset({design_guard.ASIDE}))
    assert design_guard.needs(document, design_guard.ASIDE, StandaloneHTMLBuilder)
    assert not design_guard.needs(document, design_guard.DROPDOWN, StandaloneHTMLBuilder)
    assert not design_guard.needs(document, design_guard.DROPDOWN, DirectoryHTMLBuilder)
    # singlehtml and LaTeX resolve a tree assembled from every page, noted as the root page only
    assert design_guard.needs(document, design_guard.DROPDOWN, SingleFileHTMLBuilder)
    assert design_guard.needs(document, design_guard.NEW_TAB, LaTeXBuilder)
    # a doctree read without the guard, or a copy (Sphinx assembles copies), has no note
    assert design_guard.needs(document.deepcopy(), design_guard.DROPDOWN, StandaloneHTMLBuilder)

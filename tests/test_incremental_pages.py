"""The index pages kept between builds (``talkbase.pagememo``).

Sphinx writes ``genindex.html`` and the domain index pages on every build; talkbase
keeps their HTML next to the doctrees with a digest of what their templates read.
A no-op rebuild renders none of them; any change one shows (an object's name, a
style sheet's checksum, what a template's ``toctree()`` returns) renders it again,
so an incremental build writes the bytes a clean one does.
"""

from __future__ import annotations

import gettext
from typing import TYPE_CHECKING

import pytest
import sphinx.locale
from sphinx.builders.html._assets import _file_checksum_inner
from tests.conftest import build_copy, clean_build, edit, write_sphinx_catalogue

from talkbase import pagememo

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

PAGES = ("genindex", "kb-talkindex", "kb-speakerindex", "kb-termindex")


def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kept pages' templates rendered (not taken from the last build) from now on."""
    names: list[str] = []
    original = pagememo._render

    def counting(builder: object, templatename: str, ctx: dict[str, object]) -> object:
        names.append(str(ctx["pagename"]))
        return original(builder, templatename, ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(pagememo, "_render", counting)
    return names


def pages(build: BuiltRoot) -> dict[str, bytes]:
    return {name: (build.outdir / f"{name}.html").read_bytes() for name in PAGES}


@pytest.mark.parametrize("theme", ["basic", "talkbase"])
def test_noop_rebuild_renders_no_index_page(
    theme: str, copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The talkbase theme's templates translate their labels with functions of the context."""
    srcdir = copy_root("indices")
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"basic"', f'"{theme}"'), encoding="utf-8")
    first = pages(build_copy(srcdir))
    names = rendered(monkeypatch)
    again = build_copy(srcdir)
    assert names == []
    assert pages(again) == first
    assert b"Carol King" in first["genindex"]
    assert b"Carol King" in first["kb-speakerindex"]


def test_edit_shown_renders_again(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = copy_root("indices")
    build_copy(srcdir)
    edit(srcdir / "speakers.md", "{speaker} Carol King", "{speaker} Aaron King")
    names = rendered(monkeypatch)
    incremental = pages(build_copy(srcdir))
    assert set(names) >= {"genindex", "kb-speakerindex"}
    assert incremental == pages(clean_build(srcdir, tmp_path))
    assert b"Aaron King" in incremental["genindex"]


def test_changed_style_sheet_renders_again(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """The pages link their style sheets with a checksum of the file: not a context value."""
    srcdir = copy_root("indices")
    (srcdir / "_static").mkdir()
    (srcdir / "_static" / "extra.css").write_text("p { color: red; }\n", encoding="utf-8")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('html_static_path = ["_static"]\nhtml_css_files = ["extra.css"]\n')
    first = pages(build_copy(srcdir))
    (srcdir / "_static" / "extra.css").write_text("p { color: blue; }\n", encoding="utf-8")
    _file_checksum_inner.cache_clear()  # Sphinx's, once per process: a new build is a new process
    incremental = pages(build_copy(srcdir))
    assert incremental == pages(clean_build(srcdir, tmp_path))
    assert incremental["genindex"] != first["genindex"]
    assert b"extra.css?v=" in incremental["genindex"]


def test_template_calling_toctree_is_not_kept(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """What ``toctree()`` returns is in no digest: a page whose template calls it is rendered every build."""
    srcdir = copy_root("indices")
    (srcdir / "_templates").mkdir()
    (srcdir / "_templates" / "genindex.html").write_text(
        '{% extends "!genindex.html" %}{% block body %}<nav>{{ toctree() }}</nav>{{ super() }}{% endblock %}\n',
        encoding="utf-8",
    )
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('templates_path = ["_templates"]\n')
    build_copy(srcdir)
    edit(srcdir / "talks" / "day1.md", "# Day one", "# First day")
    incremental = pages(build_copy(srcdir))
    assert b"First day" in incremental["genindex"]
    assert incremental == pages(clean_build(srcdir, tmp_path))


@pytest.mark.parametrize(
    "setting",
    ['html_permalinks_icon = "#"', 'rst_prolog = ".. |x| replace:: y"', 'tags.add("extra")'],
    ids=["an html value", "an env value", "a tag"],
)
def test_changed_configuration_renders_again(
    setting: str, copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pathto`` and the templates read the configuration and the tags, not all of them context values."""
    srcdir = copy_root("indices")
    build_copy(srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"{setting}\n")
    names = rendered(monkeypatch)
    incremental = pages(build_copy(srcdir))
    assert set(names) == set(PAGES)
    assert incremental == pages(clean_build(srcdir, tmp_path))
    names.clear()
    assert pages(build_copy(srcdir)) == incremental
    assert names == []


def test_changed_catalogue_renders_again(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The templates' labels come from the catalogues, which are not context values."""
    srcdir = copy_root("indices")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('language = "fr"\nlocale_dirs = ["locale"]\n')
    write_sphinx_catalogue(srcdir, "Index", "Registre un")
    # Sphinx's translators and gettext's catalogues, made once per process: a build is a process.
    monkeypatch.setattr(sphinx.locale, "translators", {})
    monkeypatch.setattr(gettext, "_translations", {})
    assert b"Registre un" in pages(build_copy(srcdir))["genindex"]
    write_sphinx_catalogue(srcdir, "Index", "Registre deux")
    sphinx.locale.translators.clear()
    gettext._translations.clear()  # type: ignore[attr-defined]
    incremental = pages(build_copy(srcdir))
    assert b"Registre deux" in incremental["genindex"]
    sphinx.locale.translators.clear()
    gettext._translations.clear()  # type: ignore[attr-defined]
    assert incremental == pages(clean_build(srcdir, tmp_path))

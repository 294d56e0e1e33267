"""Every custom node reaches the text, LaTeX, man and Texinfo writers without error."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import BuiltRoot

TITLES = [
    "Assises des Médias Sociaux",
    "Stéphane Hugon",
    "État des lieux sociétal",
    "Intégrer le digital",
    "proxémie",
]
ANCHORS = [
    "event-ams-2011",
    "speaker-stephane-hugon",
    "talk-etat-des-lieux",
    "rec-integrer-digital",
    "term-proxemie",
]


def test_text_builder(built_root: Callable[..., BuiltRoot]) -> None:
    build = built_root("core-builders", "text")
    assert build.warnings == ""
    index = build.text("index.txt")
    for title in TITLES:
        assert title in index
    # Fields, the date inherited from the event, and the recommendation list.
    assert "Eranos" in index
    assert "5 septembre 2011" in index
    assert "Recommandations:" in index
    links = build.text("links.txt")
    assert "État des lieux sociétal" in links  # role link text is the title
    assert "etat-des-lieux" not in links


def test_latex_builder(built_root: Callable[..., BuiltRoot]) -> None:
    build = built_root("core-builders", "latex")
    assert build.warnings == ""
    tex = build.text("core.tex")
    for title in TITLES:
        assert title in tex
    for anchor in ANCHORS:
        # Each object is a LaTeX target, and links from another page reach it.
        assert f"\\label{{\\detokenize{{index:{anchor}}}}}" in tex
        assert f"\\hyperref[\\detokenize{{index:{anchor}}}]" in tex
    assert "5 septembre 2011" in tex
    assert (build.outdir / "photo.png").exists()


@pytest.mark.parametrize(("builder", "output"), [("man", "core.1"), ("texinfo", "core.texi")])
def test_other_builders(built_root: Callable[..., BuiltRoot], builder: str, output: str) -> None:
    build = built_root("core-builders", builder)
    assert build.warnings == ""
    text = build.text(output)
    for title in ["Stéphane Hugon", "proxémie"]:
        assert title in text

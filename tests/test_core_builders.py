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
    assert "Affiliation:\n   Eranos\n" in index
    talk = index[index.index("Intervention **État des lieux sociétal**") :]
    assert "\nDate:\n   5 septembre 2011\n" in talk.split("\n\n\n")[0].split("Recommandations:")[0]
    assert "\nRecommandations:\n   Intégrer le digital\n" in talk
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
    # The event's date, and the talk's, inherited from it.
    assert tex.count("\\kbfieldlabel{Date}5 septembre 2011\n") == 2
    # The speaker's photo is copied and included.
    assert "\\sphinxincludegraphics[width=2.5cm]{{photo}.png}" in tex
    assert (build.outdir / "photo.png").read_bytes() == (build.srcdir / "photo.png").read_bytes()


@pytest.mark.parametrize(("builder", "output"), [("man", "core.1"), ("texinfo", "core.texi")])
def test_other_builders(built_root: Callable[..., BuiltRoot], builder: str, output: str) -> None:
    build = built_root("core-builders", builder)
    assert build.warnings == ""
    text = build.text(output)
    for title in ["Stéphane Hugon", "proxémie"]:
        assert title in text

"""Names sort and group the way a reader expects (root ``test-collation``).

The speakers are defined out of order and chosen so that code-point order or
accent folding gets each case wrong: ``Ł`` and ``Ø`` (not decomposed by Unicode)
between their base letters' names, ``ß`` as ``ss``, a name starting with a digit,
names in Cyrillic and Han.  The speaker index, a ``speaker-list``, a
``talk-list``, the tag pages and ``_kb/kb.json`` must all show one order.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from tests.conftest import build_copy
from tests.test_indices import index_groups, squash, tag_entries

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

#: The speaker index of the English project: heading -> names, in order.
SPEAKER_GROUPS = [
    ("Symbols", ["3D Collective"]),
    ("E", ["Émile Zola"]),
    ("J", ["Jean Dupont"]),
    ("L", ["Lars Holm", "Łukasz Wiśniewski", "Lydia Ortiz"]),
    ("O", ["Oscar Ruiz", "Øystein Berg"]),
    ("S", ["Straße Kollektiv", "Strauss Collective"]),
    ("Z", ["Zoé Laurent"]),
    ("Other scripts", ["Иван Петров", "张伟"]),
]
SPEAKERS = [name for _letter, names in SPEAKER_GROUPS for name in names]
SPEAKER_IDS = [
    "collective-3d", "emile", "jean", "lars", "lukasz", "lydia", "oscar", "oystein",
    "strasse", "strauss", "zoe", "ivan", "zhang-wei",
]


@pytest.fixture
def built(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("collation")


def test_builds_without_warnings(built: BuiltRoot) -> None:
    assert built.warnings == ""


def test_speaker_index_groups_by_base_letter(built: BuiltRoot) -> None:
    groups = index_groups(built.html("kb-speakerindex"))
    assert [(heading, [entry[0] for entry in entries]) for heading, entries in groups] == SPEAKER_GROUPS


def test_listings_sort_like_the_index(built: BuiltRoot) -> None:
    page = built.html("lists")
    speakers, talks = page.select(".kb-listing")
    assert [squash(link) for link in speakers.select("li > p > a:first-of-type")] == SPEAKERS
    # Ø sorts as O: between "Ordinary" and "Zero", not after Z.
    assert [squash(link) for link in talks.select("li > p > a:first-of-type")] == [
        "Ordinary talk", "Øresund bridges", "Zero waste",
    ]


def test_tag_pages_sort_like_the_index(built: BuiltRoot) -> None:
    # Talks of one date: by title.
    assert [entry[1] for entry in tag_entries(built.html("tags/zen"))] == ["Øresund bridges", "Zero waste"]
    overview = built.html("tags/index")
    assert [squash(link) for link in overview.select("a.kb-tag")] == ["Éthique", "Łódź", "lyon", "zen"]


def test_kb_json_order(built: BuiltRoot) -> None:
    data = json.loads((built.outdir / "_kb" / "kb.json").read_text(encoding="utf-8"))
    assert data["order"]["speaker"] == SPEAKER_IDS
    assert data["order"]["talk"] == ["ordinary", "oresund", "zero"]
    assert [data["objects"]["speaker"][objid]["fields"]["title"] for objid in data["order"]["speaker"]] == SPEAKERS


def test_project_language_picks_the_native_script(copy_root: Callable[[str], Path]) -> None:
    """In a Russian project the Cyrillic names come first, and Latin ones are the other script."""
    build = build_copy(copy_root("collation"), confoverrides={"language": "ru"})
    assert build.warnings == ""
    groups = index_groups(build.html("kb-speakerindex"))
    assert [heading for heading, _entries in groups] == ["Symbols", "И", "Other scripts"]
    assert [entry[0] for entry in groups[2][1]] == [name for name in SPEAKERS[1:] if name != "Иван Петров"]


def test_pdf_speaker_index_sorts_like_the_html_one(built_root: Callable[..., BuiltRoot]) -> None:
    """The PDF's indices are the same domain indices, written by the LaTeX builder."""
    tex = built_root("collation", "latex").text("collation.tex")
    speaker_index = tex.split(r"\renewcommand{\indexname}{Speaker Index}", 1)[1].split(r"\end{sphinxtheindex}", 1)[0]
    groups: list[tuple[str, list[str]]] = []
    for line in speaker_index.splitlines():
        if line.startswith(r"\bigletter{"):
            groups.append((line.removeprefix(r"\bigletter{").removesuffix("}"), []))
        elif line.startswith(r"\item\relax\sphinxstyleindexentry{"):
            groups[-1][1].append(line.split("{", 1)[1].split("}", 1)[0])
    assert groups == SPEAKER_GROUPS


def test_group_labels_are_translated(copy_root: Callable[[str], Path]) -> None:
    build = build_copy(copy_root("collation"), confoverrides={"language": "fr"})
    groups = index_groups(build.html("kb-speakerindex"))
    assert [heading for heading, _entries in groups] == [
        "Symboles", "E", "J", "L", "O", "S", "Z", "Autres écritures",
    ]

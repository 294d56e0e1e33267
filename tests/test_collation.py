"""Names sort and group the way a reader expects (root ``test-collation``).

The speakers are defined out of order and chosen so that code-point order or
accent folding gets each case wrong: ``Ł`` and ``Ø`` (not decomposed by Unicode)
between their base letters' names, ``ß`` as ``ss``, a name starting with a digit,
names in Cyrillic and Han.  The speaker index, a ``speaker-list``, a
``talk-list``, the tag pages and ``_kb/kb.json`` must all show one order.
"""

from __future__ import annotations

import json
import pickle
import random
import struct
from typing import TYPE_CHECKING

import pytest
from pyuca.collator import Collator_10_0_0
from tests.conftest import build_copy, edit
from tests.test_indices import index_groups, squash, tag_entries

from talkbase import collation

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


# -- keys: pyuca's, put together from kept weights ------------------------------------------

#: Names where a key made of its words' and characters' weights could go wrong: letters
#: with no decomposition (Ł, Ø), expansions (ß, Æ), contractions (Catalan l·l, Cyrillic
#: й), combining marks in canonical reorder, Hangul jamo, CJK and unassigned code points
#: (implicit weights), an unknown non-starter (U+1AC1, Unicode 14: not in DUCET 10) and spaces.
NAMES = [
    *SPEAKERS, "Lars Holm", "Col·lecció Paral·lel", "COL·LECTIU", "Ĳsselmeer", "Æsir æble", "Straße",
    "Ölçek Ğüzel", "Ǆemal ǅ", "Пётр Йорк", "ⅫⅠ", "가나다", "𠀀 CJK Ext B", "q\u0301\u0327", "q\u0327\u0301",
    "a\u1ac1\u0301 b", "\u0c3c\u0301 x", "Ωmega  two spaces ", " leading", "", "x\u00a0nbsp", "tab\there",
]
#: What random names are drawn from (derandomized: the same names on every run).
ALPHABET = [*"aAeEiLlnoØßz ·\u00b7\u0301\u0308\u0327Ł张й", "l\u00b7", "L\u00b7", "\u1ac1", "\u0c3c", "\u0e40\u0e01"]


def unpack(key: bytes) -> tuple[int, ...]:
    return struct.unpack(f">{len(key) // 2}H", key)


@pytest.fixture
def fresh_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    """No weight known yet in this process (other tests may have sorted names already)."""
    monkeypatch.setattr(collation, "_KNOWN", collation._Known())


@pytest.mark.usefixtures("fresh_weights")
def test_keys_are_pyucas() -> None:
    """Each key is pyuca's own, computed from words and characters already seen or not."""
    pyuca = Collator_10_0_0()
    drawn = random.Random(0)
    names = [*NAMES, *("".join(drawn.choices(ALPHABET, k=drawn.randint(1, 10))) for _ in range(3000))]
    for name in names:
        assert unpack(collation.uca_key(name)) == pyuca.sort_key(name), name
    # Most words were put together from known characters, not collated by pyuca.
    assert 0 < 10 * len(collation._KNOWN.chars) < len(collation._KNOWN.words)
    by_key = sorted(names, key=lambda name: (collation.uca_key(name), name))
    assert by_key == sorted(names, key=lambda name: (pyuca.sort_key(name), name))


@pytest.mark.usefixtures("fresh_weights")
def test_kept_weights_spare_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Weights kept by one build let the next sort new names of known characters, and group
    known first letters, without pyuca's table; a file of another version is ignored."""
    pyuca = Collator_10_0_0()
    for name in NAMES:
        collation.uca_key(name)
        collation.group_of(name, "en")
    kept = tmp_path / collation.FILE_NAME
    collation.keep(kept)

    monkeypatch.setattr(collation, "_KNOWN", collation._Known())
    collation.load(kept)

    def no_table() -> None:
        raise AssertionError("pyuca's table was loaded")

    monkeypatch.setattr(collation, "_collator", no_table)
    # Words none of the names had, of characters they had.
    new_names = ["Émilie Zolaz", "Łukas Lydiane", "Øyst Bergen", "Straßer", "3DD", "Ивано", "张张伟"]
    assert not {word for name in new_names for word in name.split()} & set(collation._KNOWN.words)
    for name in new_names:
        assert unpack(collation.uca_key(name)) == pyuca.sort_key(name), name
    assert [collation.group_of(name, "en") for name in SPEAKERS] == [
        letter for letter, names in SPEAKER_GROUPS for _name in names
    ]
    # A word with a character never seen needs the table.
    with pytest.raises(AssertionError, match="table"):
        collation.uca_key("Ñandú")

    version, *tables = pickle.loads(kept.read_bytes())
    kept.write_bytes(pickle.dumps(((*version[:-1], "another table"), *tables)))
    monkeypatch.setattr(collation, "_KNOWN", collation._Known())
    collation.load(kept)
    assert collation._KNOWN.words == {}


def test_incremental_build_sorts_with_kept_weights(
    copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build keeps the weights next to its doctrees; the next build of the project sorts
    its listings again (a body edit) from them alone, in the same order."""
    srcdir = copy_root("collation")
    first = build_copy(srcdir)
    assert first.warnings == ""
    assert (srcdir / "_build" / "doctrees" / collation.FILE_NAME).is_file()
    monkeypatch.setattr(collation, "_KNOWN", collation._Known())
    monkeypatch.setattr(collation, "_collator", lambda: pytest.fail("pyuca's table was loaded"))
    collation.sort_key.cache_clear()
    edit(srcdir / "lists.md", "# Lists\n", "# Lists\n\nAgain.\n")
    second = build_copy(srcdir)
    collation.sort_key.cache_clear()  # keys of the patched module must not outlive the test
    assert second.warnings == ""
    speakers, _talks = second.html("lists").select(".kb-listing")
    assert [squash(link) for link in speakers.select("li > p > a:first-of-type")] == SPEAKERS

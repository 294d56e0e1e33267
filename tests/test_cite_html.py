"""The HTML of the "Cite this" block (root ``test-cite``): plain escaped formats, tabs, search.

The machine formats are written as plain ``<pre>`` text (no Pygments) inside the HTML
structure of a sphinx-design tab set that talkbase makes itself (``talkbase.structure``).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.search.en import SearchEnglish
from tests.conftest import build_copy

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bs4 import Tag
    from tests.conftest import BuiltRoot

TALKS = ("etat-des-lieux", "hostile")
FORMATS = ("bibtex", "ris", "csl-json")
#: A title written with every character HTML reads as syntax, and an entity that must stay text.
TRICKY = "<b>Tom & Jerry</b> &amp; \"quoted\" 'single' <!-- x -->"


@pytest.fixture
def html(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("cite")


def cite_block(page: BeautifulSoup, talk: str) -> Tag:
    found = page.select_one(f"div.kb-object#talk-{talk} div.kb-cite")
    assert found is not None
    return found


def shown(block: Tag, name: str) -> str:
    pre = block.select_one(f"div.kb-cite-format.kb-cite-{name} pre")
    assert pre is not None
    return pre.get_text()


def export_entries(root: BuiltRoot) -> dict[str, dict[str, str]]:
    """Each talk's entry in each export file, by format and talk id."""
    bib = root.text("_kb/talks.bib")
    # The file is the entries one after the other, separated by a blank line.
    bibtex = {re.match(r"@\w+\{([^,]+),", entry)[1]: entry for entry in re.split(r"\n(?=@)", bib)}  # type: ignore[index]
    ris_text = (root.outdir / "_kb" / "talks.ris").read_bytes().decode("utf-8")
    ris = {}
    for part in ris_text.split("\r\n\r\n"):
        record = part.removesuffix("\r\n") + "\r\n"
        ris[re.search(r"^ID  - (.*)\r$", record, re.MULTILINE)[1]] = record  # type: ignore[index]
    csl = {item["id"]: json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True) + "\n" for item in root.csl()}
    return {"bibtex": bibtex, "ris": ris, "csl-json": csl}


def test_formats_show_the_exports_text_exactly(html: BuiltRoot) -> None:
    """What a reader reads and copies is the talk's entry of each export file, character for
    character (RIS's CRLF line ends are LF in a page: an HTML parser reads them so anyway)."""
    page = html.html("talks")
    # An HTML parser reads CR LF as LF, so look at the bytes: the page has LF only (as Pygments wrote it).
    assert "\r" not in (html.outdir / "talks.html").read_bytes().decode("utf-8")
    entries = export_entries(html)
    for talk in TALKS:
        block = cite_block(page, talk)
        for name in FORMATS:
            expected = entries[name][talk].replace("\r\n", "\n")
            assert shown(block, name) == expected.rstrip("\n") + "\n", (talk, name)


def test_formats_are_plain_text_not_highlighted(html: BuiltRoot) -> None:
    block = cite_block(html.html("talks"), "etat-des-lieux")
    for name in FORMATS:
        fmt = block.select_one(f"div.kb-cite-format.kb-cite-{name}")
        assert fmt is not None
        pre = fmt.select_one("pre")
        assert pre is not None
        assert pre.find_all(True) == []  # no Pygments token spans, only text
        # Styled as a code block by every theme; the copy button names it by its caption.
        assert pre.parent is not None and "highlight" in pre.parent["class"]
        caption = fmt.select_one(".code-block-caption .caption-text")
        assert caption is not None and caption.get_text() in ("BibTeX", "RIS", "CSL-JSON")
        permalink = fmt.select_one(".code-block-caption a.headerlink")
        assert permalink is not None and permalink["href"] == f"#{fmt['id']}"


def test_tabs_are_radio_inputs_with_labels(html: BuiltRoot) -> None:
    """Every block is one radio group (arrow keys move between tabs, no script needed); each
    label names its input and the panel it shows; ids are unique on a page of several talks."""
    page = html.html("talks")
    groups = []
    for talk in TALKS:
        tab_set = cite_block(page, talk).select_one("div.sd-tab-set.kb-cite-machine")
        assert tab_set is not None
        children = [child for child in tab_set.children if child.name]
        assert [child.name for child in children] == ["input", "label", "div"] * 4  # sphinx-design's order
        inputs, labels, panels = children[0::3], children[1::3], children[2::3]
        assert [label.get_text(strip=True) for label in labels] == ["Reference", "BibTeX", "RIS", "CSL-JSON"]
        assert all(i["type"] == "radio" for i in inputs)
        assert [i.has_attr("checked") for i in inputs] == [True, False, False, False]
        assert len({i["name"] for i in inputs}) == 1
        groups.append(inputs[0]["name"])
        for one, label, panel in zip(inputs, labels, panels, strict=True):
            assert "sd-tab-label" in label["class"]
            assert label["for"] == one["id"]
            assert label["aria-controls"] == panel["id"]
            assert "sd-tab-content" in panel["class"]
        assert panels[0].select_one("p.kb-cite-reference") is not None
        assert ["no-search" in panel["class"] for panel in panels] == [False, True, True, True]
    assert len(set(groups)) == len(TALKS)
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_search_index_skips_the_formats(html: BuiltRoot) -> None:
    """Field names of the formats (BibTeX's ``eventtitle``, RIS's tags, CSL's ``date-parts``)
    and the block's own labels are not words a reader looks for: none reaches the search
    index.  What the reference says is found through the talk's card."""
    terms = html.search_index()["terms"]
    english = SearchEnglish({})
    for word in ("unpublished", "eventtitle", "venue", "slide", "speech", "genre", "keywords", "cite", "download"):
        assert english.stem(word) not in terms, word
        assert word not in terms, word
    assert english.stem("assises") in terms


def test_escaped_title_is_shown_exactly(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """A title with ``< & > " '`` (and an entity) reaches every format as written, as text."""
    srcdir = copy_root("cite")
    with (srcdir / "talks.md").open("a", encoding="utf-8") as talks:
        talks.write(f"\n```{{talk}} {TRICKY}\n:id: tricky\n:speakers: stephane-hugon\n:event: ams-2011\n```\n")
    root = build_copy(srcdir, outdir=tmp_path / "out")
    assert root.warnings == ""
    source = (root.outdir / "talks.html").read_text(encoding="utf-8")
    assert "<b>Tom" not in source and "<!-- x -->" not in source  # markup stays text
    block = cite_block(BeautifulSoup(source, "lxml"), "tricky")
    assert block.select("b") == []
    assert f"TI  - {TRICKY}\n" in shown(block, "ris")
    assert json.loads(shown(block, "csl-json"))["title"] == TRICKY
    reference = block.select_one("p.kb-cite-reference em")
    assert reference is not None
    # The APA text curls straight quotes as citeproc-js does; the data formats keep them.
    curled = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
    assert reference.get_text().translate(curled) == TRICKY


def test_epub_shows_the_reference_alone(built_root: Callable[..., BuiltRoot]) -> None:
    """EPUB has no site around it: no formats, no tabs, just the reference."""
    root = built_root("cite", "epub")
    assert "talkbase" not in root.warnings  # (the root sets no copyright or version, which EPUB asks for)
    page = BeautifulSoup((root.outdir / "talks.xhtml").read_text(encoding="utf-8"), "lxml")
    block = cite_block(page, "etat-des-lieux")
    assert block.select_one("p.kb-cite-reference") is not None
    assert block.select("input, label, pre, .sd-tab-set, .kb-cite-format") == []

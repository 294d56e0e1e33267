"""talkbase's generic nodes, and the structure each builder gives them (root ``test-generic-nodes``).

The doctree holds talkbase's own nodes (``kb_card``, ``kb_badge``, ``kb_cite``…) with
no sphinx-design class; HTML gets sphinx-design's structure (cards, badges, buttons,
the "Cite this" tabs) from a post-transform, LaTeX gets the style's environments,
and text, man and Texinfo show readable text with no HTML in it.
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp
from tests.conftest import ROOTS, build_copy

from talkbase.nodes import kb_badge, kb_card, kb_card_grid, kb_cite, kb_cite_format, kb_placeholder

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

#: The texts a reader must find in every output.
READABLE = (
    "Lire les tableaux de bord",  # the talk, its card and its table row
    "Camille Durand",
    "Journées du Web",
    "données",  # a tag (a badge in HTML)
    "graphiques",
    "Durand, C. (2024, May 14).",  # the APA reference of "Cite this"
)

#: Non-HTML builders and the file each writes the pages to.
OUTPUTS = {
    "text": ("objects.txt", "listings.txt"),
    "latex": ("generic.tex",),
    "man": ("generic.1",),
    "texinfo": ("generic.texi",),
}


def sd_classes(doctree: nodes.Node) -> list[str]:
    elements = doctree.findall(nodes.Element)
    return sorted({name for node in elements for name in node["classes"] if name.startswith("sd-")})


def test_the_read_doctree_holds_generic_nodes(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-generic-nodes", srcdir)
    app = SphinxTestApp("text", srcdir=srcdir)
    try:
        app.build()
        assert app.warning.getvalue() == ""
        # As pickled after reading: the same for every builder.
        objects = app.env.get_doctree("objects")
        assert len(list(objects.findall(kb_card))) == 3  # event, speaker, talk headers
        assert [badge.astext() for badge in objects.findall(kb_badge)] == ["données", "visualisation", "graphiques"]
        assert any(node["kind"] == "cite-this" for node in objects.findall(kb_placeholder))
        assert sd_classes(objects) == []
        assert sd_classes(app.env.get_doctree("listings")) == []
        # As resolved for a non-HTML builder: the filled placeholders are generic nodes too.
        listings = app.env.get_and_resolve_doctree("listings", app.builder, tags=app.tags)
        assert len(list(listings.findall(kb_card_grid))) == 1
        assert [card.get("variant") for card in listings.findall(kb_card)] == ["listing"]
        resolved = app.env.get_and_resolve_doctree("objects", app.builder, tags=app.tags)
        assert len(list(resolved.findall(kb_cite))) == 1
        assert list(resolved.findall(kb_cite_format)) == []  # machine formats: web builders only
        assert sd_classes(resolved) == sd_classes(listings) == []
    finally:
        app.cleanup()


@pytest.mark.parametrize("builder", sorted(OUTPUTS))
def test_non_html_output_is_readable(built_root: Callable[..., BuiltRoot], builder: str) -> None:
    root = built_root("generic-nodes", builder)
    assert root.warnings == ""
    output = "\n".join(root.text(name) for name in OUTPUTS[builder])
    flat = " ".join(output.split())
    if builder == "texinfo":  # Texinfo writes its own markup around the text: compare words
        flat = re.sub(r"@[a-z]+\{|\}", "", flat)
    for text in READABLE:
        assert text in flat, (builder, text)
    assert "sd-" not in output
    assert re.search(r"</?(div|span|input|label|a)\b", output) is None  # no raw HTML
    # BibTeX, RIS, CSL-JSON and their downloads are for web builders.
    for machine in ("@unpublished", "TY  - SLIDE", "talks.bib", "Download all talks"):
        assert machine not in output, (builder, machine)


def test_latex_gives_cards_and_tags_the_styles_structure(built_root: Callable[..., BuiltRoot]) -> None:
    tex = built_root("generic-nodes", "latex").text("generic.tex")
    assert tex.count(r"\begin{kbheader}") == 3
    assert r"\begin{kbcard}" in tex  # the card of the cards listing
    assert r"\begin{kbcite}" in tex
    assert r"\DUrole{kb-tag}{données}" in tex
    # "Referenced by" names the orphan page, which LaTeX leaves out: its text, no link (NoUri).
    backlinks = tex[tex.index(r"\begin{kbbacklinks}", tex.index(r"\begin{kbcite}")) :]
    backlinks = backlinks[: backlinks.index(r"\end{kbbacklinks}")]
    assert "Orphan notes" in backlinks
    assert r"\hyperref" not in backlinks
    assert "orphan" not in backlinks.replace("Orphan notes", "")


def test_html_has_sphinx_design_structure(built_root: Callable[..., BuiltRoot]) -> None:
    root = built_root("generic-nodes", "html")
    assert root.warnings == ""
    page = root.html("objects")
    assert len(page.select("div.kb-object > div.sd-card.kb-header > div.sd-card-body")) == 3
    assert [b.get_text() for b in page.select(".sd-badge.kb-tag")] == ["données", "visualisation", "graphiques"]
    assert {a["href"] for a in page.select("a.sd-btn.kb-link")} == {
        "https://jdw.example.org/",
        "https://camille.example.org/",
        "https://slides.example.org/tableaux",
    }
    referrers = page.select("div.kb-object#talk-tableaux div.kb-backlinks a")
    assert [(a.get_text(), a["href"]) for a in referrers] == [("Orphan notes", "orphan.html#kbref-0")]
    cards = root.html("listings").select("div.sd-container-fluid > div.sd-row.kb-cards > div.sd-col > div.sd-card")
    assert len(cards) == 1
    title = cards[0].select_one("div.sd-card-body > p.sd-card-title a.kb-ref-talk")
    assert title is not None
    assert title["href"] == "objects.html#talk-tableaux"


def test_cite_this_shows_one_format_at_a_time(built_root: Callable[..., BuiltRoot]) -> None:
    """The reference, then BibTeX, RIS and CSL-JSON, as tabs (radio buttons: keyboard-usable)."""
    block = built_root("generic-nodes", "html").html("objects").select_one("div.kb-cite")
    assert block is not None
    tab_set = block.select_one("div.sd-tab-set")
    assert tab_set is not None
    inputs = tab_set.find_all("input", recursive=False)
    labels = tab_set.find_all("label", recursive=False)
    contents = tab_set.find_all("div", recursive=False)
    assert [label.get_text(strip=True) for label in labels] == ["Reference", "BibTeX", "RIS", "CSL-JSON"]
    assert [i["type"] for i in inputs] == ["radio"] * 4
    assert len({i["name"] for i in inputs}) == 1  # one group: arrow keys move between the tabs
    assert [i.has_attr("checked") for i in inputs] == [True, False, False, False]
    assert [label["for"] for label in labels] == [i["id"] for i in inputs]
    assert contents[0].select_one("p.kb-cite-reference").get_text().startswith("Durand, C. (2024, May 14).")
    for content, (name, export) in zip(
        contents[1:], (("bibtex", "talks.bib"), ("ris", "talks.ris"), ("csl-json", "talks.csl.json")), strict=True
    ):
        assert content.select_one(f"div.kb-cite-format.kb-cite-{name} pre") is not None
        assert [a["href"] for a in content.select("a.kb-cite-download")] == [f"_kb/{export}"]
    # The block's heading and the links to every export stay outside the tabs.
    assert block.select_one(":scope > p.kb-cite-heading") is not None
    assert len(block.select(":scope > p.kb-cite-exports a")) == 4


def test_talkbase_theme_wraps_tables_when_written(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-generic-nodes", srcdir)
    themed = build_copy(srcdir, confoverrides={"html_theme": "talkbase"})
    assert themed.warnings == ""
    tables = themed.html("listings").select("table")
    assert tables
    assert all(table.parent["class"] == ["tb-scroll", "docutils", "container"] for table in tables)
    plain = build_copy(srcdir, outdir=tmp_path / "basic")
    assert plain.html("listings").select("div.tb-scroll") == []

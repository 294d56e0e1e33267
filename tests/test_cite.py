"""The citation record, its formats and the "Cite this" block of talks (root ``test-cite``)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import latexcodec  # noqa: F401 (registers the "ulatex" codec)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from pybtex.database import parse_string
from tests.conftest import build_copy, csl_schema

from talkbase.cite import formats
from talkbase.cite.record import Citation, Person, split_name

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bs4 import Tag
    from tests.conftest import BuiltRoot

HOSTILE = '</script><script>alert(1)</script> "quotes" {braces} 50% & more @misc{x,'
ETAT_APA = (
    "Hugon, S., & de La Tour, A.-S. (2011, September 5). Médias sociaux : état des lieux "
    "[Conference presentation]. Assises des Médias Sociaux, Paris. "
    "https://kb.example.org/recap/talks.html#talk-etat-des-lieux"
)
_COMMANDS = {
    "backslash": "\\",
    "braceleft": "{",
    "braceright": "}",
    "asciitilde": "~",
    "asciicircum": "^",
    "less": "<",
    "greater": ">",
    "bar": "|",
}
_ESCAPE = re.compile(r"\{\\text([a-z]+)\}|\\([$%&#_])")


def bib_literal(value: str) -> str:
    """The text a BibTeX field value typesets as (inverse of the writer's escaping)."""
    return _ESCAPE.sub(lambda match: _COMMANDS[match[1]] if match[1] else match[2], value)


def bib_title(value: str) -> str:
    """A title field: brace-protected as a whole, so no style changes its case."""
    assert value.startswith("{") and value.endswith("}"), value
    return bib_literal(value[1:-1])


# -- split_name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "given", "family"),
    [
        ("Stéphane Hugon", "Stéphane", "Hugon"),
        ("Anne-Sophie de La Tour", "Anne-Sophie", "de La Tour"),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Jean Paul Sartre", "Jean Paul", "Sartre"),
        ("Hugon, Stéphane", "Stéphane", "Hugon"),
        ("de La Tour, Anne-Sophie", "Anne-Sophie", "de La Tour"),
        ("  Zoë   Éluard ", "Zoë", "Éluard"),
    ],
)
def test_split_name(name: str, given: str, family: str) -> None:
    person = split_name(name)
    assert (person.given, person.family) == (given, family)
    assert person.literal == " ".join(name.split())


@pytest.mark.parametrize("name", ["Plato", "Collectif (Paris)", "Team 42", "Alice & Bob", "Alice and Bob", ""])
def test_split_name_keeps_non_personal_names_whole(name: str) -> None:
    assert split_name(name) == Person("", "", name)


# -- formats, from a record ------------------------------------------------------------


def hostile_citation() -> Citation:
    return Citation(
        key="hostile",
        title=HOSTILE + " a\\b }",
        authors=(split_name("Stéphane Hugon"), split_name("Collectif {x} (Paris)")),
        date="2012-03",
        event=HOSTILE,
        place="Lyon & {Villeurbanne}",
        url='https://kb.example.org/a"b{c}.html#talk-hostile',
        language="fr",
        keywords=("</script>", "50% & more", "{braces}"),
        abstract="Back\\slash } {",
    )


def test_bibtex_keeps_hostile_text_literal() -> None:
    citation = hostile_citation()
    entry = parse_string(formats.bibtex(citation), "bibtex").entries["hostile"]
    assert entry.type == "unpublished"
    assert bib_title(entry.fields["title"]) == citation.title
    assert bib_literal(entry.fields["eventtitle"]) == HOSTILE
    assert bib_literal(entry.fields["venue"]) == "Lyon & {Villeurbanne}"
    assert bib_literal(entry.fields["abstract"]) == "Back\\slash } {"
    assert bib_literal(entry.fields["keywords"]) == "</script>, 50% & more, {braces}"
    assert entry.fields["note"] == "Conference presentation"
    # The month is the macro ``mar``, which pybtex (like BibTeX and biber) reads as the name.
    assert (entry.fields["year"], entry.fields["month"], entry.fields["date"]) == ("2012", "March", "2012-03")
    assert "month = mar," in formats.bibtex(citation)
    assert entry.fields["url"] == "https://kb.example.org/a%22b%7Bc%7D.html#talk-hostile"
    authors = entry.persons["author"]
    assert str(authors[0]) == "Hugon, Stéphane"
    assert len(authors) == 2  # the organisation stays one (brace-protected) name


def test_ris() -> None:
    lines = formats.ris(hostile_citation()).splitlines()
    assert lines[0] == "TY  - SLIDE"
    assert lines[-1] == "ER  - "
    assert "AU  - Hugon, Stéphane" in lines
    assert "AU  - Collectif {x} (Paris)" in lines
    assert "DA  - 2012/03//" in lines
    assert "T2  - " + HOSTILE in lines
    assert "M3  - Conference presentation" in lines
    keywords = [line for line in lines if line.startswith("KW")]
    assert keywords == ["KW  - </script>", "KW  - 50% & more", "KW  - {braces}"]
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)


def test_csl_json_is_valid() -> None:
    item = formats.csl_json(hostile_citation())
    Draft7Validator(csl_schema()).validate([item])
    assert item["type"] == "speech"
    assert item["author"] == [{"family": "Hugon", "given": "Stéphane"}, {"literal": "Collectif {x} (Paris)"}]
    assert item["issued"] == {"date-parts": [[2012, 3]]}
    assert item["event-title"] == HOSTILE
    assert item["genre"] == "Conference presentation"


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        (("Stéphane Hugon",), "Hugon, S."),
        (("Stéphane Hugon", "Anne-Sophie de La Tour"), "Hugon, S., & de La Tour, A.-S."),
        (("A B", "C D", "Jean Paul Sartre"), "B, A., D, C., & Sartre, J. P."),
        (
            tuple(f"Given Family{chr(65 + i)}" for i in range(22)),
            ", ".join(f"Family{chr(65 + i)}, G." for i in range(19)) + ", \u2026 FamilyV, G.",
        ),
    ],
)
def test_apa_authors(authors: tuple[str, ...], expected: str) -> None:
    assert formats.apa_authors(tuple(split_name(name) for name in authors)) == expected


def test_apa_dates() -> None:
    assert formats.apa_date("2011-09-05", "en") == "2011, September 5"
    assert formats.apa_date("2011-09-05", "fr") == "2011, 5 septembre"
    assert formats.apa_date("2011-09", "en") == "2011, September"
    assert formats.apa_date("2011", "en") == "2011"
    assert formats.apa_date("", "en") == "n.d."
    # Ranges (a talk dated by its multi-day event) as citeproc-js writes them with apa.csl.
    assert formats.apa_date("2012-03-15", "en", "2012-03-16") == "2012, March 15\u201316"
    assert formats.apa_date("2012-03-30", "en", "2012-04-02") == "2012, March 30\u2013April 2"
    assert formats.apa_date("2012-12-30", "en", "2013-01-02") == "2012\u20132013, December 30\u2013January 2"
    assert formats.apa_date("2012-03", "en", "2012-04") == "2012, March\u2013April"
    assert formats.apa_date("2012-03-15", "fr", "2012-03-16") == "2012, 15\u2009\u2013\u200916 mars"  # CLDR's interval
    assert formats.apa_date("2012-03-16", "en", "2012-03-15") == "2012, March 16"  # an end before is no range


# -- the "Cite this" block -------------------------------------------------------------


@pytest.fixture
def html(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("cite")


def cite_block(root: BuiltRoot, talk: str) -> Tag:
    found = root.html("talks").select_one(f"div.kb-object#talk-{talk} div.kb-cite")
    assert found is not None
    return found


def test_builds_without_warnings(html: BuiltRoot) -> None:
    assert html.warnings == ""


def test_cite_this_block(html: BuiltRoot) -> None:
    block = cite_block(html, "etat-des-lieux")
    heading = block.select_one("p.rubric")
    assert heading is not None
    assert heading.get_text() == "Cite this"
    reference = block.select_one("p.kb-cite-reference")
    assert reference is not None
    assert " ".join(reference.get_text().split()) == ETAT_APA
    title = reference.select_one("em")
    assert title is not None
    # citeproc-js (and so the APA text) puts a narrow no-break space before the colon.
    assert title.get_text() == "Médias sociaux\u202f: état des lieux"
    link = reference.select_one("a")
    assert link is not None
    assert link["href"] == "https://kb.example.org/recap/talks.html#talk-etat-des-lieux"
    formats_shown = block.select("div.kb-cite-machine div.kb-cite-format")
    assert [f.select_one(".caption-text").get_text() for f in formats_shown] == ["BibTeX", "RIS", "CSL-JSON"]
    assert [f.select_one(".highlight").parent["class"][1] for f in formats_shown] == [
        "highlight-bibtex",
        "highlight-text",
        "highlight-json",
    ]
    bib = formats_shown[0].select_one("pre").get_text()
    assert parse_string(bib, "bibtex").entries["etat-des-lieux"].fields["eventtitle"] == "Assises des Médias Sociaux"
    assert formats_shown[1].select_one("pre").get_text().startswith("TY  - SLIDE\n")
    item = json.loads(formats_shown[2].select_one("pre").get_text())
    Draft7Validator(csl_schema()).validate([item])
    exports = [a["href"] for a in block.select("p.kb-cite-exports a")]
    assert exports == ["_kb/talks.bib", "_kb/talks.ris", "_kb/talks.csl.json", "_kb/kb.json"]


def test_hostile_text_is_inert_in_the_page(html: BuiltRoot) -> None:
    soup = html.html("talks")
    # An injection would show up as a script element of its own.
    assert not any((script.string or "").strip() == "alert(1)" for script in soup.find_all("script"))
    block = cite_block(html, "hostile")
    reference = block.select_one("p.kb-cite-reference em")
    assert reference is not None
    # The APA text curls straight quotes as citeproc-js does; the data formats keep them.
    assert reference.get_text() == HOSTILE.replace('"quotes"', "\u201cquotes\u201d")
    item = json.loads(block.select("div.kb-cite-format pre")[2].get_text())
    assert item["title"] == HOSTILE
    assert item["event-title"] == HOSTILE
    assert item["keyword"] == '</script>, "quotes", {braces}, 50% & more, @misc{x'
    bib = parse_string(block.select("div.kb-cite-format pre")[0].get_text(), "bibtex").entries["hostile"]
    assert bib_title(bib.fields["title"]) == HOSTILE


def test_copy_button_assets(html: BuiltRoot) -> None:
    for name in ("talkbase-cite.js", "talkbase-cite.css"):
        assert (html.outdir / "_static" / name).is_file()
    soup = html.html("talks")
    scripts = [s for s in soup.find_all("script") if "talkbase-cite.js" in (s.get("src") or "")]
    assert len(scripts) == 1
    assert scripts[0]["src"].startswith("_static/talkbase-cite.js")
    assert scripts[0].has_attr("defer")
    assert scripts[0]["data-kb-copy"] == "Copy"
    assert any("talkbase-cite.css" in (link.get("href") or "") for link in soup.find_all("link"))
    script = (html.outdir / "_static" / "talkbase-cite.js").read_text(encoding="utf-8")
    assert "navigator.clipboard" in script
    assert 'execCommand("copy")' in script
    assert "aria-label" in script
    assert "fetch(" not in script
    assert "XMLHttpRequest" not in script


@pytest.mark.parametrize(("builder", "page"), [("text", "talks.txt"), ("latex", "cite.tex")])
def test_only_the_reference_outside_html(built_root: Callable[..., BuiltRoot], builder: str, page: str) -> None:
    root = built_root("cite", builder)
    assert root.warnings == ""
    output = root.text(page)
    assert "Cite this" in output
    assert "Hugon" in output
    assert "Conference presentation" in output
    assert "@unpublished" not in output
    assert "TY  - SLIDE" not in output
    assert "date-parts" not in output
    assert "talks.bib" not in output
    assert not (root.outdir / "_kb").exists()
    if builder == "text":
        text = " ".join(output.split())
        assert "Hugon, S., & de La Tour, A.-S. (2011, September 5). *Médias sociaux : état des lieux*" in text
    else:
        # The APA reference of ETAT_APA, set in LaTeX: emphasis, escapes, the URL as a URL.
        assert (
            "\\kbrubric{Cite this}\n\\sphinxAtStartPar\n"
            r"Hugon, S., \& de La Tour, A.\sphinxhyphen{}S. (2011, September 5). "
            # citeproc-js's narrow no-break space before the colon (pdflatex: talkbase-pdflatex.sty).
            "\\sphinxstyleemphasis{Médias sociaux\u202f: état des lieux} {[}Conference presentation{]}. "
            r"Assises des Médias Sociaux, Paris. \sphinxurl{https://kb.example.org/recap/talks.html\#talk-etat-des-lieux}"
            "\n"
        ) in output


def test_incremental_update_of_cite_this(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("cite")
    first = build_copy(srcdir)
    assert first.warnings == ""
    talks_html = first.outdir / "talks.html"
    before = talks_html.stat().st_mtime_ns
    speakers = srcdir / "speakers.md"
    speakers.write_text(
        speakers.read_text(encoding="utf-8").replace("Anne-Sophie de La Tour", "Anne-Sophie Martin"), encoding="utf-8"
    )
    events = srcdir / "events.md"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace(":place: Paris", ":place: Marseille"), encoding="utf-8")
    second = build_copy(srcdir)
    assert second.warnings == ""
    assert talks_html.stat().st_mtime_ns != before  # talks.md did not change, its page did
    reference = cite_block(second, "etat-des-lieux").select_one("p.kb-cite-reference")
    assert reference is not None
    text = " ".join(reference.get_text().split())
    assert text.startswith("Hugon, S., & Martin, A.-S. (2011, September 5).")
    assert "Assises des Médias Sociaux, Marseille." in text
    bib = parse_string((second.outdir / "_kb" / "talks.bib").read_text(encoding="utf-8"), "bibtex")
    authors = [str(person) for person in bib.entries["etat-des-lieux"].persons["author"]]
    assert authors == ["Hugon, Stéphane", "Martin, Anne-Sophie"]


@settings(max_examples=150, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_any_text_gives_parseable_bibtex(text: str) -> None:
    citation = Citation(
        key="k", title=text or "x", authors=(split_name(text),), date="", event=text, place=text,
        url="", language="", keywords=(text,), abstract=text,
    )
    entries = parse_string(formats.bibtex(citation), "bibtex").entries
    assert list(entries) == ["k"]
    assert "author" in entries["k"].persons or not text.strip()


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20), min_size=1, max_size=4))
def test_memoised_entries_join_into_the_file_pybtex_writes(texts: list[str]) -> None:
    """talks.bib joins the entries the pages' blocks made (memoised per citation):
    it must be the text pybtex's writer makes of all the entries at once."""
    citations = [
        Citation(
            key=f"k{number}", title=text or "x", authors=(split_name(text),), date="2011-09-05" if number else "",
            event=text, place=text, url="", language="", keywords=(text,), abstract=text,
        )
        for number, text in enumerate(texts)
    ]
    formats.clear_caches()
    at_once = formats._write_bibtex(citations, classic=False)
    assert formats.bibtex_all(citations) == at_once
    # Memoised: the same text again, without writing it again.
    assert formats.bibtex_all(citations) == at_once
    assert formats.bibtex.cache_info().hits >= len(set(citations))
    parsed = parse_string(at_once, "bibtex").entries
    assert list(parsed) == [c.key for c in citations]

"""Citations checked by the tools readers use (root ``test-cite-edge``).

The root is a fixture of edge cases: LaTeX's special characters, particles ("de La
Fontaine", "van Beethoven"), hyphenated given names, suffixes (Jr., III), a nickname
in quotes, one-field names (a mononym, collectives), a name split by the author
(``:family:``/``:given:``) or kept whole (``:literal:``), three and more speakers, a
multi-day event, a talk with no date anywhere, a talk without speakers, a speaker
alone on a page.  Every talk has its own page.

- APA: the reference on each talk page, text and italics, equals what citeproc-js
  (the CSL processor of Zotero, ``tests/csl``, ``make csl-deps``) makes of the
  talk's item in ``_kb/talks.csl.json`` with the official ``apa.csl``
  (``tests/vendor/csl``);
- BibTeX: ``_kb/talks.bib`` typesets with biblatex + biber under pdflatex, xelatex and
  lualatex, and with classic BibTeX + ``plain.bst``; the PDF text is read back;
- RIS: ``_kb/talks.ris`` read by rispy, CRLF line endings;
- CSL-JSON against the schema; page metadata as Zotero reads it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import rispy
from bs4 import NavigableString, Tag
from jsonschema import Draft7Validator

from conftest import assert_warning, build_copy, csl_schema, pdftotext

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import BuiltRoot

TESTS = Path(__file__).parent
CSL_DIR = TESTS / "csl"
VENDOR = TESTS / "vendor"
CITEPROC = CSL_DIR / "node_modules" / "citeproc" / "citeproc_commonjs.js"

#: Talk id -> its page.
TALKS = {
    "specials": "specials",
    "particles": "particles",
    "many": "many",
    "suffixes": "suffixes",
    "literal": "literal",
    "platon-talk": "platon",
    "auteur-talk": "auteur",
    "nickname": "nickname",
    "panel": "panel",
}
PAGES = ["index", "events", "speakers", "alone", *TALKS.values()]
#: The specials' title as every output shows it: written with straight quotes in specials.md,
#: curled like the page's own text (talkbase.typography).
SPECIALS = "Quotes “double” & ‘single’, {braces}, 50% off, $5, #tag, a_b ~ \\backslash: l’été à Besançon"


@pytest.fixture(scope="module")
def built(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("cite-edge")


@pytest.fixture(scope="module")
def items(built: BuiltRoot) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in json.loads(built.text("_kb/talks.csl.json"))}


@pytest.fixture(scope="module")
def citeproc(items: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Talk id -> the HTML bibliography entry citeproc-js makes of the talk's CSL-JSON item."""
    assert CITEPROC.is_file(), "citeproc-js is missing: run `make csl-deps`"
    style, locale = VENDOR / "csl" / "apa.csl", VENDOR / "csl" / "locales-en-US.xml"
    run = subprocess.run(
        ["node", str(CSL_DIR / "render.js"), str(style), str(locale)],
        input=json.dumps(list(items.values())),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    entries: dict[str, str] = json.loads(run.stdout)
    return entries


def test_warnings_are_only_the_deliberate_gaps(built: BuiltRoot) -> None:
    """The fixture leaves out an event's date and a talk's speakers on purpose; nothing else warns."""
    lines = [line for line in built.warnings.splitlines() if line.strip()]
    assert len(lines) == 2, built.warnings
    assert_warning(built, "events.md", 16, "missing-option", "no :date:")
    assert_warning(built, "panel.md", 3, "missing-option", "no :speakers:")


# -- APA == citeproc-js + apa.csl --------------------------------------------------------------


def segments(element: Tag) -> list[tuple[bool, str]]:
    """The text of ``element`` as (italic?, text) runs, adjacent runs of one kind merged."""
    runs: list[tuple[bool, str]] = []

    def walk(node: Tag | NavigableString, italic: bool) -> None:
        if isinstance(node, NavigableString):
            if runs and runs[-1][0] == italic:
                runs[-1] = (italic, runs[-1][1] + str(node))
            elif str(node):
                runs.append((italic, str(node)))
            return
        for child in node.children:
            walk(child, italic or node.name in ("i", "em"))  # type: ignore[arg-type]

    walk(element, False)
    return runs


def test_apa_equals_citeproc_js(built: BuiltRoot, citeproc: dict[str, str]) -> None:
    """Every talk page's APA reference is citeproc-js's, text and italics alike."""
    from bs4 import BeautifulSoup  # noqa: PLC0415

    assert set(citeproc) == set(TALKS)
    for talk_id, page in TALKS.items():
        reference = built.html(page).select("p.kb-cite-reference")
        assert len(reference) == 1, page
        expected = BeautifulSoup(citeproc[talk_id], "html.parser").select_one("div.csl-entry")
        assert expected is not None
        assert segments(reference[0]) == segments(expected), talk_id


@pytest.mark.parametrize(
    ("talk_id", "shown"),
    [
        # A one-field name keeps APA's period; a nickname is quoted, curled, and takes the
        # period inside the quotes; suffixes after the initials.
        ("platon-talk", "Platon. (2020, January 10). Dialogues on “Forms” [Conference presentation]."),
        # The title's quotes are curled as written ('Frank' -> ‘Frank’), and citeproc-js keeps them.
        ("nickname", "Ça-Ñoño, F. “Frank.” (2011, September 30). Why ‘Frank’? [Conference presentation]."),
        ("suffixes", "King, M. L., Jr., & Smith, J., III. (2013, November 2). Dreams, Sr. and Jr."),
        # A multi-day event's range; particles stay with the family name.
        ("auteur-talk", "Auteur du compte rendu (non nommé), & de La Fontaine, J. (2012, March 15–16)."),
        ("particles", "de La Fontaine, J., van Beethoven, L., & Dupont, J.-P. M. (2011, September 5)."),
        # No date anywhere: (n.d.) in its place and "Retrieved" before the URL.
        # French spacing as citeproc-js makes it: narrow no-break spaces, whatever the language.
        ("literal", "Collectif Médias (anonyme). (n.d.). Ce que les médias font des réseaux\u202f: «\u202fune enquête"),
        ("literal", "des réseaux\u202f: «\u202fune enquête\u202f»\u202f? [Conference presentation]."),
        ("literal", "Rencontres “sans date,” Lyon. Retrieved https://kb.example.org/edge/literal.html#"),
        # Without speakers the title comes first.
        ("panel", "Panel: l’avenir. (2012, March 15–16). [Conference presentation]. Journées d’étude"),
        ("many", "Smith, J., III, Ng, É., García Márquez, G., & Mighty Ducks Ensemble. (2012, June 21)."),
    ],
)
def test_apa_edge_cases(citeproc: dict[str, str], built: BuiltRoot, talk_id: str, shown: str) -> None:
    """The issue's cases, spelled out (and the same in citeproc-js's output)."""
    from bs4 import BeautifulSoup  # noqa: PLC0415

    page = built.html(TALKS[talk_id]).select_one("p.kb-cite-reference")
    assert page is not None
    assert shown in page.get_text()
    assert shown in BeautifulSoup(citeproc[talk_id], "html.parser").get_text()


# -- CSL-JSON ----------------------------------------------------------------------------------


def test_csl_json_is_valid_and_names_are_split(items: dict[str, dict[str, Any]]) -> None:
    schema = csl_schema()
    Draft7Validator(schema).validate(list(items.values()))
    assert items["suffixes"]["author"] == [
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Smith", "given": "John", "suffix": "III"},
    ]
    assert items["particles"]["author"] == [
        {"family": "de La Fontaine", "given": "Jean"},
        {"family": "van Beethoven", "given": "Ludwig"},
        {"family": "Dupont", "given": "Jean-Pierre Marie"},
    ]
    assert items["many"]["author"][2:] == [
        {"family": "García Márquez", "given": "Gabriel"},  # :family: / :given:
        {"literal": "Mighty Ducks Ensemble"},  # :literal:
    ]
    assert items["nickname"]["author"] == [{"family": "Ça-Ñoño", "given": "François “Frank”"}]
    assert items["literal"]["author"] == [{"literal": "Collectif Médias (anonyme)"}]
    assert items["specials"]["title"] == SPECIALS
    # A talk of a multi-day event without its own date: the event's range.
    assert items["specials"]["issued"] == {"date-parts": [[2012, 3, 15], [2012, 3, 16]]}
    assert items["many"]["issued"] == {"date-parts": [[2012, 6, 21]]}
    assert "issued" not in items["literal"]
    assert "author" not in items["panel"]


# -- BibTeX, typeset -----------------------------------------------------------------------------

BIBLATEX = r"""\documentclass{article}
\usepackage[paperwidth=60cm,paperheight=80cm,margin=1cm]{geometry}
\usepackage{iftex}
\ifPDFTeX\usepackage[T1]{fontenc}\usepackage{lmodern}\fi
\usepackage[backend=biber,style=numeric,dateabbrev=false,maxbibnames=99]{biblatex}
\addbibresource{talks.bib}
\hyphenpenalty=10000
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""

CLASSIC = r"""\documentclass{article}
\usepackage[paperwidth=60cm,paperheight=80cm,margin=1cm]{geometry}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\hyphenpenalty=10000
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{talks}
\end{document}
"""

#: What every style shows of the specials' title: each character as written.
SPECIALS_SHOWN = (
    SPECIALS,
    "Caret ^, bar |, less < and greater >",
)


def run_tex(command: list[str], cwd: Path) -> str:
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=240, check=False)
    log = cwd / "doc.log"
    assert run.returncode in ((0, 1) if command[0] == "bibtex" else (0,)), (
        run.stdout[-3000:] + (log.read_text(errors="replace")[-3000:] if log.is_file() else "")
    )
    return run.stdout


def pdf_text(pdf: Path) -> str:
    return " ".join(pdftotext(str(pdf), "-").split())


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_talks_bib_typesets_with_biblatex(built: BuiltRoot, tmp_path: Path, engine: str) -> None:
    shutil.copy(built.outdir / "_kb" / "talks.bib", tmp_path / "talks.bib")
    (tmp_path / "doc.tex").write_text(BIBLATEX, encoding="utf-8")
    tex = [engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    run_tex(tex, tmp_path)
    run_tex(["biber", "doc"], tmp_path)
    blg = (tmp_path / "doc.blg").read_text(encoding="utf-8")
    assert not re.search(r"\b(WARN|ERROR)\b", blg), blg
    run_tex(tex, tmp_path)
    text = pdf_text(tmp_path / "doc.pdf")
    for shown in SPECIALS_SHOWN:
        assert shown in text
    assert "Fables, Sonatas and the Case of Paris" in text
    assert "September 5, 2011" in text  # the month macro, read by biber
    assert "March 15–16, 2012" in text  # the event's range (date = 2012-03-15/2012-03-16)
    assert "Martin Luther King Jr. and François" in text
    assert "Ça-Ñoño" in text
    assert "Collectif Médias (anonyme)" in text


def test_talks_bib_typesets_with_classic_bibtex(built: BuiltRoot, tmp_path: Path) -> None:
    shutil.copy(built.outdir / "_kb" / "talks.bib", tmp_path / "talks.bib")
    (tmp_path / "doc.tex").write_text(CLASSIC, encoding="utf-8")
    tex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    run_tex(tex, tmp_path)
    output = run_tex(["bibtex", "doc"], tmp_path)
    # The only complaint: the talk without speakers has no author to sort by.
    assert [line for line in output.splitlines() if line.startswith("Warning--")] == [
        "Warning--to sort, need author or key in panel",
        "Warning--empty author in panel",
    ]
    run_tex(tex, tmp_path)
    run_tex(tex, tmp_path)
    text = pdf_text(tmp_path / "doc.pdf")
    for shown in SPECIALS_SHOWN:
        assert shown in text
    # plain.bst lower-cases titles: the braces keep the talk's case.
    assert "Fables, Sonatas and the Case of Paris. Conference presentation, September 2011." in text
    assert "Dreams, Sr. and Jr. Conference presentation, November 2013." in text
    assert "Martin Luther King, Jr. and John Smith, III." in text
    assert "François “Frank” Ça-Ñoño. Why ‘Frank’? Conference presentation, September 2011." in text
    literal = "Collectif Médias (anonyme). Ce que les médias font des réseaux : « une enquête » ? Conference"
    assert literal in text


# -- RIS -----------------------------------------------------------------------------------------


def test_talks_ris(built: BuiltRoot) -> None:
    data = (built.outdir / "_kb" / "talks.ris").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") > 0  # CRLF, as the RIS specification says
    records = {record["id"]: record for record in rispy.loads(data.decode("utf-8"))}
    assert set(records) == set(TALKS)
    assert all(record["type_of_reference"] == "SLIDE" for record in records.values())
    assert records["suffixes"]["authors"] == ["King, Martin Luther, Jr.", "Smith, John, III"]
    assert records["literal"]["authors"] == ["Collectif Médias (anonyme)"]
    assert records["specials"]["title"] == SPECIALS
    assert records["specials"]["date"] == "2012/03/15/"


# -- page metadata -------------------------------------------------------------------------------


def metas(built: BuiltRoot, page: str, name: str) -> list[str]:
    head = built.html(page).head
    assert head is not None
    found = head.select(f'meta[name="{name}"]') + head.select(f'meta[property="{name}"]')
    return [str(meta["content"]) for meta in found]


def zotero_clean_author(author: str) -> tuple[str, str | None]:
    """(lastName, firstName) as Zotero's ``cleanAuthor`` makes them of an
    ``eprints.creators_name`` value (the RDF translator passes ``useComma`` when the
    value has a comma; leading/trailing punctuation is stripped *after* that test)."""
    use_comma = "," in author
    author = re.sub(r"^[\s\u00a0.,/\[\]:]+", "", author)
    author = re.sub(r"[\s\u00a0.,/\[\]:]+$", "", author)
    author = re.sub(r"[\s\u00a0]+", " ", author, count=1)
    if use_comma:
        names = re.split(r", ?", author)
        return (names[0], names[1]) if len(names) > 1 else (author, None)
    last, _, first = author.rpartition(" ")[::-1]
    return (last, first) if first else (last, None)


def test_zotero_keeps_one_field_names_whole(built: BuiltRoot) -> None:
    creators = metas(built, "literal", "eprints.creators_name")
    assert [zotero_clean_author(name) for name in creators] == [("Collectif Médias (anonyme)", None)]
    creators = metas(built, "auteur", "eprints.creators_name")
    assert [zotero_clean_author(name) for name in creators] == [
        ("Auteur du compte rendu (non nommé)", None),
        ("de La Fontaine", "Jean"),
    ]
    creators = metas(built, "specials", "eprints.creators_name")
    assert [zotero_clean_author(name) for name in creators] == [
        ("King", "Martin Luther Jr"),  # Zotero strips a name's final period
        ("Ça-Ñoño", "François “Frank”"),
    ]


def test_site_tags_on_every_page(built: BuiltRoot) -> None:
    for page in PAGES:
        assert metas(built, page, "og:site_name") == ["Recaps & “Notes” <edge>"], page
        assert metas(built, page, "og:locale") == ["en_US"], page
    # A speaker alone on a page: OpenGraph about the speaker, no citation tags.
    assert metas(built, "alone", "og:title") == ["Platon"]
    assert not metas(built, "alone", "eprints.type")


def test_exports_block_links_the_ris_file(built: BuiltRoot) -> None:
    links = [str(a["href"]) for a in built.html("specials").select("p.kb-cite-exports a.kb-export")]
    assert "_kb/talks.ris" in links
    assert all((built.outdir / link).is_file() for link in links)


# -- speaker options -----------------------------------------------------------------------------


def test_name_options_need_a_family(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    srcdir = copy_root("cite-edge")
    speakers = srcdir / "speakers.md"
    text = speakers.read_text(encoding="utf-8")
    text = text.replace(":id: smith\n", ":id: smith\n:given: John\n")
    text = text.replace(":id: ducks\n:literal:\n", ":id: ducks\n:literal:\n:family: Ducks\n")
    speakers.write_text(text, encoding="utf-8")
    built = build_copy(srcdir, outdir=tmp_path / "build")
    assert_warning(built, "speakers.md", 19, "bad-value", ":given: and :suffix: need :family:")
    assert_warning(built, "speakers.md", 46, "bad-value", ":literal: keeps the name whole")
    items = {item["id"]: item for item in json.loads(built.text("_kb/talks.csl.json"))}
    # Both fall back to what they would be without the ignored options.
    assert items["suffixes"]["author"][1] == {"family": "Smith", "given": "John", "suffix": "III"}
    assert items["many"]["author"][3] == {"literal": "Mighty Ducks Ensemble"}


def test_name_options_reach_the_talk_pages_incrementally(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """A speaker's name options live on the speakers' page; the talk pages follow without a full rebuild."""
    srcdir = copy_root("cite-edge")
    outdir = tmp_path / "build"
    build_copy(srcdir, outdir=outdir)
    speakers = srcdir / "speakers.md"
    text = speakers.read_text(encoding="utf-8")
    speakers.write_text(text.replace(":id: ng\n", ":id: ng\n:literal:\n"), encoding="utf-8")
    built = build_copy(srcdir, outdir=outdir)
    reference = built.html("many").select_one("p.kb-cite-reference")
    assert reference is not None
    assert "Smith, J., III, Élodie Ng, García Márquez, G., & Mighty Ducks Ensemble." in reference.get_text()
    items = {item["id"]: item for item in json.loads(built.text("_kb/talks.csl.json"))}
    assert items["many"]["author"][1] == {"literal": "Élodie Ng"}


def test_bibtex_entries_read_names_as_the_records_do(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """With sphinxcontrib-bibtex, the generated entries are the records' citations
    (name options, suffixes, literal names)."""
    srcdir = copy_root("cite-edge")
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace('"talkbase"]', '"talkbase", "sphinxcontrib.bibtex"]')
        + "bibtex_bibfiles: list[str] = []\n",
        encoding="utf-8",
    )
    build_copy(srcdir, outdir=tmp_path / "build")
    generated = (tmp_path / "build" / "doctrees" / "talkbase-talks.bib").read_text(encoding="utf-8")
    authors = "Smith, III, John and Ng, Élodie and García Márquez, Gabriel and {Mighty Ducks Ensemble}"
    assert f'author = "{authors}"' in generated

"""Talks as sphinxcontrib-bibtex entries, and ``:cite:`` on terms, recommendations and talks.

Root ``test-bibtex``: a ``refs.bib``, talks in MyST (backtick and colon fences) and
reStructuredText, fake talks in code blocks and comments, ``{cite:p}``/``{cite:t}``
of talk ids and bib keys, a ``{bibliography}``, and a talk id that is also a bib key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import BuiltRoot, build_copy

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

CLASH = re.compile(
    r"talks\.md:42: WARNING: talk id 'clash-talk' is also a key in refs\.bib.*\[talkbase\.bib-key-clash\]"
)


def entries(built: BuiltRoot) -> dict[str, str]:
    """Bibliography label -> entry text."""
    page = built.html("bibliography")
    result = {}
    for citation in page.select("div.citation"):
        label = citation.select_one("span.label").get_text(strip=True).strip("[]")
        paragraph = citation.select_one("p")
        assert paragraph is not None
        result[label] = " ".join(paragraph.get_text().split())
    return result


def citations(page: BeautifulSoup) -> list[tuple[str, list[str], list[str]]]:
    """Every resolved citation of a page: (text, link targets, link tooltips)."""
    return [
        (
            " ".join(span.get_text().split()),
            [str(a["href"]) for a in span.select("a")],
            [str(a.get("title", "")) for a in span.select("a")],
        )
        for span in page.select("span.bibtex-citation")
    ]


def other_warnings(built: BuiltRoot) -> list[str]:
    return [line for line in built.warnings.splitlines() if line.strip() and not CLASH.search(line)]


def test_first_build(copy_root, tmp_path: Path) -> None:
    built = build_copy(copy_root("bibtex"), outdir=tmp_path / "build")
    assert CLASH.search(built.warnings), built.warnings
    assert other_warnings(built) == []
    texts = entries(built)
    assert (
        "Ada Martin and Éloïse de La Tour. Proxemics online. Conference presentation, Docs Day 2024, Lyon, May 2024."
        in (" ".join(texts.values()))
    )
    assert any(text.startswith("Éloïse de La Tour. A talk in reStructuredText.") for text in texts.values())
    # The clash key is the .bib's book; examples in code blocks and comments are no talks.
    generated = (tmp_path / "build" / "doctrees" / "talkbase-talks.bib").read_text(encoding="utf-8")
    assert "clash-talk" not in generated
    assert "not-a-talk" not in generated
    assert sorted(re.findall(r"@unpublished\{([^,]+),", generated)) == ["colon-talk", "first-talk", "rst-talk"]
    # {cite:p} and {cite:t} of talks and of a bib key resolve to the bibliography.
    index = citations(built.html("index"))
    assert [text for text, _hrefs, _titles in index] == [
        "[Martin and de La Tour, 2024]",
        "de La Tour [2024]",
        "[Hall, 1966]",
    ]
    assert all(href.startswith("bibliography.html#") for _text, hrefs, _titles in index for href in hrefs)


def test_cite_option(copy_root, tmp_path: Path) -> None:
    """``:cite:`` on a talk, a recommendation and a term: a "Sources" field of citations."""
    built = build_copy(copy_root("bibtex"), outdir=tmp_path / "build")
    page = built.html("talks")
    sources = {}
    for name in page.select("dt"):
        if name.get_text(strip=True).rstrip(":") == "Sources":
            owner = name.find_parent(class_="kb-object") or name.find_parent("dl", class_="glossary")
            definition = name.find_next_sibling("dd")
            assert owner is not None and definition is not None
            sources[" ".join(definition.get_text().split())] = owner
    assert set(sources) == {"[Hall, 1966]", "[Jakobson, 1960]", "[Hall, 1966, Jakobson, 1960]"}
    # The sources are collected in the bibliography.
    texts = " ".join(entries(built).values())
    assert "Closing statement: linguistics and poetics" in texts
    assert "The Hidden Dimension" in texts


def test_unknown_cite_key(copy_root, tmp_path: Path) -> None:
    srcdir = copy_root("bibtex")
    talks = srcdir / "talks.md"
    talks.write_text(
        talks.read_text(encoding="utf-8").replace(":cite: hall1966\n", ":cite: hall1966, nosuchkey, bad{key\n"),
        encoding="utf-8",
    )
    built = build_copy(srcdir, outdir=tmp_path / "build")
    assert re.search(
        r"talks\.md:\d+: WARNING: :cite: 'bad\{key' is not a BibTeX key.*\[talkbase\.bad-value\]", built.warnings
    )
    assert re.search(
        r'talks\.md:\d+: WARNING: could not find bibtex key "nosuchkey" \[bibtex\.key_not_found\]', built.warnings
    )


def test_incremental(copy_root, tmp_path: Path) -> None:
    """A talk added, renamed, removed: the bibliography and the citing pages follow."""
    srcdir = copy_root("bibtex")
    outdir = tmp_path / "build"
    build_copy(srcdir, outdir=outdir)
    more = srcdir / "more.rst"

    # Added (and cited from its own page).
    more.write_text(
        more.read_text(encoding="utf-8")
        + "\n.. talk:: A late talk\n   :speakers: ada-martin\n   :date: 2024-06-01\n\n"
        + "Cited: :cite:p:`a-late-talk`.\n",
        encoding="utf-8",
    )
    built = build_copy(srcdir, outdir=outdir)
    assert other_warnings(built) == []
    assert any(text.startswith("Ada Martin. A late talk.") for text in entries(built).values())
    assert [text for text, _h, _t in citations(built.html("more"))] == ["[Martin, 2024]"]

    # Renamed: the bibliography and the tooltip of a citation on an unchanged page change.
    more.write_text(
        more.read_text(encoding="utf-8").replace("A talk in reStructuredText", "Renamed talk"), encoding="utf-8"
    )
    built = build_copy(srcdir, outdir=outdir)
    assert other_warnings(built) == []
    texts = " ".join(entries(built).values())
    assert "Renamed talk" in texts
    assert "A talk in reStructuredText" not in texts
    _text, _hrefs, titles = citations(built.html("index"))[1]
    assert "Renamed talk" in titles[0]

    # Removed: the page citing it (unchanged itself) is written again and warns.
    talks = srcdir / "talks.md"
    text = talks.read_text(encoding="utf-8")
    start, end = text.index("````{talk} Proxemics online"), text.index("````\n\n:::{talk}") + 5
    talks.write_text(text[:start] + text[end:], encoding="utf-8")
    built = build_copy(srcdir, outdir=outdir)
    assert re.search(
        r'index\.md:3: WARNING: could not find bibtex key "first-talk" \[bibtex\.key_not_found\]', built.warnings
    ), built.warnings
    assert "Proxemics online" not in " ".join(entries(built).values())

    # And the incremental result equals a clean build of the same sources.
    clean = build_copy(srcdir, outdir=tmp_path / "clean")
    assert entries(clean) == entries(built)
    for page in ("index", "more", "talks"):
        assert citations(clean.html(page)) == citations(built.html(page))


def test_parallel_equals_serial(copy_root, tmp_path: Path) -> None:
    srcdir = copy_root("bibtex")
    serial = build_copy(srcdir, outdir=tmp_path / "serial")
    parallel = build_copy(srcdir, outdir=tmp_path / "parallel", parallel=2)
    assert parallel.parallel
    assert other_warnings(parallel) == []
    assert CLASH.search(parallel.warnings)
    assert entries(parallel) == entries(serial)
    for page in ("index", "more", "talks"):
        assert citations(parallel.html(page)) == citations(serial.html(page))


def test_without_bibtex(copy_root, tmp_path: Path) -> None:
    """Without sphinxcontrib.bibtex nothing is generated; ``:cite:`` warns and is left out."""
    srcdir = copy_root("bibtex")
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace(', "sphinxcontrib.bibtex"]', "]"), encoding="utf-8")
    for name in ("index.md", "bibliography.md"):
        (srcdir / name).write_text("# Page\n\n```{toctree}\ntalks\nmore\n```\n" if name == "index.md" else "# B\n")
    built = build_copy(srcdir, outdir=tmp_path / "build")
    assert not (tmp_path / "build" / "doctrees" / "talkbase-talks.bib").exists()
    assert len(re.findall(r"\[talkbase\.no-bibtex\]", built.warnings)) == 3


def test_removed_talk_rewrites_citing_page(copy_root, tmp_path: Path) -> None:
    """With a builder that rewrites only outdated pages (``text``), the unchanged page
    citing a removed talk is written again, because its citations changed."""
    srcdir = copy_root("bibtex")
    outdir = tmp_path / "build"
    build_copy(srcdir, "text", outdir=outdir)
    talks = srcdir / "talks.md"
    text = talks.read_text(encoding="utf-8")
    start, end = text.index("````{talk} Proxemics online"), text.index("````\n\n:::{talk}") + 5
    talks.write_text(text[:start] + text[end:], encoding="utf-8")
    built = build_copy(srcdir, "text", outdir=outdir)
    assert "writing output... [ 67%] index" in built.status
    assert re.search(
        r'index\.md:3: WARNING: could not find bibtex key "first-talk" \[bibtex\.key_not_found\]', built.warnings
    )


# MyST's reference resolver (used by the docs' own links) reads a deprecated Sphinx attribute.
@pytest.mark.filterwarnings("ignore::sphinx.deprecation.RemovedInSphinx11Warning")
def test_citing_page_shows_the_real_block(tmp_path: Path) -> None:
    """docs/reference/citing.md copies the showcase talk's "Cite this" block: it must be
    what the build writes (the docs' example is a test input)."""
    docs = Path(__file__).parent.parent / "docs"
    source = (docs / "reference" / "citing.md").read_text(encoding="utf-8")
    examples = dict(
        re.findall(r"```\{code-block\} \w+\n:name: (citing-example-\w+)\n:caption: \w+\n\n(.*?)\n```", source, re.S)
    )
    built = build_copy(docs, outdir=tmp_path / "docs")
    block = built.html("showcase/etat-des-lieux").select_one(".kb-cite")
    assert block is not None
    assert examples["citing-example-apa"] == block.select_one(".kb-cite-reference").get_text()
    assert examples["citing-example-bibtex"] == block.select_one(".kb-cite-bibtex pre").get_text().rstrip("\n")
    # The showcase cites the talk and lists it with the glossary's sources.
    bibliography = " ".join(built.html("showcase/bibliographie").get_text().split())
    assert (
        "Médias sociaux : état des lieux sociétal et perspectives pour l’entreprise. Conference presentation"
        in bibliography
    )
    assert "Edward T. Hall. The Hidden Dimension. Doubleday" in bibliography

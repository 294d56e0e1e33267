"""The author's words reach the reader unchanged (issue 13, points 1 and 2).

The root ``test-author-words``: a glossary (``glossary.md``) whose terms are
referred to on another page (``talks.md``) by other cases, a translation, an
alias, the other apostrophe, NFD and a no-break space; two talks whose pages have
the talk's title as heading, typed with a straight (``entreprise.md``) and a
curly apostrophe (``atelier.md``); a talk whose summary holds a ``{speaker}``
and two citations (``{cite:p}``, ``{cite:t}``) of an entry of ``refs.bib``, and a
page that only links to that talk (``reading.md``, which shows its summary in the
link's hover preview).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pybtex.database
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from tests.conftest import build_copy, edit

if TYPE_CHECKING:
    from collections.abc import Callable

    from bs4 import BeautifulSoup
    from tests.conftest import BuiltRoot

BIB_KEY = "putnam2000bowling"
NFD_PROXEMIE = unicodedata.normalize("NFD", "proxémie")

#: ``{term}`` as written in talks.md (smart quotes curl the straight apostrophes of
#: the page's text, Sphinx's own rule) -> the term anchor it links to.
TERM_LINKS = [
    ("Signal Faible", "term-signal-faible"),  # case
    ("Proxemics", "term-proxemie"),  # a translation
    ("whuffie effect", "term-effet-whuffie"),  # an alias
    ("sentiment d’appartenance", "term-sentiment-d-appartenance"),  # ’ for the term's '
    ("sentiment d’exclusion", "term-sentiment-dexclusion"),  # ' (curled on the page) for the term's ’
    ("signal\u00a0faible", "term-signal-faible"),  # a no-break space
    (NFD_PROXEMIE, "term-proxemie"),  # decomposed accents
    ("signal faible", "term-signal-faible"),  # the text itself
    ("sentiment d’appartenance", "term-sentiment-d-appartenance"),  # ' for ', curled on the page
]


def fresh_copy(directory: Path) -> Path:
    srcdir = directory / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-author-words", srcdir)
    return srcdir


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_copy(fresh_copy(tmp_path_factory.mktemp("author-words")))


@pytest.fixture(scope="module")
def latex(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_copy(fresh_copy(tmp_path_factory.mktemp("author-words-latex")), "latex")


def page(build: BuiltRoot, name: str) -> BeautifulSoup:
    return build.html(name)


def paragraph(soup: BeautifulSoup, start: str) -> Any:
    """The paragraph of the page's text that starts with ``start``."""
    return next(p for p in soup.select("p") if p.get_text().startswith(start))


def term_links(build: BuiltRoot) -> list[tuple[str, str]]:
    return [(a.get_text(), str(a["href"])) for a in paragraph(page(build, "talks"), "Terms by").select("a")]


def test_builds_without_warnings(html: BuiltRoot) -> None:
    assert html.warnings == ""


def test_term_links_show_the_authors_text(html: BuiltRoot) -> None:
    assert term_links(html) == [(text, f"glossary.html#{anchor}") for text, anchor in TERM_LINKS]


def test_term_link_keeps_the_decomposed_text(html: BuiltRoot) -> None:
    """NFD stays NFD: the link text is the author's, code point for code point."""
    texts = [text for text, _href in term_links(html)]
    assert texts[6] == NFD_PROXEMIE
    assert texts[6] != unicodedata.normalize("NFC", NFD_PROXEMIE)


def test_kb_term_by_id_shows_the_terms_title(html: BuiltRoot) -> None:
    links = paragraph(page(html, "talks"), "By id").select("a")
    assert [(a.get_text(), a["href"]) for a in links] == [("proxémie", "glossary.html#term-proxemie")]


def test_term_lookup_without_smart_quotes(tmp_path: Path) -> None:
    """With ``smartquotes = False`` every text is shown exactly as typed."""
    build = build_copy(fresh_copy(tmp_path), confoverrides={"smartquotes": False})
    assert build.warnings == ""
    expected = [(text, f"glossary.html#{anchor}") for text, anchor in TERM_LINKS]
    expected[4] = ("sentiment d'exclusion", expected[4][1])
    expected[8] = ("sentiment d'appartenance", expected[8][1])
    assert term_links(build) == expected
    for name, title in (("entreprise", "l'entreprise"), ("atelier", "l’atelier")):
        assert titles_shown(build, name) == {title}


# -- titles: one rule everywhere ----------------------------------------------------------


def titles_shown(build: BuiltRoot, name: str) -> set[str]:
    """Every place the title of talk ``name`` (on page ``name``) is shown."""
    own = page(build, name)
    assert own.h1 is not None
    heading = own.h1.get_text().removesuffix("¶")
    card = own.select_one(f"#talk-{name} .kb-title-text")
    assert card is not None
    talks = page(build, "talks")
    by_id = [a.get_text() for a in paragraph(talks, "The talks, by id").select(f'a[href="{name}.html#talk-{name}"]')]
    listing = [a.get_text() for a in talks.select(f'.kb-listing a[href="{name}.html#talk-{name}"]')]
    assert len(by_id) == len(listing) == 1
    og_title = own.select_one('meta[property="og:title"]')
    assert og_title is not None
    kb = json.loads(build.text("_kb/kb.json"))["objects"]["talk"][name]["fields"]["title"]
    csl = {item["id"]: item["title"] for item in json.loads(build.text("_kb/talks.csl.json"))}[name]
    return {heading, card.get_text(), *by_id, *listing, str(og_title["content"]), kb, csl}


@pytest.mark.parametrize(("name", "title"), [("entreprise", "l’entreprise"), ("atelier", "l’atelier")])
def test_heading_card_links_and_exports_show_one_title(html: BuiltRoot, name: str, title: str) -> None:
    """Typed ``l'entreprise`` in both the heading and the talk: both curled as Sphinx curls the page."""
    assert titles_shown(html, name) == {title}


@pytest.mark.parametrize(("name", "title"), [("entreprise", "l’entreprise"), ("atelier", "l’atelier")])
def test_latex_chapter_and_card_show_one_title(latex: BuiltRoot, name: str, title: str) -> None:
    tex = latex.text("author-words.tex")
    chapter = re.search(r"\\chapter\{([^}]*)\}\n\\label\{\\detokenize\{" + name + "[:}]", tex)
    anchor = r"\\label\{\\detokenize\{" + name + ":talk-" + name + r"\}\}"
    card = re.search(anchor + r".*?\\kbtitle\{.*?\\sphinxstylestrong\{([^}]*)\}", tex, re.S)
    assert chapter is not None
    assert card is not None
    assert (chapter.group(1), card.group(1)) == (title, title)


def test_heading_and_title_are_one_message(tmp_path: Path) -> None:
    """The gettext builder extracts the title as typed, like the heading: one message."""
    build = build_copy(fresh_copy(tmp_path), "gettext")
    with (build.outdir / "entreprise.pot").open("rb") as stream:
        catalogue = read_po(stream)
    message = catalogue.get("l'entreprise")
    assert message is not None
    assert [line for _file, line in message.locations] == [1, 3]  # the heading, the talk
    assert catalogue.get("l’entreprise") is None


def test_translated_heading_and_title_agree(tmp_path: Path) -> None:
    srcdir = fresh_copy(tmp_path)
    messages = srcdir / "locale" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    catalogue = Catalog(locale="fr")
    catalogue.add("l'entreprise", "l'entreprise d'en face")
    with (messages / "entreprise.mo").open("wb") as stream:
        write_mo(stream, catalogue)
    build = build_copy(srcdir, confoverrides={"language": "fr", "locale_dirs": ["locale"]})
    assert build.warnings == ""
    assert titles_shown(build, "entreprise") == {"l’entreprise d’en face"}


# -- summaries: text only -------------------------------------------------------------------


def rendered_citations(build: BuiltRoot) -> list[str]:
    """The citations as the talk's page shows them (sphinxcontrib-bibtex's own rendering)."""
    return [span.get_text() for span in page(build, "talks").select("#talk-capital span.bibtex-citation")]


def expected_summary(build: BuiltRoot, speaker: str = "Marie Dupont") -> str:
    parenthetical, textual = rendered_citations(build)
    return f"Trust grows with {speaker} and her ties {parenthetical}, as {textual} shows."


def test_citations_render_as_on_the_page(html: BuiltRoot) -> None:
    assert rendered_citations(html) == ["[Putnam, 2000]", "Putnam [2000]"]


def test_summary_in_page_metadata(html: BuiltRoot) -> None:
    soup = page(html, "talks")
    expected = expected_summary(html)
    for selector in ('meta[property="og:description"]', 'meta[name="citation_abstract"]'):
        meta = soup.select_one(selector)
        assert meta is not None, selector
        assert meta["content"] == expected, selector
    (script,) = soup.select('script[type="application/ld+json"]')
    graph = json.loads(script.string or "")["@graph"]
    assert [item["description"] for item in graph if item["@type"] == "Event"] == [expected]


def test_summary_in_previews_and_exports(html: BuiltRoot) -> None:
    expected = expected_summary(html)
    previews = page(html, "reading").select_one("script#tb-previews")
    assert previews is not None
    assert json.loads(previews.string or "")["talks.html#talk-capital"]["summary"] == expected
    kb = json.loads(html.text("_kb/kb.json"))
    assert kb["objects"]["talk"]["capital"]["fields"]["summary"] == expected
    csl = {item["id"]: item for item in json.loads(html.text("_kb/talks.csl.json"))}
    assert csl["capital"]["abstract"] == expected
    bib = pybtex.database.parse_string(html.text("_kb/talks.bib"), "bibtex")
    assert bib.entries["capital"].fields["abstract"] == expected


def output_texts(outdir: Path) -> dict[str, str]:
    """Every file of a build's output as text (``objects.inv`` decompressed)."""
    texts = {}
    for path in sorted(outdir.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name == "objects.inv":
            data = zlib.decompress(data.split(b"\n", 4)[4])
        try:
            texts[str(path.relative_to(outdir))] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # images, fonts
    return texts


def leaks(texts: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for name, text in texts.items():
        found.extend((name, f"U+{ord(c):04X}") for c in sorted(set(text)) if "\ue000" <= c <= "\uf8ff")
        if BIB_KEY in text:
            found.append((name, BIB_KEY))
    return found


def test_no_marker_or_key_in_any_html_output(html: BuiltRoot) -> None:
    texts = output_texts(html.outdir)
    # The files the summary reaches, so that the scan is known to cover them.
    assert {"talks.html", "reading.html", "searchindex.js", "_kb/kb.json", "_kb/talks.bib"} <= set(texts)
    assert "_kb/talks.csl.json" in texts
    assert leaks(texts) == []


def test_no_marker_or_key_in_latex_output(latex: BuiltRoot) -> None:
    assert latex.warnings == ""
    texts = output_texts(latex.outdir)
    assert "author-words.tex" in texts
    assert leaks(texts) == []


def test_summary_follows_a_renamed_speaker(copy_root: Callable[[str], Path]) -> None:
    """Renaming the speaker (people.md) rewrites the pages showing the summary, not re-read."""
    srcdir = copy_root("author-words")
    build_copy(srcdir)
    edit(srcdir / "people.md", "{speaker} Marie Dupont", "{speaker} Marie Durand")
    second = build_copy(srcdir)
    assert second.warnings == ""
    expected = expected_summary(second, "Marie Durand")
    meta = page(second, "talks").select_one('meta[property="og:description"]')
    assert meta is not None
    assert meta["content"] == expected
    # reading.md only links to the talk, and shows its summary in the link's preview.
    previews: Any = page(second, "reading").select_one("script#tb-previews")
    assert json.loads(previews.string)["talks.html#talk-capital"]["summary"] == expected

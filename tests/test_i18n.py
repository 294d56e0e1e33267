"""Multilingual knowledge bases (issue 9).

- The ``talkbase`` message catalogue: every string the code shows is in the
  template, has a French translation (no fuzzy entries), and the shipped ``.mo``
  matches the ``.po`` (see docs/i18n.md).
- The showcase (docs/) built with ``language = "fr"`` and ``"en"``: labels and dates.
- ``lang`` on the HTML of a talk in another language than the page.
- Translated content (root ``test-i18n-content``, French, with an English
  catalogue in ``locale/en``): the gettext builder extracts the object titles, and
  a build with ``language = "en"`` shows the translated titles everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from tests.conftest import ROOTS, BuiltRoot, build_copy

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

REPO = Path(__file__).parent.parent
PACKAGE = REPO / "extensions" / "talkbase"
LOCALE = PACKAGE / "locale"
#: Every language talkbase ships a catalogue for (docs/i18n.md: adding one).
LANGUAGES = sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/talkbase.po"))
HINT = "run `make catalog`, translate the new entries in locale/<lang>/LC_MESSAGES/talkbase.po, run it again"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream)


def titles(page: Any) -> set[str]:
    """The object titles of a page (a term's title node also holds its language classifier)."""
    return {node.contents[0].get_text() for node in page.select(".kb-title-text")}


def message_ids(catalog: Catalog) -> set[str]:
    return {str(message.id if isinstance(message.id, str) else message.id[0]) for message in catalog if message.id}


# -- the talkbase catalogue -----------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The strings of the code and templates, extracted now as `make catalog` does."""
    template = tmp_path_factory.mktemp("catalog") / "talkbase.pot"
    command = [
        sys.executable, "-m", "babel.messages.frontend", "extract",
        "-F", "babel.cfg", "-o", str(template), str(PACKAGE.relative_to(REPO)),
    ]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return read_catalog(template)


@pytest.fixture(params=LANGUAGES)
def translation(request: pytest.FixtureRequest) -> tuple[str, Catalog]:
    language = str(request.param)
    return language, read_catalog(LOCALE / language / "LC_MESSAGES" / "talkbase.po")


def test_french_is_shipped() -> None:
    assert "fr" in LANGUAGES


def test_every_string_has_a_translation(extracted: Catalog, translation: tuple[str, Catalog]) -> None:
    language, catalog = translation
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = translated.string if translated is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or translated.fuzzy or not all(strings):
            missing.append(message.id)
    assert not missing, f"untranslated in {language}: {missing}; {HINT}"


def test_catalogue_has_no_fuzzy_or_broken_entries(translation: tuple[str, Catalog]) -> None:
    language, catalog = translation
    assert not catalog.fuzzy, f"the header of the {language} catalogue is marked fuzzy"
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert not fuzzy, f"fuzzy entries to review in {language}: {fuzzy}"
    # Babel's checks: the same %-placeholders in msgid and msgstr, as many plural forms as declared.
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalog.check()]
    assert not problems


def test_french_plural_forms() -> None:
    """gettext's usual French rule (0 and 1 singular), not CLDR's three forms Babel proposes."""
    french = read_catalog(LOCALE / "fr" / "LC_MESSAGES" / "talkbase.po")
    assert french.plural_forms == "nplurals=2; plural=(n > 1);"


def test_shipped_template_is_current(extracted: Catalog) -> None:
    shipped = read_catalog(LOCALE / "talkbase.pot")
    assert message_ids(shipped) == message_ids(extracted), HINT


def test_shipped_mo_matches_po(translation: tuple[str, Catalog]) -> None:
    """The .mo files are committed (docs/i18n.md): they must say what the .po says."""
    language, catalog = translation
    with (LOCALE / language / "LC_MESSAGES" / "talkbase.mo").open("rb") as stream:
        compiled = read_mo(stream)
    def entries(catalog: Catalog, *, skip_fuzzy: bool) -> dict[object, object]:
        return {
            str(message.id) if isinstance(message.id, str) else tuple(message.id): (
                message.string if isinstance(message.string, str) else tuple(message.string)
            )
            for message in catalog
            if message.id and not (skip_fuzzy and message.fuzzy)
        }

    expected, found = entries(catalog, skip_fuzzy=True), entries(compiled, skip_fuzzy=False)
    assert found == expected, HINT


# -- the showcase in French and in English --------------------------------------------------


@pytest.fixture(scope="module", params=["fr", "en"])
def showcase(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, BuiltRoot]:
    """docs/ built in HTML with ``language`` overridden (a copy: others edit docs/)."""
    language = str(request.param)
    srcdir = tmp_path_factory.mktemp(f"showcase-{language}") / "docs"
    shutil.copytree(REPO / "docs", srcdir, ignore=shutil.ignore_patterns("_build"))
    return language, build_copy(srcdir, confoverrides={"language": language})


SHOWCASE_TEXT = {
    "fr": {
        "speakers": "Intervenants", "event": "Événement", "date": "5 septembre 2011",
        "cite": "Citer", "backlinks": "Référencé par", "type": "Intervention",
    },
    "en": {
        "speakers": "Speakers", "event": "Event", "date": "September 5, 2011",
        "cite": "Cite this", "backlinks": "Referenced by", "type": "Talk",
    },
}


def field_labels(obj: Any) -> dict[str, str]:
    """``{field name: label}`` of an object's header fields (``kb-field-<name>``)."""
    labels = {}
    for term in obj.select("dl.kb-fields > dt"):
        names = [c.removeprefix("kb-field-") for c in term.get("class", []) if c.startswith("kb-field-")]
        labels[names[0]] = term.get_text().strip().rstrip(":").strip()
    return labels


def field_text(obj: Any, name: str) -> str:
    value = obj.select_one(f"dl.kb-fields > dd.kb-field-{name}")
    assert value is not None, name
    return " ".join(value.get_text().split())


# MyST 5.2's reference resolver reads an attribute Sphinx 9 deprecates (the docs' Markdown links).
MYST_ON_SPHINX_9 = pytest.mark.filterwarnings("ignore::sphinx.deprecation.RemovedInSphinx11Warning")


@MYST_ON_SPHINX_9
def test_showcase_labels_and_dates(showcase: tuple[str, BuiltRoot]) -> None:
    language, build = showcase
    expected = SHOWCASE_TEXT[language]
    page = build.html("showcase/etat-des-lieux")
    assert page.html is not None
    assert page.html["lang"] == language
    talk = page.select_one("div.kb-talk")
    assert talk is not None
    labels = field_labels(talk)
    assert labels["speakers"] == expected["speakers"]
    assert labels["event"] == expected["event"]
    assert field_text(talk, "date") == expected["date"]  # inherited from the event
    type_label = talk.select_one(".kb-title .kb-type-label")
    assert type_label is not None
    assert type_label.get_text() == expected["type"]
    cite = talk.select_one(".kb-cite-heading")
    assert cite is not None
    assert cite.get_text() == expected["cite"]
    backlinks = talk.select_one(".kb-backlinks-title")
    assert backlinks is not None
    assert backlinks.get_text() == expected["backlinks"]

    event = build.html("showcase/evenement").select_one("div.kb-event")
    assert event is not None
    assert field_text(event, "date") == expected["date"]


@MYST_ON_SPHINX_9
def test_french_talk_in_english_kb_has_lang(showcase: tuple[str, BuiltRoot]) -> None:
    """The showcase talk has ``:language: fr``: marked only where the page is not French."""
    language, build = showcase
    talk = build.html("showcase/etat-des-lieux").select_one("div.kb-talk")
    assert talk is not None
    if language == "en":
        assert talk.get("lang") == "fr"
    else:
        assert talk.get("lang") is None


# -- translated content -----------------------------------------------------------------------

#: Title as written (French) -> title in locale/en/LC_MESSAGES/objets.po.
TITLES = {
    "Journée des docs": "Docs Day",
    "La documentation comme du code": "Docs as code",
    "Relire les pages chaque mois": "Review pages every month",
    "proxémie": "proxemics",
}


@pytest.fixture(scope="module")
def content_fr(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    """The root as written: French, no translation applied."""
    srcdir = tmp_path_factory.mktemp("i18n-content-fr") / "src"
    shutil.copytree(ROOTS / "test-i18n-content", srcdir)
    return build_copy(srcdir)


@pytest.fixture(scope="module")
def content_en(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    """The root translated into English (Sphinx compiles locale/en/*.po into the copy)."""
    srcdir = tmp_path_factory.mktemp("i18n-content-en") / "src"
    shutil.copytree(ROOTS / "test-i18n-content", srcdir)
    return build_copy(srcdir, confoverrides={"language": "en"})


@pytest.fixture(scope="module")
def content_pot(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    srcdir = tmp_path_factory.mktemp("i18n-content-gettext") / "src"
    shutil.copytree(ROOTS / "test-i18n-content", srcdir)
    build = build_copy(srcdir, "gettext")
    assert build.warnings == ""
    return read_catalog(Path(build.outdir) / "objets.pot")


def test_gettext_extracts_titles_not_labels(content_pot: Catalog) -> None:
    ids = message_ids(content_pot)
    assert set(TITLES) <= ids
    assert {"Une intervention sur la documentation.", "La distance entre les personnes."} <= ids
    # Labels come from talkbase's own catalogue, not the project's.
    assert not ids & {"Intervenants", "Speakers", "Événement", "Date", "Diapositives", "Intervention"}
    # A title is its own message, never inside a heading line with its type label
    # ("Recommandation Relire les pages chaque mois": the recommendation box's title).
    assert not {message for message in ids for title in TITLES if title in message and message != title}


def test_untranslated_build_has_french_labels(content_fr: BuiltRoot) -> None:
    assert content_fr.warnings == ""
    page = content_fr.html("objets")
    talk = page.select_one("div.kb-talk")
    assert talk is not None
    assert talk.get("lang") is None  # a French talk on a French page
    assert field_labels(talk)["speakers"] == "Intervenants"
    assert field_labels(talk)["event"] == "Événement"
    assert field_text(talk, "date") == "5 septembre 2011"
    links = {" ".join(a.get_text().split()) for a in talk.select("a.kb-link")}
    assert {"Diapositives", "Vidéo"} <= links
    assert set(TITLES) <= titles(page)
    empty = content_fr.html("index").select_one(".kb-listing-empty")
    assert empty is not None
    assert empty.get_text() == "Rien ne correspond à cette liste."


def test_translated_titles_in_headers(content_en: BuiltRoot) -> None:
    assert content_en.warnings == ""
    page = content_en.html("objets")
    assert titles(page) == {*TITLES.values(), "Ada Martin"}
    # Ids and anchors come from the titles as written, so links from other languages hold.
    assert page.select_one("#talk-doc-code .kb-title-text").get_text() == "Docs as code"
    assert page.select_one("#term-proxemie dt").get_text().startswith("proxemics")
    assert page.select_one("#event-journee .kb-title-text").get_text() == "Docs Day"
    # The body is translated by Sphinx; the labels are English.
    talk = page.select_one("div.kb-talk")
    assert "A talk about documentation." in talk.get_text()
    assert field_labels(talk)["speakers"] == "Speakers"
    assert field_text(talk, "event") == "Docs Day"
    assert talk.get("lang") == "fr"  # the talk was given in French
    speaker = page.select_one("div.kb-speaker")
    assert field_text(speaker, "talks") == "Docs as code"


def test_translated_titles_in_links_and_listings(content_en: BuiltRoot) -> None:
    page = content_en.html("index")
    paragraph = next(p for p in page.select("p") if p.get_text().startswith("Liens"))
    links = {a["href"]: " ".join(a.get_text().split()) for a in paragraph.select("a.reference")}
    assert links["objets.html#talk-doc-code"] == "Docs as code"
    assert links["objets.html#event-journee"] == "Docs Day"
    assert links["objets.html#rec-relire-les-pages-chaque-mois"] == "Review pages every month"
    assert links["objets.html#term-proxemie"] == "proxémie"  # {term} shows the text written
    listed = {" ".join(a.get_text().split()) for a in page.select(".kb-listing a.reference")}
    assert {"Docs as code", "Docs Day", "Ada Martin", "Review pages every month", "proxemics"} <= listed


def test_translated_titles_in_indices_search_and_exports(content_en: BuiltRoot) -> None:
    genindex = content_en.html("genindex").get_text()
    talkindex = content_en.html("kb-talkindex").get_text()
    termindex = " ".join(content_en.html("kb-termindex").get_text().split())
    for title in ("Docs as code", "Docs Day", "Review pages every month", "proxemics"):
        assert title in genindex
    assert "Docs Day" in talkindex
    assert "Docs as code" in talkindex
    assert "proxemics (en)" in termindex
    assert "proxémie (fr → proxemics)" in termindex

    search = content_en.text("searchindex.js")
    data = json.loads(search[search.index("(") + 1 : search.rindex(")")])
    names = {entry[4] for entries in data["objects"].values() for entry in entries}
    assert set(TITLES.values()) <= names

    kb = json.loads(content_en.text("_kb/kb.json"))
    exported = {obj["fields"]["title"] for objects in kb["objects"].values() for obj in objects.values()}
    assert exported == {*TITLES.values(), "Ada Martin"}


def test_no_untranslated_title_left(content_en: BuiltRoot) -> None:
    """Every place a title appears shows it translated: no output file keeps the French."""
    originals = [title for title in TITLES if title != "proxémie"]  # also a {term} text and a translation
    for path in Path(content_en.outdir).rglob("*"):
        if path.is_dir() or "_sources" in path.parts or path.suffix not in {".html", ".js", ".json", ".bib", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8")
        for title in originals:
            assert title not in text, f"{title!r} untranslated in {path.name}"


def test_translated_term_keeps_its_written_name(content_en: BuiltRoot) -> None:
    """``proxemics`` reads in English; ``proxémie`` becomes its French translation."""
    term = content_en.html("objets").select_one("div.kb-term")
    assert term is not None
    assert term.select_one(".kb-term-lang").get_text() == "en"
    translations = {span.get("lang"): span.get_text() for span in term.select(".kb-field-translations span[lang]")}
    assert translations == {"fr": "proxémie", "de": "Proxemik"}


def test_changed_translation_updates_every_page(tmp_path: Path) -> None:
    """An incremental build after a .po edit shows the new title on the pages that link to it."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-i18n-content", srcdir)
    build_copy(srcdir, confoverrides={"language": "en"})
    po = srcdir / "locale" / "en" / "LC_MESSAGES" / "objets.po"
    po.write_text(po.read_text(encoding="utf-8").replace('"Docs as code"', '"Code-like docs"'), encoding="utf-8")
    later = (srcdir / "locale" / "en" / "LC_MESSAGES" / "objets.mo").stat().st_mtime + 5
    os.utime(po, (later, later))
    build = build_copy(srcdir, confoverrides={"language": "en"})
    assert build.warnings == ""
    assert "Code-like docs" in titles(build.html("objets"))
    index = build.html("index")
    assert index.select_one('a[href="objets.html#talk-doc-code"]').get_text() == "Code-like docs"
    assert "Docs as code" not in index.get_text()
    assert "Code-like docs" in build.html("genindex").get_text()


#: Two builds of one project, French then English, in one Python process, each starting with
#: fresh catalogues as Sphinx's own test application gives them (``sphinx.testing.util``
#: clears ``sphinx.locale.translators``; without that Sphinx merges every build's catalogues).
#: The theme's modules are first imported during the French build.
TWO_LANGUAGES = """
import sys
import sphinx.locale
from sphinx.cmd.build import build_main
src, out = sys.argv[1:]
for language in ("fr", "en"):
    options = ["-q", "-E", "-b", "html", "-D", "html_theme=talkbase", "-D", f"language={language}"]
    if status := build_main([*options, src, f"{out}/{language}"]):
        sys.exit(status)
    sphinx.locale.translators.clear()
"""


def test_each_build_of_a_process_shows_its_own_language(tmp_path: Path) -> None:
    """The theme's sidebar index labels and the search page's filter labels are translated
    when shown, not when the theme's module is imported (``l10n.N_``): the English build
    shows English labels, not those of the build during which the module was imported."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-feed", srcdir)
    run = subprocess.run(
        [sys.executable, "-c", TWO_LANGUAGES, str(srcdir), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    expected = {
        "fr": (["Interventions", "Intervenants"], ["Type", "Événement", "Intervenant", "Étiquette", "Langue", "Année"]),
        "en": (["Talks", "Speakers"], ["Type", "Event", "Speaker", "Tag", "Language", "Year"]),
    }
    for language, (indices, filters) in expected.items():
        outdir = tmp_path / "out" / language
        page = BeautifulSoup((outdir / "talks.html").read_text(encoding="utf-8"), "html.parser")
        sidebar = [a.get_text(strip=True) for a in page.select("nav.tb-kb a[href$='index.html']")]
        assert sidebar[: len(indices)] == indices, language
        search = BeautifulSoup((outdir / "search.html").read_text(encoding="utf-8"), "html.parser")
        config = json.loads(search.select_one("#tb-search")["data-config"])
        assert list(config["filters"].values()) == filters, language

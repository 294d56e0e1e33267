"""``talkbase new``: run as a subprocess, then build the result with ``sphinx-build -W``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from tests.conftest import sphinx_build_html, talkbase

from talkbase.cli import new

LOCALE = Path(__file__).parent.parent / "extensions" / "talkbase" / "locale"
#: Every language talkbase ships a catalogue for: `talkbase new` writes each of them.
CATALOGUES = sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/talkbase.po"))

EXPECTED_FILES = {
    "conf.py",
    "index.md",
    "events/index.md",
    "events/example-event.md",
    "talks/index.md",
    "talks/example-talk.md",
    "speakers/index.md",
    "speakers/example-speaker.md",
    "glossary.md",
    "references.md",
    "references.bib",
    "Makefile",
    "requirements.txt",
    "README.md",
    ".gitignore",
    ".github/workflows/docs.yml",
    ".gitlab-ci.yml",
    ".readthedocs.yaml",
}




def conf_values(path: Path) -> dict[str, object]:
    """The simple assignments of a conf.py, read without running it."""
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:  # `html_title = project`
                continue
    return values


def test_new_builds_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "kb"
    result = talkbase("new", target, "--title", 'Talks "à la carte"', "--language", "fr", "--author", "Zoé D.")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    written = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert written == EXPECTED_FILES
    conf = conf_values(target / "conf.py")
    assert conf["project"] == 'Talks "à la carte"'
    assert conf["language"] == "fr"
    assert conf["author"] == "Zoé D."
    assert conf["extensions"] == ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "talkbase"]
    assert conf["bibtex_bibfiles"] == ["references.bib"]
    assert conf["html_theme"] in {"talkbase", "basic"}
    makefile = (target / "Makefile").read_text(encoding="utf-8")
    for goal in ("html:", "pdf:", "live:", "check:"):
        assert f"\n{goal}\n\t" in makefile
    for ci in (".github/workflows/docs.yml", ".gitlab-ci.yml"):
        assert "talkbase check . --build-dir _build/html" in (target / ci).read_text(encoding="utf-8")
    assert "fail_on_warning: true" in (target / ".readthedocs.yaml").read_text(encoding="utf-8")

    build = sphinx_build_html(target, tmp_path / "html")
    assert build.returncode == 0, build.stderr
    assert build.stderr == ""
    index = BeautifulSoup((tmp_path / "html" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert "à la carte" in index.select_one("h1").get_text()  # French smart quotes around it
    talk = BeautifulSoup((tmp_path / "html" / "talks" / "example-talk.html").read_text(encoding="utf-8"), "lxml")
    assert len(talk.select(".kb-object.kb-talk")) == 1
    assert talk.select_one("a[href*='references.html']") is not None  # the {cite:p} resolved


def build_html(source: Path, outdir: Path) -> dict[str, BeautifulSoup]:
    """``sphinx-build -W`` of ``source``; every page of the output, parsed, by path."""
    build = sphinx_build_html(source, outdir)
    assert build.returncode == 0, build.stderr
    assert build.stderr == ""
    return {
        page.relative_to(outdir).as_posix(): BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for page in outdir.rglob("*.html")
    }


def test_new_french_project_is_written_in_french(tmp_path: Path) -> None:
    """`--language fr`: headings, the index text, the toctree caption and the example
    objects are French, and the built site shows them."""
    assert talkbase("new", tmp_path / "kb", "--language", "fr").returncode == 0
    site = build_html(tmp_path / "kb", tmp_path / "html")
    headings = [
        site[page].select_one("h1").get_text().strip("¶ ")
        for page in ("events/index.html", "talks/index.html", "speakers/index.html", "glossary.html")
    ]
    assert headings == ["Événements", "Interventions", "Intervenants", "Glossaire"]
    assert site["talks/index.html"].select_one("h2").get_text().strip("¶ ") == "Recommandations"
    toctree = [a.get_text() for a in site["index.html"].select(".toctree-wrapper a")]
    assert toctree[:4] == headings
    assert "Sommaire" in (tmp_path / "kb" / "index.md").read_text(encoding="utf-8")
    assert site["index.html"].find(string=lambda text: "Une base de connaissances d’interventions" in text)
    assert site["glossary.html"].select_one("h1").get_text().strip("¶ ") == "Glossaire"
    talk = site["talks/example-talk.html"]
    assert talk.select_one("h1").get_text().strip("¶ ") == "Espace, distance et télétravail"
    assert talk.select_one(".kb-object.kb-talk a.reference[href*='glossary.html']").get_text() == "proxémie"
    assert site["speakers/example-speaker.html"].find(string=lambda text: "Université Exemple" in text)
    glossary = (tmp_path / "kb" / "glossary.md").read_text(encoding="utf-8")
    assert "```{term} proxémie\n:lang: fr\n:translations: en: proxemics\n" in glossary


@pytest.mark.parametrize("language", CATALOGUES)
def test_new_leaves_no_english_scaffold_text(tmp_path: Path, language: str) -> None:
    """For every shipped catalogue: no text of the skeleton is left in English in the built
    site (unless the translation itself says it, like a term's English translation)."""
    assert talkbase("new", tmp_path / "kb", "--language", language).returncode == 0
    with (LOCALE / language / "LC_MESSAGES" / "talkbase.po").open("rb") as stream:
        catalogue = read_po(stream)
    english = {text for path in new.skeleton_files() for text in new.messages(path.read_text(encoding="utf-8"))}
    assert len(english) > 15
    translations = {text: str(catalogue[text].string) for text in english}
    assert all(translations.values()), f"untranslated in {language}"
    site = build_html(tmp_path / "kb", tmp_path / "html")
    shown = "\n".join(page.get_text(" ") for page in site.values())
    left = [
        text
        for text in english
        if text in shown and not any(text in translated for translated in translations.values())
    ]
    assert left == []
    assert translations["Events"] in shown


def test_new_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = talkbase("new", tmp_path)
    assert result.returncode == 3
    assert "not empty" in result.stderr
    assert "--force" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]

    forced = talkbase("new", tmp_path, "--force")
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "conf.py").is_file()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_new_into_a_missing_directory_uses_its_name_as_title(tmp_path: Path) -> None:
    result = talkbase("new", tmp_path / "deep" / "Conférences")
    assert result.returncode == 0, result.stderr
    conf = conf_values(tmp_path / "deep" / "Conférences" / "conf.py")
    assert conf["project"] == "Conférences"
    assert conf["language"] == "en"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--language", "klingon!"], "unknown language code"), ([], "the following arguments are required: DIR")],
)
def test_new_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = talkbase("new", *([tmp_path / "kb"] if args else []), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "kb").exists()


def test_help_lists_every_command_and_exit_codes() -> None:
    result = talkbase("--help")
    assert result.returncode == 0
    for command in ("new", "import", "check", "live"):
        assert f"talkbase {command}" in result.stdout
    assert "exit codes" in result.stdout
    sub = talkbase("new", "--help")
    assert sub.returncode == 0
    assert "--force" in sub.stdout
    assert "--language" in sub.stdout

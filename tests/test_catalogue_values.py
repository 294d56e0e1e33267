"""Catalogue of bad option values (issue 8): ``:end:`` before ``:date:``, ORCID
check digits, unknown and repeated options (MyST ``:key:`` lines, MyST YAML
blocks, reStructuredText), empty list items, empty titles in rST, very long
values, and control characters.  Bad dates, URLs and language codes are in
test_core_warnings.py."""

from __future__ import annotations

import shutil
import time
import unicodedata
from typing import TYPE_CHECKING

import pytest
from tests.conftest import assert_warning

from catalogue_support import (
    ROOTS,
    BuiltRoot,
    assert_intact,
    assert_only_talkbase_warnings,
    build_root,
    sphinx_build,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_root("catalogue-values", tmp_path_factory.mktemp("catalogue-values"))


CASES = [
    ("values.md", 3, "bad-date", (":end: 2011-09-04 is before :date: 2011-09-05",)),
    ("values.md", 9, "bad-value", (":orcid:", "'0000-0002-1825-0098'", "check digit")),
    ("values.md", 17, "unknown-option", ("talk", ":speaker:", "'checksum'", "did you mean :speakers:?")),
    ("values.md", 18, "unknown-option", ("talk", ":abstract:", "'Some text'", "known options:")),
    ("values.md", 25, "duplicate-option", ("talk", ":speakers:", "last value 'checksum'")),
    ("values.md", 32, "duplicate-option", ("speaker", ":affiliation:", "last value 'Second'")),
    ("values.md", 33, "unknown-option", ("speaker", ":website:", "'https://example.org'")),
    ("values.md", 38, "bad-value", (":speakers:", "'checksum,,yaml-speaker,'", "empty item")),
    ("values.md", 38, "bad-value", (":tags:", "'a,,b'", "empty item")),
    ("values.md", 44, "bad-value", (":aliases:", "'one,,two'", "empty item")),
    ("values.md", 44, "bad-value", (":see:", "',proxy'", "empty item")),
    ("values.md", 44, "bad-value", (":translations:", "'en: empty items,'", "empty item")),
    ("values.md", 58, "duplicate-option", ("talk-list", ":sort:", "last value 'date'")),
    ("values.md", 56, "unknown-option", ("talk-list", ":bogus:", "'yes'")),
    ("values.md", 54, "bad-value", (":speaker:", "'checksum,,'", "empty item")),
    ("rst.rst", 7, "unknown-option", ("talk", ":colour:", "'blue'")),
    ("rst.rst", 12, "duplicate-option", ("talk", ":speakers:", "last value 'checksum'")),
    ("rst.rst", 13, "duplicate-option", ("talk", ":id:", "last value 'rst-repeated'")),
    ("rst.rst", 15, "empty-title", ("talk has no title", "'rst-untitled'")),
    ("rst.rst", 21, "empty-title", ("term has no title",)),
    ("rst.rst", 27, "unknown-option", ("speaker-list", ":colour:", "'red'")),
]


# Unknown and repeated options are reported at the option's own line (the last one if repeated).
@pytest.mark.parametrize(("filename", "line", "subtype", "words"), CASES)
def test_bad_value_warns(values: BuiltRoot, filename: str, line: int, subtype: str, words: tuple[str, ...]) -> None:
    assert_warning(values, filename, line, subtype, *words)


def test_each_mistake_warns_once_and_typed(values: BuiltRoot) -> None:
    """docutils and MyST report none of these themselves (no untyped error, no dropped directive)."""
    assert len(values.warning_lines()) == len(CASES)
    assert_only_talkbase_warnings(values)
    assert values.statuscode == 1


def test_objects_with_bad_options_are_kept(values: BuiltRoot) -> None:
    page = values.html("values")
    event = page.select_one('div.kb-object[id="event-backwards"]')
    assert event is not None
    assert event.select_one("dd.kb-field-date").get_text(strip=True) == "September 5, 2011"  # no end date
    speaker = page.select_one('div.kb-object[id="speaker-checksum"]')
    assert speaker is not None
    assert speaker.select("a.kb-link-orcid") == []
    # The unknown option is ignored; the known ones still apply.
    talk = page.select_one('div.kb-object[id="talk-unknown-option"]')
    assert [a["href"] for a in talk.select("dd.kb-field-speakers a")] == ["#speaker-checksum"]
    # The last of two values is used, in MyST and in rST.
    repeated = page.select_one('div.kb-object[id="talk-repeated-option"]')
    assert [a["href"] for a in repeated.select("dd.kb-field-speakers a")] == ["#speaker-checksum"]
    yaml = page.select_one('div.kb-object[id="speaker-yaml-speaker"]')
    assert yaml.select_one("dd.kb-field-affiliation").get_text().strip() == "Second"
    assert "Body of the YAML speaker." in yaml.get_text()
    rst = values.html("rst")
    assert rst.select_one('div.kb-object[id="talk-first-id"]') is None
    rst_repeated = rst.select_one('div.kb-object[id="talk-rst-repeated"]')
    assert [a["href"] for a in rst_repeated.select("dd.kb-field-speakers a")] == ["values.html#speaker-checksum"]


def test_empty_items_are_dropped(values: BuiltRoot) -> None:
    page = values.html("values")
    talk = page.select_one('div.kb-object[id="talk-empty-items"]')
    assert [a["href"] for a in talk.select("dd.kb-field-speakers a")] == ["#speaker-checksum", "#speaker-yaml-speaker"]
    assert [t.get_text() for t in talk.select("dd.kb-field-tags .kb-tag")] == ["a", "b"]
    kb = values.kb()["objects"]["term"]["empty-items-term"]["fields"]
    assert kb["aliases"] == ["one", "two"]
    assert kb["see"] == ["proxy"]
    assert kb["translations"] == [{"lang": "en", "text": "empty items"}]


def test_everything_else_is_rendered_indexed_listed_exported(values: BuiltRoot) -> None:
    assert_intact(
        values,
        [
            ("event", "backwards", "values"),
            ("speaker", "checksum", "values"),
            ("talk", "unknown-option", "values"),
            ("talk", "repeated-option", "values"),
            ("speaker", "yaml-speaker", "values"),
            ("talk", "empty-items", "values"),
            ("term", "empty-items-term", "values"),
            ("talk", "rst-unknown", "rst"),
            ("talk", "rst-repeated", "rst"),
            ("talk", "rst-untitled", "rst"),
        ],
    )
    rst = values.html("rst")
    assert "Body of an untitled talk." in rst.get_text()
    assert "Body of a term without text." in rst.get_text()


@pytest.mark.parametrize(("options", "status"), [((), 0), (("-W",), 1)])
def test_exit_status_rst_and_myst(tmp_path: Path, options: tuple[str, ...], status: int) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-catalogue-values", src)
    assert sphinx_build(src, tmp_path / "html", *options) == status
    assert (tmp_path / "html" / "rst.html").is_file()


# -- generated sources: very long values, control characters ------------------------------

CONF = 'extensions = ["myst_parser", "talkbase"]\nhtml_theme = "basic"\nproject = "generated"\n'


def every_field(text: str, word: str, *, photo: bool = True, prose: str | None = None) -> str:
    """A page putting ``text`` (and ``word``, a value without spaces) into every field of every directive.

    ``prose`` replaces ``text`` where the author's own words are shown as written (bodies,
    the text of ``{term}``, the text of a role naming no object).
    """
    photo_line = f":photo: https://example.org/{word}.png\n" if photo else ""
    body = text if prose is None else prose
    roles = f"{{talk}}`{word}` {{speaker}}`{word}` {{term}}`{text}`" if prose is None else f"{{term}}`{prose}`"
    return f"""# Generated

```{{event}} {text}
:date: {word}
:end: {word}
:place: {text}
:url: https://example.org/{word}
:series: {text}
:hashtag: {word}

{body}
```

```{{speaker}} {text}
:id: {word}
:affiliation: {text}
:orcid: {word}
:url: {word}
{photo_line}
{body}
```

````{{talk}} {text}
:speakers: {word}, {text}
:event: {text}
:date: {word}
:language: {word}
:tags: {word}, {text}
:slides: {word}
:video: https://example.org/{word}

{body}

```{{recommendation}} {text}
:tags: {text}

{body}
```
````

```{{term}} {text}
:lang: {word}
:aliases: {text}
:translations: en: {text}, fr: {word}
:see: {word}

{body}
```

{roles}

```{{talk-list}}
:speaker: {word}
:tag: {text}
:style: table
```

```{{term-list}}
:lang: {word}
```
"""


def build_generated(tmp_path: Path, page: str, buildername: str) -> tuple[BuiltRoot, float]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(page, encoding="utf-8")
    start = time.perf_counter()
    build = build_root("unused", tmp_path, buildername, warningiserror=False)
    return build, time.perf_counter() - start


LONG = 100_000


@pytest.mark.parametrize("buildername", ["html", "latex"])
def test_very_long_values_build_in_linear_time(tmp_path: Path, buildername: str) -> None:
    text = ("word " * (LONG // 5)).strip()
    word = "x" * LONG
    build, seconds = build_generated(tmp_path, every_field(text, word, photo=buildername == "html"), buildername)
    # Quadratic work on 100 000 characters would take hours; linear takes seconds.
    assert seconds < 120
    assert "Traceback" not in build.warnings
    assert "error writing file" not in build.warnings
    if buildername == "html":
        page = build.html("index")
        assert page.select_one("div.kb-object.kb-talk") is not None
        kb = build.kb()["objects"]
        assert kb["speaker"][word]["fields"]["affiliation"] == text
        assert build.bib().entries
        # A tag's page name is cut to a length every file system accepts.
        assert all(len(path.name) < 200 for path in (build.outdir / "tags").iterdir())
    else:
        tex = " ".join(build.text("generated.tex").split())
        assert f"\\kbtitle{{\\kbtypelabel{{Talk}}\\sphinxstylestrong{{{text}}}}}" in tex


def test_very_long_text_values_with_the_text_builder(tmp_path: Path) -> None:
    """Sphinx's text writer wraps lines with :mod:`textwrap`, whose word splitting is
    quadratic in the length of one *word*: long values made of ordinary words are fine
    (a 100 000-character word would be just as slow in a plain paragraph)."""
    text = ("word " * (LONG // 5)).strip()
    build, seconds = build_generated(tmp_path, every_field(text, "short-word", photo=False), "text")
    assert seconds < 120
    assert text[:1000] in " ".join(build.text("index.txt").split())


#: C0 and C1 controls, none of them a line break for MyST: ``\x0b \x0c \x1c-\x1e \x85`` end an
#: option line (:meth:`str.splitlines`) and the rest of the value is the author's Markdown.
CONTROL = "\x00\x01\x07\x08\x1b[31m\x7f\x9b"


def control_chars(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t\r"]


@pytest.mark.parametrize("buildername", ["html", "latex", "text"])
def test_control_characters_are_dropped_everywhere(tmp_path: Path, buildername: str) -> None:
    """No control character of an option value or a title reaches any file written.

    Bodies and ``{term}`` texts are the author's Markdown, shown as written (as on any
    Sphinx page), so they are plain prose here.
    """
    text = f"Bell{CONTROL}end"
    word = f"id{CONTROL}x"
    build, _seconds = build_generated(tmp_path, every_field(text, word, photo=False, prose="Plain prose."), buildername)
    assert "Traceback" not in build.warnings
    written = {
        str(path.relative_to(build.outdir)): path.read_text(encoding="utf-8")
        for path in sorted(build.outdir.rglob("*"))
        if path.suffix in {".html", ".tex", ".txt", ".json", ".bib", ".js", ".xml"}
        and "_sources" not in path.parts  # the source, copied as written
    }
    assert {name: control_chars(content) for name, content in written.items() if control_chars(content)} == {}
    # The titles keep their other characters (NUL is U+FFFD for any Markdown, CommonMark says so).
    title = "Bell\ufffd[31mend"
    if buildername == "html":
        page = build.html("index")
        objects = page.select("div.kb-object:not(.kb-term) .kb-title-text")
        assert [t.get_text() for t in objects] == [title] * 4  # event, speaker, talk, recommendation
        assert build.kb()["objects"]["talk"]["bell-31mend"]["fields"]["title"] == title
        # talks.bib braces the whole title so that no BibTeX style changes its case.
        assert [entry.fields["title"] for entry in build.bib().entries.values()] == [f"{{{title}}}"]
    elif buildername == "latex":
        strong = "\\sphinxstylestrong{Bell\ufffd{[}31mend}"
        assert build.text("generated.tex").count(f"\\kbtitle{{\\kbtypelabel{{Talk}}{strong}}}") == 1
    else:
        assert f"Talk **{title}**" in build.text("index.txt")

"""Catalogue of bad option values (issue 8): ``:end:`` before ``:date:``, ORCID
check digits, unknown and repeated options (MyST ``:key:`` lines, MyST YAML
blocks, reStructuredText), empty list items, empty titles in rST, very long
values, and control characters.  Bad dates, URLs and language codes are in
test_core_warnings.py."""

from __future__ import annotations

import json
import shutil
import time
import unicodedata
from typing import TYPE_CHECKING

import pytest
from tests.conftest import assert_warning

from catalogue_support import (
    ROOTS,
    Build,
    assert_intact,
    assert_only_talkbase_warnings,
    build_root,
    sphinx_build,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> Build:
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
def test_bad_value_warns(values: Build, filename: str, line: int, subtype: str, words: tuple[str, ...]) -> None:
    assert_warning(values, filename, line, subtype, *words)


def test_each_mistake_warns_once_and_typed(values: Build) -> None:
    """docutils and MyST report none of these themselves (no untyped error, no dropped directive)."""
    assert len(values.warning_lines()) == len(CASES)
    assert_only_talkbase_warnings(values)
    assert values.statuscode == 1


def test_objects_with_bad_options_are_kept(values: Build) -> None:
    page = values.html("values")
    event = page.select_one('div.kb-object[id="event-backwards"]')
    assert event is not None
    assert "2011" in event.select_one("dd.kb-field-date").get_text()
    assert "4" not in event.select_one("dd.kb-field-date").get_text().replace("2011", "")  # no end date
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


def test_empty_items_are_dropped(values: Build) -> None:
    page = values.html("values")
    talk = page.select_one('div.kb-object[id="talk-empty-items"]')
    assert [a["href"] for a in talk.select("dd.kb-field-speakers a")] == ["#speaker-checksum", "#speaker-yaml-speaker"]
    assert [t.get_text() for t in talk.select("dd.kb-field-tags .kb-tag")] == ["a", "b"]
    kb = values.kb()["objects"]["term"]["empty-items-term"]["fields"]
    assert kb["aliases"] == ["one", "two"]
    assert kb["see"] == ["proxy"]
    assert kb["translations"] == [{"lang": "en", "text": "empty items"}]


def test_everything_else_is_rendered_indexed_listed_exported(values: Build) -> None:
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


def every_field(text: str, word: str, *, photo: bool = True) -> str:
    """A page putting ``text`` (and ``word``, a value without spaces) into every field of every directive."""
    photo_line = f":photo: https://example.org/{word}.png\n" if photo else ""
    return f"""# Generated

```{{event}} {text}
:date: {word}
:end: {word}
:place: {text}
:url: https://example.org/{word}
:series: {text}
:hashtag: {word}

{text}
```

```{{speaker}} {text}
:id: {word}
:affiliation: {text}
:orcid: {word}
:url: {word}
{photo_line}
{text}
```

````{{talk}} {text}
:speakers: {word}, {text}
:event: {text}
:date: {word}
:language: {word}
:tags: {word}, {text}
:slides: {word}
:video: https://example.org/{word}

{text}

```{{recommendation}} {text}
:tags: {text}

{text}
```
````

```{{term}} {text}
:lang: {word}
:aliases: {text}
:translations: en: {text}, fr: {word}
:see: {word}

{text}
```

{{talk}}`{word}` {{speaker}}`{word}` {{term}}`{text}`

```{{talk-list}}
:speaker: {word}
:tag: {text}
:style: table
```

```{{term-list}}
:lang: {word}
```
"""


def build_generated(tmp_path: Path, page: str, buildername: str) -> tuple[Build, float]:
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
        assert (build.outdir / "generated.tex").is_file()


def test_very_long_text_values_with_the_text_builder(tmp_path: Path) -> None:
    """Sphinx's text writer wraps lines with :mod:`textwrap`, whose word splitting is
    quadratic in the length of one *word*: long values made of ordinary words are fine
    (a 100 000-character word would be just as slow in a plain paragraph)."""
    text = ("word " * (LONG // 5)).strip()
    build, seconds = build_generated(tmp_path, every_field(text, "short-word", photo=False), "text")
    assert seconds < 120
    assert text[:1000] in " ".join(build.text("index.txt").split())


CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b[31m\x7f\x85\x9b"


def control_chars(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t\r"]


@pytest.mark.parametrize("buildername", ["html", "latex", "text"])
def test_control_characters_are_dropped_everywhere(tmp_path: Path, buildername: str) -> None:
    text = f"Bell{CONTROL}end"
    word = f"id{CONTROL}x"
    build, _seconds = build_generated(tmp_path, every_field(text, word, photo=False), buildername)
    assert "Traceback" not in build.warnings
    if buildername == "html":
        page = build.html("index")
        titles = [t.get_text() for t in page.select(".kb-title-text")]
        assert titles
        assert not control_chars("".join(titles))
        kb = build.kb()
        assert not control_chars(json.dumps(kb, ensure_ascii=False))
        assert not control_chars(build.text("_kb/talks.bib"))
        assert not control_chars(build.text("_kb/talks.csl.json"))
        assert build.bib().entries
    else:
        output = build.text("generated.tex" if buildername == "latex" else "index.txt")
        assert "Bell" in output

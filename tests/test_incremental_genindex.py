"""The general index kept between builds (``talkbase.generalindex``).

Sphinx computes the general index from every document's index entries on every build
that writes; talkbase keeps the computed index next to the doctrees with a digest of
what the computation reads.  A rebuild that changed none of it computes nothing; any
change (an entry, the builder, the link suffix, a translated label) computes it again,
so an incremental build writes the index pages a clean one does.
"""

from __future__ import annotations

import gettext
import unicodedata
from typing import TYPE_CHECKING

import pytest
import sphinx
import sphinx.locale
from bs4 import BeautifulSoup
from sphinx.environment.adapters.indexentries import IndexEntries
from tests.conftest import build_copy, clean_build, edit, output_texts, write_sphinx_catalogue

from talkbase import generalindex

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

#: Index entries besides talkbase's objects: a plain ``{index}`` one (a symbol among them,
#: under the translated heading "Symbols") and a glossary's.
EXTRA = """
# Extra

```{index} single: Quokka; habitat
```

```{index} @handle
```

```{glossary}
Wombat
   A marsupial.
```
"""


def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every computation of the general index from now on (one item each)."""
    calls: list[int] = []
    original = IndexEntries.create_index

    def spy(self: IndexEntries, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(IndexEntries, "create_index", spy)
    return calls


def project(copy_root: Callable[[str], Path], conf: str = "") -> Path:
    srcdir = copy_root("indices")
    (srcdir / "extra.md").write_text(EXTRA, encoding="utf-8")
    toctree = srcdir / "index.md"  # before the first build: no newer modification time needed
    toctree.write_text(toctree.read_text(encoding="utf-8").replace("terms\n```", "terms\nextra\n```"), encoding="utf-8")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as file:
        file.write(conf)
    return srcdir


def index_pages(build: BuiltRoot, suffix: str = ".html") -> dict[str, str]:
    """Every general index page of a build (split ones too), asset checksums left out."""
    texts = output_texts(build.outdir, frozenset({suffix}))
    return {name: text for name, text in texts.items() if name.startswith("genindex")}


def assert_as_clean(incremental: BuiltRoot, clean: BuiltRoot, suffix: str = ".html") -> None:
    """The index pages of a clean build are those of the incremental one (which may also
    hold a letter's page an earlier build wrote: Sphinx removes no page)."""
    expected = index_pages(clean, suffix)
    assert expected
    written = index_pages(incremental, suffix)
    assert {name: written.get(name) for name in expected} == expected


def entries(build: BuiltRoot, page: str = "genindex.html") -> dict[str, list[str]]:
    """The entries of an index page: each entry's text with the links it has."""
    soup = BeautifulSoup((build.outdir / page).read_text(encoding="utf-8"), "lxml")
    found: dict[str, list[str]] = {}
    for item in soup.select("table.indextable li"):
        link = item.find("a", recursive=False)
        label = (link.get_text() if link else next(iter(item.stripped_strings), "")).strip()
        found.setdefault(label, []).extend(str(a["href"]) for a in item.find_all("a", recursive=False))
    return found


def headings(build: BuiltRoot, page: str = "genindex.html") -> list[str]:
    soup = BeautifulSoup((build.outdir / page).read_text(encoding="utf-8"), "lxml")
    return [heading.get_text(strip=True) for heading in soup.select("h2")]


@pytest.mark.parametrize("split", [False, True], ids=["single", "split"])
def test_unchanged_entries_are_not_computed_again(
    split: bool, copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = project(copy_root, f"html_split_index = {split}\n")
    first = build_copy(srcdir)
    assert {"Carol King (speaker)", "Quokka", "Wombat", "@handle"} <= set(
        entries(first, "genindex-all.html" if split else "genindex.html")
    )
    calls = computed(monkeypatch)
    noop = build_copy(srcdir)
    assert calls == []
    assert index_pages(noop) == index_pages(first)
    # A body edit changes no entry either.
    edit(srcdir / "talks" / "day1.md", "# Day one", "# First day")
    body = build_copy(srcdir)
    assert calls == []
    assert_as_clean(body, clean_build(srcdir, tmp_path))
    if split:
        assert "genindex-Q.html" in index_pages(body)


@pytest.mark.parametrize(
    ("path", "old", "new", "gone", "there"),
    [
        ("speakers.md", "{speaker} Carol King", "{speaker} Aaron King", "Carol King (speaker)", "Aaron King (speaker)"),
        ("speakers.md", "```{speaker} Eve Adams\n:id: eve\n```\n", "", "Eve Adams (speaker)", "Alice Martin (speaker)"),
        (
            "speakers.md",
            "# Speakers\n",
            "# Speakers\n\n```{speaker} Yann Tiersen\n:id: yann\n```\n",
            None,
            "Yann Tiersen (speaker)",
        ),
        ("extra.md", "single: Quokka; habitat", "single: Quokka; diet", None, "Quokka"),
        ("extra.md", "```{index} @handle\n```\n", "", "@handle", "Quokka"),
        ("extra.md", "# Extra\n", "# Extra\n\n```{index} Numbat\n```\n", None, "Numbat"),
        ("extra.md", "Wombat\n", "Wallaby\n", "Wombat", "Wallaby"),
    ],
    ids=[
        "rename object",
        "remove object",
        "add object",
        "rename index",
        "remove index",
        "add index",
        "rename glossary",
    ],
)
def test_changed_entries_are_computed_again(
    path: str,
    old: str,
    new: str,
    gone: str | None,
    there: str,
    copy_root: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    srcdir = project(copy_root, "html_split_index = True\n")
    build_copy(srcdir)
    edit(srcdir / path, old, new)
    calls = computed(monkeypatch)
    incremental = build_copy(srcdir)
    assert calls == [1]
    assert_as_clean(incremental, clean_build(srcdir, tmp_path))
    shown = entries(incremental, "genindex-all.html")
    assert there in shown
    assert gone is None or gone not in shown
    if "habitat" in old:
        assert "diet" in (incremental.outdir / "genindex-Q.html").read_text(encoding="utf-8")


def test_changed_file_suffix_links_anew(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """``html_file_suffix`` is no value the documents are read with: the configuration is unchanged."""
    srcdir = project(copy_root)
    build_copy(srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as file:
        file.write('html_file_suffix = ".htm"\n')
    incremental = build_copy(srcdir)
    assert_as_clean(incremental, clean_build(srcdir, tmp_path), ".htm")
    assert entries(incremental, "genindex.htm")["Quokka"] == []  # its only link is on "habitat"
    assert all(href.startswith("extra.htm#") for href in entries(incremental, "genindex.htm")["Wombat"])


def test_other_builder_links_anew(copy_root: Callable[[str], Path], tmp_path: Path) -> None:
    """``dirhtml`` after ``html`` in one build directory: the same documents, other links."""
    srcdir = project(copy_root)
    build_copy(srcdir)
    incremental = build_copy(srcdir, "dirhtml")
    assert_as_clean(incremental, clean_build(srcdir, tmp_path, buildername="dirhtml"))
    hrefs = entries(incremental, "genindex/index.html")["Wombat"]
    assert hrefs and all(href.startswith("../extra/#") for href in hrefs)


@pytest.fixture
def fresh_catalogues(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Sphinx's translators and gettext's catalogues, made once per process (a build is a process)."""
    monkeypatch.setattr(sphinx.locale, "translators", {})
    monkeypatch.setattr(gettext, "_translations", {})

    def forget() -> None:
        sphinx.locale.translators.clear()
        gettext._translations.clear()  # type: ignore[attr-defined]

    return forget


def test_changed_language_labels_anew(
    copy_root: Callable[[str], Path], tmp_path: Path, fresh_catalogues: Callable[[], None]
) -> None:
    srcdir = project(copy_root)
    assert "Symbols" in headings(build_copy(srcdir))
    with (srcdir / "conf.py").open("a", encoding="utf-8") as file:
        file.write('language = "fr"\n')
    fresh_catalogues()
    incremental = build_copy(srcdir)
    assert "Symboles" in headings(incremental)
    fresh_catalogues()
    assert_as_clean(incremental, clean_build(srcdir, tmp_path))


def test_changed_catalogue_labels_anew(
    copy_root: Callable[[str], Path],
    tmp_path: Path,
    fresh_catalogues: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A catalogue is no configuration value: the label itself is in the digest."""
    srcdir = project(copy_root, 'language = "fr"\nlocale_dirs = ["locale"]\n')
    write_sphinx_catalogue(srcdir, "Symbols", "Signes un")
    assert "Signes un" in headings(build_copy(srcdir))
    write_sphinx_catalogue(srcdir, "Symbols", "Signes deux")
    fresh_catalogues()
    calls = computed(monkeypatch)
    incremental = build_copy(srcdir)
    assert calls == [1]
    assert "Signes deux" in headings(incremental)
    fresh_catalogues()
    assert_as_clean(incremental, clean_build(srcdir, tmp_path))


@pytest.mark.parametrize(
    ("module", "name"), [(sphinx, "__version__"), (unicodedata, "unidata_version")], ids=["Sphinx", "Unicode"]
)
def test_other_sphinx_computes_again(
    module: object, name: str, copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another version of Sphinx, or of the Unicode data, may sort or group otherwise."""
    srcdir = project(copy_root)
    build_copy(srcdir)
    monkeypatch.setattr(module, name, f"{getattr(module, name)}.post1")
    calls = computed(monkeypatch)
    build_copy(srcdir)
    assert calls == [1]


def test_changed_configuration_computes_again(
    copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build whose configuration changed trusts nothing kept, and keeps what it computes."""
    srcdir = project(copy_root)
    build_copy(srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as file:
        file.write('rst_prolog = ".. |x| replace:: y"\n')
    calls = computed(monkeypatch)
    incremental = build_copy(srcdir)
    assert calls == [1]
    assert_as_clean(incremental, clean_build(srcdir, tmp_path))
    calls.clear()  # the clean build's
    build_copy(srcdir)
    assert calls == []


WARNING_CONF = """
def bogus_entry(app, doctree):
    if app.env.docname == "extra":
        app.env.domains.index_domain.entries["extra"].append(("bogus", "Koala", "koala", "", None))

def setup(app):
    app.connect("doctree-read", bogus_entry)
"""


def test_warning_computation_is_not_kept(copy_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx warns about an unknown entry type on every build that writes: a no-op too."""
    srcdir = project(copy_root, WARNING_CONF)
    assert "unknown index entry type 'bogus'" in build_copy(srcdir).warnings
    calls = computed(monkeypatch)
    again = build_copy(srcdir)
    assert calls == [1]
    assert "unknown index entry type 'bogus'" in again.warnings


@pytest.mark.parametrize("split", [False, True], ids=["single", "split"])
def test_written_as_sphinx_writes(
    split: bool, copy_root: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The builders' own ``write_genindex`` is replaced by one that must write the same pages."""
    srcdir = project(copy_root, f"html_split_index = {split}\n")
    ours = build_copy(srcdir)
    monkeypatch.setattr(generalindex, "install", lambda app: None)
    sphinx_own = clean_build(srcdir, tmp_path)
    assert index_pages(ours) == index_pages(sphinx_own)
    assert len(index_pages(ours)) > (10 if split else 0)

"""Search with Pagefind (talkbase.theme.search): what the build writes for it.

The pages' marks and filters are read with BeautifulSoup, and Pagefind's own
output is decoded (its filter files are gzipped CBOR): the filters the search
page will offer are the ones the knowledge base defines.  The search page in a
browser is tested in tests/test_search_browser.py.
"""

from __future__ import annotations

import gzip
import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from tests.conftest import ROOTS, BuiltRoot, build_copy

import talkbase.theme.search

if TYPE_CHECKING:
    from pathlib import Path

#: What each talk page gives Pagefind: (filter, value) pairs.
TALK_FILTERS = {
    "keynote": {
        ("type", "Talk"),
        ("event", "Spring Summit"),
        ("speaker", "Alice Martin"),
        ("tag", "strategy"),
        ("tag", "web"),
        ("language", "English"),
        ("year", "2020"),
    },
    "ethics": {
        ("type", "Talk"),
        ("event", "Spring Summit"),
        ("speaker", "Bob Durand"),
        ("tag", "ethics"),
        ("language", "French"),
        ("year", "2020"),
    },
    "zebra": {
        ("type", "Talk"),
        ("event", "Forum, autumn edition"),
        ("speaker", "Alice Martin"),
        ("speaker", "Carol Zhang"),
        ("tag", "web"),
        ("language", "German"),
        ("year", "2021"),
    },
}
#: The index Pagefind wrote: filter -> value -> number of pages.
INDEXED_FILTERS = {
    "type": {"Talk": 3, "Event": 1, "Speaker": 1},
    "event": {"Spring Summit": 3, "Forum, autumn edition": 2},
    "speaker": {"Alice Martin": 3, "Bob Durand": 2, "Carol Zhang": 2, "Dave Unused": 1},
    "tag": {"strategy": 1, "web": 2, "ethics": 1},
    "language": {"English": 1, "French": 1, "German": 1},
    "year": {"2020": 3, "2021": 2},
}


def page_filters(built: BuiltRoot, page: str) -> set[tuple[str, str]]:
    found = set()
    for meta in built.html(page).select("meta[data-pagefind-filter]"):
        name = meta["data-pagefind-filter"].removesuffix("[content]")
        found.add((name, meta["content"]))
    return found


def decode_cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """The subset of CBOR Pagefind's filter files use: unsigned ints, text, arrays."""
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        value = info
    else:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + size], "big"), at + size
    if major == 0:
        return value, at
    if major == 3:
        return data[at : at + value].decode("utf-8"), at + value
    assert major == 4, f"unexpected CBOR major type {major}"
    items = []
    for _ in range(value):
        item, at = decode_cbor(data, at)
        items.append(item)
    return items, at


def pagefind_filters(outdir: Path) -> dict[str, dict[str, int]]:
    """Pagefind's filter index as written: filter -> value -> number of pages."""
    filters = {}
    for path in (outdir / "pagefind" / "filter").glob("*.pf_filter"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        (name, values), _ = decode_cbor(data, len(b"pagefind_dcd"))
        filters[name] = {value: len(pages) for value, pages in values}
    return filters


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    srcdir = tmp_path_factory.mktemp("search") / "src"
    shutil.copytree(ROOTS / "test-search", srcdir)
    return build_copy(srcdir)


def test_builds_clean(built: BuiltRoot) -> None:
    assert built.warnings == ""


def test_pages_carry_the_knowledge_base_filters(built: BuiltRoot) -> None:
    for page, expected in TALK_FILTERS.items():
        assert page_filters(built, page) == expected, page
    assert page_filters(built, "events") == {
        ("type", "Event"),
        ("event", "Spring Summit"),
        ("event", "Forum, autumn edition"),
        ("year", "2020"),
        ("year", "2021"),
    }
    assert page_filters(built, "guide") == set()
    keynote = built.html("keynote")
    meta = {m["data-pagefind-meta"]: m["content"] for m in keynote.select("meta[data-pagefind-meta]")}
    assert meta == {"title[content]": "Opening keynote", "type[content]": "Talk"}


def test_only_the_main_content_of_pages_is_indexed(built: BuiltRoot) -> None:
    for page in ("index", "keynote", "guide", "speakers"):
        bodies = built.html(page).select("[data-pagefind-body]")
        assert [tag.name for tag in bodies] == ["article"], page
        assert not bodies[0].find_parent(["nav", "header", "footer"])
    for page in ("search", "genindex", "kb-talkindex"):
        assert not built.html(page).select("[data-pagefind-body]"), page


def test_pagefind_index_has_the_filters(built: BuiltRoot) -> None:
    entry = json.loads((built.outdir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    # index, events, speakers, three talks, guide: not the search page nor the generated indices.
    assert entry["languages"]["en"]["page_count"] == 7
    assert (built.outdir / "pagefind" / "pagefind.js").is_file()
    assert pagefind_filters(built.outdir) == INDEXED_FILTERS


def pagefind_contents(outdir: Path) -> dict[str, str]:
    """The text Pagefind indexed, by URL (its fragment files are gzipped JSON)."""
    contents = {}
    for path in (outdir / "pagefind" / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        contents[fragment["url"]] = fragment["content"]
    return contents


def test_pagefind_indexes_the_words_of_pages(built: BuiltRoot) -> None:
    contents = pagefind_contents(built.outdir)
    assert len(contents) == 7
    keynote = contents["/keynote.html"]
    assert keynote.startswith("Opening keynote. Talk Opening Keynote. Speakers: Alice Martin.")
    assert "Building a lighthouse takes patience & <care>." in keynote
    # Not the heading marks, not "Cite this" (title, speakers and event again, machine formats), not the search links.
    for absent in ("¶", "Cite this", "Conference presentation", "TY  -", "@misc", "CSL-JSON"):
        assert absent not in keynote
    assert "Search within" not in contents["/speakers.html"]
    assert "Data Ethics" in contents["/speakers.html"]


def test_search_page_configuration(built: BuiltRoot) -> None:
    page = built.html("search").select_one("#tb-search")
    assert page["data-mode"] == "pagefind"
    config = json.loads(page["data-config"])
    assert config["pagefind"] == "pagefind/pagefind.js"
    assert list(config["filters"]) == ["type", "event", "speaker", "tag", "language", "year"]
    assert config["labels"]["many"] == "{count} results"
    # Sphinx's index is loaded by the script only when Pagefind cannot be: no <script> for it.
    assert page["data-sphinx-index"] == "searchindex.js"
    assert not built.html("search").select("script[src$='searchindex.js']")
    assert (built.outdir / "searchindex.js").is_file()


def test_speaker_links_to_their_talks(built: BuiltRoot) -> None:
    speakers = built.html("speakers")
    links = {
        obj["data-kb-id"]: [a["href"] for a in obj.select(".kb-search-within a")]
        for obj in speakers.select(".kb-object.kb-speaker")
    }
    assert links == {
        "alice": ["search.html?speaker=Alice+Martin&type=Talk"],
        "bob": ["search.html?speaker=Bob+Durand&type=Talk"],
        "carol": ["search.html?speaker=Carol+Zhang&type=Talk"],
        "dave": [],  # no talks: nothing to search within
    }


def test_french_labels(copy_root: Any, build_sphinx: Any) -> None:
    built = build_sphinx(copy_root("search"), confoverrides={"language": "fr"})
    assert built.warnings == ""
    config = json.loads(built.html("search").select_one("#tb-search")["data-config"])
    assert config["filters"]["year"] == "Année"
    assert config["labels"]["many"] == "{count} résultats"
    assert ("type", "Intervention") in page_filters(built, "keynote")
    assert ("language", "anglais") in page_filters(built, "keynote")
    link = built.html("speakers").select_one("[data-kb-id=alice] .kb-search-within a")
    assert link.get_text() == "Rechercher dans les interventions de cet intervenant"
    assert link["href"] == "search.html?speaker=Alice+Martin&type=Intervention"
    entry = json.loads((built.outdir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]


def test_dirhtml(copy_root: Any, build_sphinx: Any) -> None:
    built = build_sphinx(copy_root("search"), "dirhtml")
    assert built.warnings == ""
    assert pagefind_filters(built.outdir) == INDEXED_FILTERS
    speakers = built.text("speakers/index.html")
    assert 'href="../search/?speaker=Alice+Martin&amp;type=Talk"' in speakers


@pytest.mark.parametrize(
    ("overrides", "builder"),
    [({"talkbase_search": "sphinx"}, "html"), ({"html_theme": "basic"}, "html"), ({}, "singlehtml")],
    ids=["switched-off", "other-theme", "singlehtml"],
)
def test_sphinx_search_only(copy_root: Any, build_sphinx: Any, overrides: dict[str, str], builder: str) -> None:
    built = build_sphinx(copy_root("search"), builder, confoverrides=overrides)
    assert built.warnings == ""
    assert not (built.outdir / "pagefind").exists()
    page = "index" if builder == "singlehtml" else "keynote"
    html = built.html(page)
    assert not html.select("[data-pagefind-body], meta[data-pagefind-filter], .kb-search-within")
    if overrides.get("talkbase_search") == "sphinx":
        assert built.html("search").select_one("#tb-search")["data-mode"] == "sphinx"


def test_pagefind_missing(copy_root: Any, build_sphinx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(talkbase.theme.search, "pagefind_executable", lambda: None)
    srcdir = copy_root("search")
    built = build_sphinx(srcdir, confoverrides={"talkbase_search": "pagefind"})
    assert "talkbase_search = 'pagefind' but the pagefind[bin] package is not installed" in built.warnings
    assert built.warnings.strip().endswith("[talkbase.search]")
    assert not (built.outdir / "pagefind").exists()
    assert built.html("search").select_one("#tb-search")["data-mode"] == "sphinx"
    # "auto" falls back without a word.
    quiet = build_sphinx(srcdir, freshenv=True)
    assert quiet.warnings == ""
    assert not (quiet.outdir / "pagefind").exists()


def test_incremental_index_equals_clean(copy_root: Any, build_sphinx: Any, tmp_path: Path) -> None:
    srcdir = copy_root("search")
    first = build_sphinx(srcdir)
    assert "indexing the pages for search with Pagefind" in first.status
    # Nothing changed: Pagefind does not run again, and the index stays.
    noop = build_sphinx(srcdir)
    assert "indexing the pages for search with Pagefind" not in noop.status
    assert pagefind_filters(noop.outdir) == INDEXED_FILTERS
    # A talk changes its event and its words: the next build indexes them.
    talk = srcdir / "ethics.md"
    talk.write_text(
        talk.read_text(encoding="utf-8").replace(":event: spring", ":event: autumn").replace("Consent", "Beacon"),
        encoding="utf-8",
    )
    # Another page renames the other event: the keynote's page, not edited, shows the new title.
    events = srcdir / "events.md"
    events.write_text(events.read_text(encoding="utf-8").replace("Spring Summit", "Spring Gathering"), encoding="utf-8")
    edited = build_sphinx(srcdir)
    assert "indexing the pages for search with Pagefind" in edited.status
    assert ("event", "Spring Gathering") in page_filters(edited, "keynote")
    assert "Beacon is a lighthouse" in pagefind_contents(edited.outdir)["/ethics.html"]
    clean_src = tmp_path / "clean"
    shutil.copytree(srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build_sphinx(clean_src)
    assert pagefind_contents(edited.outdir) == pagefind_contents(clean.outdir)
    assert pagefind_filters(edited.outdir) == pagefind_filters(clean.outdir)
    assert pagefind_filters(edited.outdir)["event"] == {"Spring Gathering": 2, "Forum, autumn edition": 3}


def test_two_clean_builds_write_the_same_index(built: BuiltRoot, tmp_path: Path) -> None:
    """Pagefind orders its filter index at random; talkbase rewrites it in a stable order."""
    second = build_copy(built.srcdir, outdir=tmp_path / "second", freshenv=True)

    def files(outdir: Path) -> dict[str, bytes]:
        bundle = outdir / "pagefind"
        return {str(path.relative_to(bundle)): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}

    first_files, second_files = files(built.outdir), files(second.outdir)
    assert sorted(first_files) == sorted(second_files)
    assert [name for name in first_files if first_files[name] != second_files[name]] == []
    # Still one filter file per filter, each listed once in the index.
    assert len(list((second.outdir / "pagefind" / "filter").iterdir())) == len(INDEXED_FILTERS)

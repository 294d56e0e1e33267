"""The exports of HTML builds: ``_kb/talks.bib``, ``_kb/talks.csl.json``, ``_kb/talks.ris``, ``_kb/kb.json``
(root ``test-cite``; the citation edge cases are in test_cite_edge.py)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator, Draft202012Validator
from pybtex.database import parse_string
from sphinx.testing.util import SphinxTestApp
from tests.conftest import ROOTS, build_copy, csl_schema

from talkbase.cite.exports import SCHEMA_PATH, dump_json
from talkbase.domain import kb_domain
from talkbase.model import Event, Recommendation, Record, Speaker, Talk, Term

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import BuiltRoot

HOSTILE = '</script><script>alert(1)</script> "quotes" {braces} 50% & more @misc{x,'
CLASSES: dict[str, type[Record]] = {
    "event": Event, "talk": Talk, "speaker": Speaker, "rec": Recommendation, "term": Term,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SphinxTestApp, Path]]:
    """A finished HTML build of the root whose environment stays readable."""
    srcdir = tmp_path_factory.mktemp("exports") / "src"
    shutil.copytree(ROOTS / "test-cite", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        assert app.warning.getvalue() == ""
        yield app, app.outdir / "_kb"
    finally:
        app.cleanup()


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return json.loads(text)


def test_talks_bib(built: tuple[SphinxTestApp, Path]) -> None:
    _app, kb = built
    text = (kb / "talks.bib").read_text(encoding="utf-8")
    assert "Stéphane" in text  # UTF-8, not LaTeX accents
    entries = parse_string(text, "bibtex").entries
    assert list(entries) == ["etat-des-lieux", "hostile"]
    etat = entries["etat-des-lieux"]
    assert etat.type == "unpublished"
    assert [str(person) for person in etat.persons["author"]] == ["Hugon, Stéphane", "de La Tour, Anne-Sophie"]
    assert dict(etat.fields) == {
        "title": "{Médias sociaux : état des lieux}",  # braces: no style changes its case
        "note": "Conference presentation",
        "year": "2011",
        "month": "September",  # written as the macro ``sep``
        "date": "2011-09-05",
        "eventtitle": "Assises des Médias Sociaux",
        "venue": "Paris",
        "address": "Paris",
        "url": "https://kb.example.org/recap/talks.html#talk-etat-des-lieux",
        "language": "fr",
        "keywords": "médias sociaux, entreprise",
        "abstract": "Une présentation conjointe sur la proxémie.",
    }
    hostile = entries["hostile"].fields
    tag = "{\\textless}%sscript{\\textgreater}"
    assert hostile["title"] == (
        "{" + tag % "/" + tag % "" + "alert(1)" + tag % "/" + ' "quotes" {\\textbraceleft}braces{\\textbraceright} '
        "50\\% \\& more @misc{\\textbraceleft}x,}"
    )
    assert hostile["date"] == "2012-03-01"  # inherited from the event


def test_talks_csl_json(built: tuple[SphinxTestApp, Path]) -> None:
    _app, kb = built
    items = load(kb / "talks.csl.json")
    Draft7Validator(csl_schema()).validate(items)
    assert [item["id"] for item in items] == ["etat-des-lieux", "hostile"]
    etat = items[0]
    assert etat["type"] == "speech"
    assert etat["author"] == [
        {"family": "Hugon", "given": "Stéphane"},
        {"family": "de La Tour", "given": "Anne-Sophie"},
    ]
    assert etat["issued"] == {"date-parts": [[2011, 9, 5]]}
    assert (etat["event-title"], etat["event-place"]) == ("Assises des Médias Sociaux", "Paris")
    assert etat["URL"] == "https://kb.example.org/recap/talks.html#talk-etat-des-lieux"
    assert (etat["language"], etat["genre"]) == ("fr", "Conference presentation")
    hostile = items[1]
    assert (hostile["title"], hostile["event-title"]) == (HOSTILE, HOSTILE)
    assert hostile["event-place"] == "Lyon & {Villeurbanne} 100%"


@pytest.mark.parametrize("name", ["kb.json", "talks.csl.json"])
def test_json_exports_are_written_as_json_dumps_writes_them(built: tuple[SphinxTestApp, Path], name: str) -> None:
    """dump_json's own indenting writes exactly what json.dumps(indent=2, sort_keys=True) would."""
    _app, kb = built
    text = (kb / name).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert json.dumps(HOSTILE, ensure_ascii=False) in text  # the hostile title, in json's escaping


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES)
def test_dump_json_is_json_dumps(value: object) -> None:
    """Strings with quotes, controls, U+2028 and non-ASCII, empty containers, NaN, int keys."""
    assert dump_json(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_kb_json_schema_is_valid() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_kb_json_round_trips(built: tuple[SphinxTestApp, Path]) -> None:
    app, kb = built
    data = load(kb / "kb.json")
    Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(data)
    assert data["version"] == "1.1"
    assert data["generator"].startswith("talkbase ")
    objects = data["objects"]
    assert {objtype: len(by_id) for objtype, by_id in objects.items()} == {
        "event": 2, "talk": 2, "speaker": 2, "rec": 1, "term": 2,
    }
    # Every object of the environment comes back from its JSON, field for field; the
    # summary as the text a reader sees (its references resolved).
    index = kb_domain(app.env).index
    records = list(index.all_records())
    assert len(records) == 9
    for record in records:
        entry = objects[record.objtype][record.id]
        assert entry["type"] == record.objtype
        assert entry["page"] == app.builder.get_target_uri(record.docname)
        assert entry["anchor"] == record.anchor
        assert entry["canonical_url"] == f"https://kb.example.org/recap/{entry['page']}#{record.anchor}"
        assert entry["fields"]["summary"] == index.summary(record)
        assert dataclasses.replace(rebuild(record.objtype, entry["fields"]), summary=record.summary) == record


def rebuild(objtype: str, fields: dict[str, Any]) -> Record:
    values = dict(fields)
    for name, value in values.items():
        if name == "translations":
            values[name] = tuple((pair["lang"], pair["text"]) for pair in value)
        elif isinstance(value, list):
            values[name] = tuple(value)
    return CLASSES[objtype](**values)


def test_kb_json_relations(built: tuple[SphinxTestApp, Path]) -> None:
    _app, kb = built
    objects = load(kb / "kb.json")["objects"]
    relations = {
        (objtype, objid): entry["relations"] for objtype, by_id in objects.items() for objid, entry in by_id.items()
    }
    assert relations == {
        ("event", "ams-2011"): {"talks": ["etat-des-lieux"]},
        ("event", "hostile-event"): {"talks": ["hostile"]},
        ("talk", "etat-des-lieux"): {
            "speakers": ["stephane-hugon", "anne-sophie"],
            "event": "ams-2011",
            "recommendations": ["ecouter"],
            "terms": ["proxemie"],
        },
        ("talk", "hostile"): {
            "speakers": ["stephane-hugon"],
            "event": "hostile-event",
            "recommendations": [],
            "terms": [],
        },
        ("speaker", "stephane-hugon"): {"talks": ["etat-des-lieux", "hostile"]},
        ("speaker", "anne-sophie"): {"talks": ["etat-des-lieux"]},
        ("rec", "ecouter"): {"talk": "etat-des-lieux"},
        ("term", "proxemie"): {
            "see": ["signaux-faibles"],
            "translations": [{"lang": "en", "text": "proxemics"}],
            "talks": ["etat-des-lieux"],
        },
        ("term", "signaux-faibles"): {"see": [], "translations": [], "talks": []},
    }
    links = sum(len(v) if isinstance(v, list) else v is not None for r in relations.values() for v in r.values())
    assert links == 16


def test_exports_are_stable_and_only_rewritten_on_change(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("cite")
    first = build_copy(srcdir)
    kb = first.outdir / "_kb"
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in kb.iterdir()}
    assert set(before) == {"talks.bib", "talks.csl.json", "talks.ris", "kb.json", "talks.atom"}
    build_copy(srcdir)
    assert {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in kb.iterdir()} == before
    (srcdir / "speakers.md").write_text(
        (srcdir / "speakers.md").read_text(encoding="utf-8").replace("Stéphane Hugon", "Stéphane Hugon-Eranos"),
        encoding="utf-8",
    )
    build_copy(srcdir)
    assert (kb / "kb.json").read_bytes() != before["kb.json"][0]
    assert "Hugon-Eranos" in (kb / "talks.bib").read_text(encoding="utf-8")


def test_parallel_build_gives_the_same_exports(built_root: Callable[..., BuiltRoot]) -> None:
    serial, parallel = built_root("cite"), built_root("cite", parallel=2)
    for name in ("talks.bib", "talks.csl.json", "talks.ris", "kb.json"):
        assert (parallel.outdir / "_kb" / name).read_bytes() == (serial.outdir / "_kb" / name).read_bytes()


def test_no_exports_for_other_builders(built_root: Callable[..., BuiltRoot]) -> None:
    assert not (built_root("cite", "text").outdir / "_kb").exists()


def test_talks_bib_is_read_by_bibtex_and_biber(built: tuple[SphinxTestApp, Path], tmp_path: Path) -> None:
    """The real tools, not only pybtex: BibTeX with ``plain`` and biber's data-model check."""
    _app, kb = built
    shutil.copy(kb / "talks.bib", tmp_path / "talks.bib")
    aux = "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{talks}\n"
    (tmp_path / "cite.aux").write_text(aux, encoding="utf-8")
    bibtex = subprocess.run(["bibtex", "cite"], cwd=tmp_path, capture_output=True, text=True, check=False)
    log = (tmp_path / "cite.blg").read_text(encoding="utf-8", errors="replace")
    assert bibtex.returncode == 0, log
    assert "error message" not in log, log
    bbl = (tmp_path / "cite.bbl").read_text(encoding="utf-8", errors="replace")
    assert "\\bibitem{etat-des-lieux}" in bbl
    assert "\\bibitem{hostile}" in bbl
    biber = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "talks.bib"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    biber_log = (tmp_path / "talks.bib.blg").read_text(encoding="utf-8", errors="replace")
    assert biber.returncode == 0, biber.stdout + biber_log
    assert "ERROR" not in biber_log, biber_log
    assert "WARN" not in biber_log, biber_log  # datamodel validation found nothing to report

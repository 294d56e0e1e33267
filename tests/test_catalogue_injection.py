"""Catalogue of injection attempts (issue 8): markup, script and LaTeX in every
text field and option, hostile schemes in every URL option, BibTeX syntax in
titles.  Every output must show the text literally and run nothing: HTML (and
its meta tags and JSON-LD), the search index, ``_kb/kb.json``, ``talks.bib``,
``talks.csl.json`` and the LaTeX source."""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from typing import TYPE_CHECKING

import jsonschema
import pytest
from tests.conftest import assert_warning, csl_schema

from catalogue_support import BuiltRoot, build_root

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import BeautifulSoup

P = '<script>alert(1)</script>"><img src=x onerror=alert(2)></script>'
L = r"\input{/etc/passwd} $x^2$ & % # _ ~ ^ \\"
B = "} @misc{evil, title={x"
T = f"{P} {L} {B}"

BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_root("catalogue-injection", tmp_path_factory.mktemp("catalogue-injection"))


@pytest.fixture(scope="module")
def latex(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    return build_root("catalogue-injection", tmp_path_factory.mktemp("catalogue-injection-latex"), "latex")


def pages(build: BuiltRoot) -> list[Path]:
    return sorted(build.outdir.rglob("*.html"))


def parsed(build: BuiltRoot, path: Path) -> BeautifulSoup:
    return build.html(str(path.relative_to(build.outdir).with_suffix("")))


# -- HTML --------------------------------------------------------------------------------


def test_no_element_or_attribute_comes_from_author_text(html: BuiltRoot) -> None:
    assert len(pages(html)) > 5  # pages, indices, tag pages
    for path in pages(html):
        soup = parsed(html, path)
        handlers = [tag for tag in soup.find_all(True) if any(name.lower().startswith("on") for name in tag.attrs)]
        assert handlers == [], path
        assert [img for img in soup.find_all("img") if img.get("src") == "x"] == [], path
        for script in soup.find_all("script"):
            # Only the theme's files, its search box snippet and talkbase's JSON-LD.
            assert (
                script.get("src", "").startswith(("_static/", "../_static/", "searchindex.js"))
                or script.get("type") == "application/ld+json"
                or script.get_text().startswith("document.getElementById('searchbox')")
            ), (path, script)
            assert "alert" not in (script.get("src") or ""), path
            assert "alert" not in script.get_text() or script.get("type") == "application/ld+json", path
        assert len(soup.find_all("script", type="application/ld+json")) <= 1


def test_author_text_is_shown_literally(html: BuiltRoot) -> None:
    page = html.html("hostile")
    titles = [t.get_text() for t in page.select(".kb-title-text")]
    assert f"Event {T}" in titles
    assert f"Talk {T}" in titles
    assert f"Advice {T}" in titles
    text = page.get_text()
    for field in (f"Place {T}", f"Series {T}", f"Affiliation {T}", f"Tag {P}", f"Alias {P}"):
        assert field in text, field
    assert f"Talk body {P}" in text


def test_no_link_has_a_script_scheme(html: BuiltRoot) -> None:
    for path in pages(html):
        soup = parsed(html, path)
        for tag in soup.find_all(["a", "img", "link", "iframe", "source", "video"]):
            for attribute in ("href", "src", "srcset", "poster"):
                value = "".join(str(tag.get(attribute, "")).split()).lower()
                assert not value.startswith(BAD_SCHEMES), (path, tag)
                assert not value.startswith("//"), (path, tag)


@pytest.mark.parametrize(
    ("line", "option", "words"),
    [
        (4, ":url:", ("'javascript:alert(1)'",)),
        (17, ":photo:", ("'JaVaScRiPt:alert(1)'",)),
        (34, ":video:", ("javascript:alert(1)",)),  # padded with spaces
        (47, ":slides:", ("'data:text/html;base64,PHNjcmlwdD4='",)),
        (65, ":url:", ("'DATA:text/html,<script>alert(1)</script>'",)),
        (73, ":slides:", ("'vbscript:msgbox(1)'",)),
        (91, ":url:", ("'VBScript:msgbox(1)'",)),
        (99, ":video:", ("control characters",)),  # "java<TAB>script:"
        (121, ":photo:", ("'//evil.example.org/x'", "protocol-relative")),
    ],
)
def test_hostile_url_warns(html: BuiltRoot, line: int, option: str, words: tuple[str, ...]) -> None:
    assert_warning(html, "urls.rst", line, "bad-url", option, *words)


def test_meta_tags_and_json_ld_are_inert(html: BuiltRoot) -> None:
    raw = html.text("hostile.html")
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.DOTALL)
    assert match
    assert "<" not in match.group(1)
    assert ">" not in match.group(1)
    data = json.loads(match.group(1))
    names = {node["name"] for node in data["@graph"]}
    assert {f"Event {T}", f"Talk {T}", f"Speaker {T}", f"Term {T}", f"Advice {T}"} <= names
    page = html.html("hostile")
    metas = {m.get("name") or m.get("property"): m["content"] for m in page.find_all("meta") if m.get("content")}
    assert metas["og:title"] == f"Event {T}"
    assert metas["citation_title"] == f"Talk {T}"
    assert metas["eprints.event_location"] == f"Place {T}"
    assert P in metas["citation_abstract"]


def test_search_index_holds_text(html: BuiltRoot) -> None:
    """The index is JSON data: the general index keeps the text, Sphinx stores object names HTML-escaped."""
    index = html.search_index()
    assert f"talk {T} (talk)".lower() in index["indexentries"]  # "Title (type)", one level
    names = [entry[4] for entries in index["objects"].values() for entry in entries]
    assert html_escape(f"Talk {T}", quote=True) in names


# -- exports ------------------------------------------------------------------------------


def test_kb_json_keeps_text_as_data(html: BuiltRoot) -> None:
    objects = html.kb()["objects"]
    assert objects["talk"]["evil-talk"]["fields"]["title"] == f"Talk {T}"
    assert objects["event"]["evil-event"]["fields"]["place"] == f"Place {T}"
    assert objects["speaker"]["evil-speaker"]["fields"]["affiliation"] == f"Affiliation {T}"
    assert f"Tag {P}" in objects["talk"]["evil-talk"]["fields"]["tags"]
    for objtype in ("speaker", "talk", "event"):
        for record in objects[objtype].values():
            for name in ("url", "photo", "slides", "video"):
                value = "".join(record["fields"].get(name, "").split()).lower()
                assert not value.startswith(BAD_SCHEMES), record


def test_bibtex_has_one_entry_per_talk_and_no_injected_entry(html: BuiltRoot) -> None:
    bib = html.bib()
    talks = set(html.kb()["objects"]["talk"])
    assert set(bib.entries) == talks
    assert "evil" not in bib.entries
    entry = bib.entries["evil-talk"]
    assert entry.type == "unpublished"
    assert "@misc" in entry.fields["title"]
    # Braces are balanced in every field: the "}" of the title did not end it.
    text = html.text("_kb/talks.bib")
    assert text.count("@") == len(talks) + text.count("@misc")
    assert r"\input{/etc/passwd}" not in text


def test_csl_json_is_valid_and_literal(html: BuiltRoot) -> None:
    items = html.csl()
    jsonschema.validate(items, csl_schema())
    titles = {item["id"]: item["title"] for item in items}
    assert titles["evil-talk"] == f"Talk {T}"


# -- LaTeX --------------------------------------------------------------------------------


def test_latex_escapes_every_field(latex: BuiltRoot) -> None:
    tex = latex.text("injection.tex")
    assert r"\input{/etc/passwd}" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex
    assert "@misc\\{evil" in tex
    assert "<" not in tex
    # Fields are all there, whole, each special character escaped for LaTeX.
    escaped_p = (
        r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{}" '"' r"\textgreater{}"
        r"\textless{}img src=x onerror=alert(2)\textgreater{}\textless{}/script\textgreater{}"
    )
    escaped_t = (
        escaped_p + r" \textbackslash{}input\{/etc/passwd\} \$x\textasciicircum{}2\$ \& \% \# \_ \textasciitilde{}"
        r" \textasciicircum{} \textbackslash{}\textbackslash{} \} @misc\{evil, title=\{x"
    )
    for field in ("Place", "Series", "Affiliation"):
        assert f"\\kbfieldlabel{{{field}}}{field} {escaped_t}\n" in tex, field
    assert f"\\kbfieldlabel{{Aliases}}Alias {escaped_p}\n" in tex


def test_latex_build_finishes(latex: BuiltRoot) -> None:
    assert "Traceback" not in latex.warnings
    assert latex.statuscode == 1  # the bad URLs

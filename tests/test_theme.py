"""The talkbase HTML theme, without a browser: structure, options, previews, builders, scale."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from talkbase.metadata import script_json
from talkbase.theme import navigation
from talkbase.theme.page import colour

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def soup(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "lxml")


@pytest.mark.sphinx("html", testroot="theme", freshenv=True)
def test_builds_clean_with_landmarks(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    page = soup(app, "talks/first.html")
    assert page.select_one("a.tb-skip")["href"] == "#tb-main"
    assert page.select_one("header.tb-header")
    assert page.select_one("main#tb-main")
    assert page.select_one("footer.tb-footer")
    assert page.select_one("form[role=search]")["action"] == "../search.html"
    assert page.select_one("button.tb-scheme-button")["aria-label"]
    assert page.select_one("button.tb-menu-button")["aria-controls"] == "tb-drawer"
    labels = [nav.get("aria-label") or nav.get("aria-labelledby") for nav in page.select("nav")]
    assert len(labels) == len(set(labels)) and all(labels)
    # The scheme script sits in <head>, before the page paints.
    head_scripts = [script.string or "" for script in page.head.select("script:not([src])")]
    assert any("talkbase-scheme" in text and "data-scheme" in text for text in head_scripts)
    # Current page highlighted; its branch expanded; the right TOC lists the talk and the sections.
    current = page.select_one(".tb-nav a[aria-current=page]")
    assert current.get_text() == "First talk page"
    assert page.select_one(".tb-nav li.tb-open > a").get_text() == "Talks"
    assert [a.get_text() for a in page.select(".tb-toc a")][1:] == [
        "A first talk about </script> & “quotes”", "A section", "Another section",  # curled like the page
    ]  # fmt: skip
    assert page.select_one("a.tb-prev")["href"] == "index.html"
    assert page.select_one("a.tb-next")["href"] == "second.html"
    assert "Last updated on" in page.select_one(".tb-footer").get_text()
    assert "2026, The talkbase contributors" in page.select_one(".tb-footer").get_text()
    # Offline: no stylesheet or script from another host.
    for tag in page.select("link[href], script[src]"):
        assert not re.match(r"(https?:)?//", tag.get("href") or tag.get("src")), tag


@pytest.mark.sphinx("html", testroot="theme", freshenv=True)
def test_options(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "talks/first.html")
    assert page.select_one("img.tb-logo")["src"] == "../_static/logo.svg"
    style = page.head.select_one("style").get_text()
    assert "html:root{--tb-accent:#8a2be2}" in style
    assert 'html:root[data-scheme="dark"]{--tb-accent:rgb(200, 170, 255)}' in style
    assert "@media (prefers-color-scheme: dark){html:root:not([data-scheme]){--tb-accent:rgb(200, 170, 255)}}" in style
    assert page.select_one("a.tb-repository")["href"] == "https://example.org/repo"
    assert page.select_one(".tb-edit a")["href"] == "https://example.org/repo/edit/main/docs/talks/first.md"
    assert page.select_one(".tb-announcement strong").get_text() == "New:"
    kb = {a.get_text(): a["href"] for a in page.select(".tb-kb a")}
    assert kb == {
        "Talks": "../kb-talkindex.html",
        "Speakers": "../kb-speakerindex.html",
        "Terms": "../kb-termindex.html",
        "Tags": "../tags/index.html",
        "Glossary": "../glossary.html",
    }
    # Pages that are not documents (indices, search) get no edit link.
    assert not soup(app, "genindex.html").select(".tb-edit")


@pytest.mark.sphinx(
    "html",
    testroot="theme",
    freshenv=True,
    confoverrides={"html_theme_options": {"kb_sidebar": "false", "navigation_depth": "1", "accent_color": "red;}"}},
)
def test_options_off_and_bad_colour(app: SphinxTestApp) -> None:
    app.build()
    assert "accent_color 'red;}' is not a CSS colour" in app.warning.getvalue()
    page = soup(app, "talks/first.html")
    assert not page.select(".tb-kb")
    assert not page.select(".tb-nav ul ul")
    assert not page.head.select("style")
    assert not page.select(".tb-announcement, .tb-edit, a.tb-repository, img.tb-logo")


def test_colour_check() -> None:
    assert colour("#0a58b8", "x") == "#0a58b8"
    assert colour("oklch(60% 0.2 250)", "x") == "oklch(60% 0.2 250)"
    assert colour("", "x") == ""


@pytest.mark.sphinx("html", testroot="theme", freshenv=True)
def test_previews_in_page(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "index.html")
    raw = (app.outdir / "index.html").read_text(encoding="utf-8")
    script = page.select_one("script#tb-previews")
    data = json.loads(script.string)
    # A title containing </script> cannot end the element early.
    assert raw.count("</script>") == raw.count("<script")
    links = {a["href"] for a in page.select("a.kb-ref, a:has(.std-term)")}
    assert set(data) == links
    talk = data["talks/first.html#talk-first-talk"]
    assert talk == {
        "kind": "talk",
        # The author's words for {term}, the speaker's current name for {speaker}: text only.
        "summary": "A recap mentioning the widget and Ada Martin.",
        "title": 'A first talk about </script> & “quotes”',  # curled like the page's text
        "type": "talk",
    }
    assert data["glossary.html#term-widget"]["summary"] == "A small component of an interface."
    # Pages without object links get no preview data.
    assert not soup(app, "talks/index.html").select("script#tb-previews")


def test_script_json_escapes() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


@pytest.mark.sphinx("html", testroot="theme", freshenv=True)
def test_dark_code_follows_toggle(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "index.html")
    hrefs = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert not any("pygments_dark.css" in href for href in hrefs)
    assert "_static/talkbase-pygments-dark.css" in hrefs
    css = (app.outdir / "_static" / "talkbase-pygments-dark.css").read_text(encoding="utf-8")
    rules = [line for line in css.splitlines() if "{" in line and not line.startswith("@media")]
    assert rules
    assert all(line.startswith(("html[data-scheme", "html:not([data-scheme])")) for line in rules)


@pytest.mark.sphinx(
    "html", testroot="theme", freshenv=True, confoverrides={"extensions": ["myst_parser", "talkbase", "talkbase.theme"]}
)
def test_listed_in_extensions(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    assert soup(app, "index.html").select_one("main#tb-main")


@pytest.mark.sphinx(
    "html",
    testroot="theme",
    freshenv=True,
    confoverrides={
        "extensions": ["myst_parser", "talkbase", "talkbase.theme"],
        "html_theme": "basic",
        "html_theme_options": {},
    },
)
def test_listed_in_extensions_with_another_theme(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    page = soup(app, "index.html")
    assert not page.select("#tb-main, #tb-previews, .tb-nav")
    assert not page.select("link[href*=talkbase-pygments-dark]")


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_other_builders_unaffected(builder: str, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    srcdir = Path(__file__).parent / "roots" / "test-theme"
    app = make_app(builder, srcdir=srcdir, builddir=tmp_path / "_build", freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    if builder == "latex":
        output = (app.outdir / "themetest.tex").read_text(encoding="utf-8")
        objects = re.findall(r"\\begin\{kbobject\}\{(\w+)\}", output)
        assert objects == ["talk", "talk", "event", "speaker", "term"]
        assert r"\hyperref[\detokenize{people:speaker-ada}]" in output
    else:
        output = (app.outdir / "talks" / "first.txt").read_text(encoding="utf-8")
        assert "Date:\n   March 1, 2026\n" in output
        assert "\nA recap mentioning the *widget* and *Ada Martin*.\n" in output
    # Nothing of the HTML theme (its classes, its scripts) reaches another builder.
    assert "tb-" not in output
    assert "talkbase-scheme" not in output


# -- scale ------------------------------------------------------------------------------------


def make_project(root: Path, talks: int) -> Path:
    """A project with ``talks`` talk pages in one toctree, as a big knowledge base has."""
    (root / "talks").mkdir(parents=True)
    (root / "conf.py").write_text(
        'project = "Scale"\nextensions = ["myst_parser", "talkbase"]\nhtml_theme = "talkbase"\n'
        "html_domain_indices = False\nhtml_use_index = False\n",
        encoding="utf-8",
    )
    (root / "index.md").write_text("# Scale\n\n```{toctree}\n:caption: Talks\n\ntalks/index\npeople\n```\n", "utf-8")
    entries = "\n".join(f"t{number:04d}" for number in range(talks))
    (root / "talks" / "index.md").write_text(f"# All talks\n\n```{{toctree}}\n{entries}\n```\n", "utf-8")
    (root / "people.md").write_text("# People\n\n```{speaker} Ada Martin\n:id: ada\n\nAda.\n```\n", "utf-8")
    for number in range(talks):
        (root / "talks" / f"t{number:04d}.md").write_text(
            f"# Talk {number}\n\n```{{talk}} Talk number {number}\n:id: t{number}\n:speakers: ada\n\n"
            f"Recap of talk {number}.\n```\n",
            "utf-8",
        )
    return root


def outside_content(html: str) -> int:
    """Bytes of a page outside its ``<article>`` (navigation, header, footer, head)."""
    start = html.index("<article")
    end = html.index("</article>")
    return len(html.encode()) - len(html[start:end].encode())


def test_page_weight_does_not_grow_with_the_project(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sizes = {}
    for talks in (20, 400):
        srcdir = make_project(tmp_path / f"p{talks}", talks)
        app = make_app("html", srcdir=srcdir, builddir=srcdir / "_build", freshenv=True)
        app.build()
        app.cleanup()  # unregister its nodes before the next app is made
        assert app.warning.getvalue() == ""
        page = (app.outdir / "talks" / "t0010.html").read_text(encoding="utf-8")
        sizes[talks] = outside_content(page)
        nav = BeautifulSoup(page, "lxml").select(".tb-nav ul.tb-nav-l2 > li")
        assert len(nav) == (talks if talks <= navigation.LONG_LIST else 2 * navigation.WINDOW + 3)
    assert sizes[400] < 40_000
    assert abs(sizes[400] - sizes[20]) < 600, sizes


def test_navigation_window(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    srcdir = make_project(tmp_path / "p", 60)
    app = make_app("html", srcdir=srcdir, builddir=srcdir / "_build", freshenv=True)
    app.build()
    page = BeautifulSoup((app.outdir / "talks" / "t0030.html").read_text(encoding="utf-8"), "lxml")
    items = page.select(".tb-nav ul.tb-nav-l2 > li")
    titles = [li.get_text() for li in items]
    assert titles[0] == titles[-1] == "All 60 pages of All talks"
    assert items[0].a["href"] == "index.html"
    shown = titles[1:-1]
    assert shown == [f"Talk {number}" for number in range(30 - navigation.WINDOW, 31 + navigation.WINDOW)]
    assert page.select_one(".tb-nav a[aria-current=page]").get_text() == "Talk 30"
    # The root page shows the top of every list, not the whole of it.
    home = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "lxml")
    assert [a.get_text() for a in home.select(".tb-nav a")] == ["All talks", "People"]


# -- ARIA of Sphinx's and docutils' markup --------------------------------------------------------


@pytest.mark.sphinx("html", testroot="theme-kitchen", freshenv=True)
def test_aria_roles_written_by_the_translator(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    page = soup(app, "index.html")
    caption = page.select_one("main p.caption[role=heading]")
    assert caption is not None and caption.get_text() == "Pages"
    assert caption["aria-level"] == "2"
    citation = page.select_one("div.citation-list[role=list] > div.citation")
    assert citation is not None and citation["id"] == "cit2002"
    assert citation["role"] == "listitem"
    assert not page.select('[role="doc-biblioentry"]')


@pytest.mark.sphinx("html", testroot="theme-kitchen", freshenv=True, confoverrides={"html_theme": "basic"})
def test_aria_roles_of_other_themes_unchanged(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "index.html")
    assert not page.select("p.caption[aria-level]")
    assert page.select_one("div.citation")["role"] == "doc-biblioentry"


# -- stylesheet -----------------------------------------------------------------------------------

CSS = Path(__file__).parent.parent / "extensions" / "talkbase" / "theme" / "talkbase" / "static" / "talkbase.css"


def declarations(css: str, selector: str) -> dict[str, str]:
    """The declarations of the one rule of ``css`` for ``selector``, in order."""
    start = css.index(selector + " {") + len(selector) + 2
    text = re.sub(r"/\*.*?\*/", "", css[start : css.index("}", start)], flags=re.DOTALL)
    pairs = (line.split(":", 1) for line in text.split(";") if line.strip())
    return {name.strip(): value.strip() for name, value in pairs}


def test_dark_scheme_same_without_script() -> None:
    """The system's dark preference (no script ran) sets every variable the toggle's dark scheme sets."""
    css = CSS.read_text(encoding="utf-8")
    toggle = declarations(css, 'html:root[data-scheme="dark"]')
    media = css.index("@media (prefers-color-scheme: dark) {")
    system = declarations(css[media:], "html:root:not([data-scheme])")
    assert "--tb-bg" in toggle and "--sd-color-secondary" in toggle and "--tb-card-shadow" in toggle
    assert system == toggle
    # No override of sphinx-design: only the hidden label, the hidden search box and printing need one.
    assert css.count("!important") <= 3

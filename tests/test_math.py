"""Math renders with no network: talkbase ships MathJax (talkbase/mathjax.py).

The build checks read the HTML (no remote script or style, the script only on pages
with math, an author's ``mathjax_path`` kept) and the LaTeX (math stays math). The
browser checks open the built pages in Debian's headless Chromium, from ``file://``
and from a local server, with every other request refused, and find each formula
typeset with a size, no TeX source left and no MathJax error.
"""

from __future__ import annotations

import re
import shutil
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup
from sphinx.ext.mathjax import MATHJAX_URL

from conftest import ROOTS, BuiltRoot, build_copy
from talkbase.mathjax import LOCAL_PATH, STATIC_NAME, VENDOR_DIR

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import harness

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The formulas of tests/roots/test-math/index.md: two inline, one role, two display, one \cancel.
FORMULAS_ON_INDEX = 5
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.I)


def mathjax_scripts(soup: BeautifulSoup) -> list[str]:
    return [src for tag in soup.select("script[src]") if "mathjax" in (src := tag["src"]).lower()]


def test_html_loads_the_shipped_mathjax(built_root: Any) -> None:
    build: BuiltRoot = built_root("math")
    assert build.warnings == ""
    # With Sphinx's cache-busting checksum: the copy was there before any page was written.
    checksum = r"\?v=[0-9a-f]{8}"
    [index] = mathjax_scripts(build.html("index"))
    assert re.fullmatch(re.escape(f"_static/{LOCAL_PATH}") + checksum, index)
    [deep] = mathjax_scripts(build.html("sub/deep"))
    assert re.fullmatch(re.escape(f"../_static/{LOCAL_PATH}") + checksum, deep)
    # Sphinx still loads the script only where there is math.
    assert mathjax_scripts(build.html("plain")) == []
    copy = build.outdir / "_static" / STATIC_NAME
    shipped = sorted(path.relative_to(VENDOR_DIR) for path in VENDOR_DIR.rglob("*") if path.is_file())
    assert sorted(path.relative_to(copy) for path in copy.rglob("*") if path.is_file()) == shipped
    # What MathJax asks for relative to itself is there: its fonts and the TeX extensions it loads on demand.
    assert (copy / "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").is_file()
    assert (copy / "input/tex/extensions/cancel.js").is_file()


def test_no_page_or_style_loads_anything_remote(built_root: Any) -> None:
    build: BuiltRoot = built_root("math")
    for page in build.outdir.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        remote = [tag["src"] for tag in soup.select("script[src]") if REMOTE.match(tag["src"])]
        remote += [tag["href"] for tag in soup.select("link[rel~=stylesheet]") if REMOTE.match(tag["href"])]
        assert remote == [], page
    for css in (build.outdir / "_static").rglob("*.css"):
        urls = CSS_URL.findall(css.read_text(encoding="utf-8"))
        assert [url for url in urls if REMOTE.match(url)] == [], css


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"mathjax_path": "https://example.org/mathjax/tex-svg.js"}, "https://example.org/mathjax/tex-svg.js"),
        ({"mathjax_path": "my-mathjax/tex-chtml.js"}, "_static/my-mathjax/tex-chtml.js"),
        ({"talkbase_offline_math": False}, MATHJAX_URL),
    ],
    ids=["author-url", "author-local-copy", "switched-off"],
)
def test_an_author_choice_is_kept(tmp_path: Path, overrides: dict[str, Any], expected: str) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-math", srcdir)
    if "mathjax_path" in overrides and not REMOTE.match(overrides["mathjax_path"]):
        (srcdir / "_static/my-mathjax").mkdir(parents=True)
        (srcdir / "_static/my-mathjax/tex-chtml.js").write_text("/* the author's own */", encoding="utf-8")
        overrides["html_static_path"] = ["_static"]
    build = build_copy(srcdir, confoverrides=overrides)
    assert build.warnings == ""
    assert [src.split("?v=")[0] for src in mathjax_scripts(build.html("index"))] == [expected]
    assert not (build.outdir / "_static" / STATIC_NAME).exists()


def test_latex_gets_math_as_math(built_root: Any) -> None:
    build: BuiltRoot = built_root("math", "latex")
    tex = build.text("math.tex")
    assert r"\(\alpha^2 + \beta^2 = \gamma^2\)" in tex
    assert re.search(r"\\begin\{equation\}.*\\int_0\^1 x\^2 \\, dx = \\frac\{1\}\{3\}", tex, re.S)
    assert not list(build.outdir.rglob(f"*{STATIC_NAME}*"))


def test_epub_gets_no_copy(built_root: Any) -> None:
    """EPUB pages load no script; the copy's files would only be ``epub.unknown_project_files`` warnings."""
    build: BuiltRoot = built_root("math", "epub")
    assert "talkbase-mathjax" not in build.warnings
    assert not list(build.outdir.rglob(f"*{STATIC_NAME}*"))


# -- in Chromium, with no network ------------------------------------------------------------


@pytest.fixture(scope="module")
def math_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The math root built with Sphinx's basic theme and with talkbase's (any theme gets the copy)."""
    harness.require_tools(axe=False)  # Chromium and Playwright; axe-core is not used here
    root = tmp_path_factory.mktemp("math-sites")
    for theme in ("basic", "talkbase"):
        result = harness.build(ROOTS / "test-math", root / theme, "-D", f"html_theme={theme}")
        assert result.returncode == 0, result.stderr
    return {"basic": root / "basic", "talkbase": root / "talkbase"}


@pytest.fixture(scope="module")
def offline_chromium(math_sites: dict[str, Path]) -> Iterator[Any]:
    with harness.browser() as browser:
        yield browser


class OfflineTab:
    """A tab that refuses every request but ``file://`` and 127.0.0.1, and records what it refused."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1000, "height": 800})
        self.page = self.context.new_page()
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.requested: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url}"))

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requested.append(url)
        if url.startswith(("file://", "http://127.0.0.1:")):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def __enter__(self) -> OfflineTab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()


#: Waits for MathJax to typeset the page: "typeset", or why not (never started, startup failed).
TYPESET = """async () => {
    const started = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
    for (let i = 0; i < 100 && !started(); i++) await new Promise(resolve => setTimeout(resolve, 50));
    if (!started()) return 'MathJax never started';
    try { await MathJax.startup.promise; } catch (error) { return 'MathJax failed: ' + error; }
    await document.fonts.ready;
    return 'typeset';
}"""

FORMULAS = """() => Array.from(document.querySelectorAll('.math')).map(math => {
    const box = math.querySelector('mjx-container')?.getBoundingClientRect();
    return {width: box ? box.width : 0, height: box ? box.height : 0,
            errors: math.querySelectorAll('mjx-merror').length};
})"""


@pytest.mark.parametrize("theme", ["basic", "talkbase"])
@pytest.mark.parametrize("via", ["file", "server"])
def test_formulas_render_offline(offline_chromium: Any, math_sites: dict[str, Path], theme: str, via: str) -> None:
    site = math_sites[theme]
    server = harness.serve(site) if via == "server" else nullcontext(site.as_uri() + "/")
    with server as base, OfflineTab(offline_chromium) as tab:
        page = tab.page
        for name in ("index.html", "sub/deep.html"):
            page.goto(base + name)
            state = page.evaluate(TYPESET)
            assert state == "typeset", f"{name}: {state}; refused {tab.refused}; errors {tab.errors}"
            formulas = page.evaluate(FORMULAS)
            assert len(formulas) == (FORMULAS_ON_INDEX if name == "index.html" else 1)
            assert all(f["width"] > 0 and f["height"] > 0 and f["errors"] == 0 for f in formulas), formulas
            text = page.inner_text("body")
            assert not any(tex in text for tex in ("\\int", "\\frac", "\\(", "\\[", "\\cancel")), text
        fonts = page.evaluate("Array.from(document.fonts).filter(f => f.family.startsWith('MJXZERO') "
                              "|| f.family.startsWith('MJXTEX')).map(f => f.status)")
    # MathJax declares all its fonts; those the formulas use are loaded, none failed.
    assert "loaded" in fonts
    assert "error" not in fonts
    assert any(url.split("?")[0].endswith(".woff") for url in tab.requested)
    assert tab.refused == []
    assert tab.errors == []

"""The index pages of the talkbase theme in Chromium (issue 17 §3): root ``test-indices`` built in
French with ``html_theme = "talkbase"``, served once for the module.

axe-core finds no serious or critical violation on each index page in either scheme, the names
are drawn in the text font (not the monospace of code), and the letter navigation brings its
group's heading into view below the sticky header.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import harness

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).parent / "roots" / "test-indices"
SCHEMES = ("light", "dark")
PAGES = ("kb-talkindex.html", "kb-speakerindex.html", "kb-termindex.html", "genindex.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    outdir = tmp_path_factory.mktemp("index-pages") / "html"
    with harness.served_build(ROOT, outdir, "-D", "html_theme=talkbase", "-D", "language=fr") as base:
        yield base


@pytest.fixture(scope="module")
def chromium(site: str) -> Iterator[Any]:
    with harness.browser() as browser:
        yield browser


@pytest.fixture
def open_page(chromium: Any, site: str) -> Iterator[Any]:
    """``open_page(path, scheme)``: a fresh 1280 px tab on a page; console errors fail the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []

    def open_(path: str, scheme: str) -> Any:
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site + path)
        harness.set_scheme(page, scheme)
        assert page.locator("html").get_attribute("data-scheme") == scheme
        return page

    yield open_
    context.close()
    assert errors == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES)
def test_axe(open_page: Any, path: str, scheme: str) -> None:
    page = open_page(path, scheme)
    violations = [v for v in harness.run_axe(page) if v["impact"] in {"serious", "critical"}]
    assert violations == [], violations


FONTS_JS = """() => {
  const font = (element) => getComputedStyle(element).fontFamily;
  return {
    body: font(document.body),
    code: font(document.querySelector('code') || document.body.appendChild(document.createElement('code'))),
    names: [...document.querySelectorAll('.tb-index-name')].map(font),
  };
}"""


@pytest.mark.parametrize("path", PAGES[:3])
def test_names_are_not_monospace(open_page: Any, path: str) -> None:
    fonts = open_page(path, "light").evaluate(FONTS_JS)
    assert len(fonts["names"]) >= 5
    assert "monospace" in fonts["code"]
    assert fonts["body"] != fonts["code"]
    assert set(fonts["names"]) == {fonts["body"]}


def test_letter_navigation(open_page: Any) -> None:
    page = open_page("kb-speakerindex.html", "dark")
    # Low enough that the last letter's heading is out of view until the navigation is used;
    # no smooth scrolling, so where the heading lands is read once the link is followed.
    page.set_viewport_size({"width": 1280, "height": 300})
    page.emulate_media(reduced_motion="reduce")
    where = "() => [document.getElementById('cap-E').getBoundingClientRect().top, innerHeight]"
    top, height = page.evaluate(where)
    assert top > height
    page.locator("nav.tb-index-nav a", has_text="E").click()
    page.wait_for_function("location.hash === '#cap-E'")
    top, height = page.evaluate(where)
    header = page.evaluate("document.querySelector('.tb-header').getBoundingClientRect().bottom")
    # In view, and not hidden under the sticky header.
    assert header <= top < height - 30

"""The search page in Debian's Chromium (Playwright): Pagefind on a served build, with
each filter of the knowledge base, the keyboard, axe in both schemes, and the
fallback to Sphinx's index when the site is opened from ``file://``.

One build of tests/roots/test-search per module, served on 127.0.0.1 by the
harness; a missing tool fails the tests with the command to run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import harness

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).parent / "roots" / "test-search"
#: Every page with "lighthouse": the guide page has no knowledge-base object.
LIGHTHOUSE = {"Opening keynote", "Data ethics", "Zebra patterns", "Reading guide"}
#: (filter, value) -> the pages of LIGHTHOUSE left, and the count the facet shows for the query.
FACETS = {
    ("type", "Talk"): {"Opening keynote", "Data ethics", "Zebra patterns"},
    ("event", "Forum, autumn edition"): {"Zebra patterns"},
    ("speaker", "Alice Martin"): {"Opening keynote", "Zebra patterns"},
    ("tag", "web"): {"Opening keynote", "Zebra patterns"},
    ("language", "French"): {"Data ethics"},
    ("year", "2020"): {"Opening keynote", "Data ethics"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    outdir = tmp_path_factory.mktemp("search-site") / "html"
    with harness.served_build(ROOT, outdir) as base:
        yield base, outdir


@pytest.fixture(scope="module")
def chromium(site: tuple[str, Path]) -> Iterator[Any]:
    with harness.browser() as browser:
        yield browser


class Tab:
    """A page that records console errors, page errors, failed requests and every URL fetched."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url}"))
        self.page.on("request", lambda request: self.requests.append(request.url))

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()

    def titles(self) -> set[str]:
        return set(self.page.locator(".tb-search-link").all_inner_texts())

    def wait_for_titles(self, expected: set[str]) -> None:
        """Wait until the result list shows exactly ``expected`` (searches are asynchronous)."""
        self.page.wait_for_function(
            """expected => {
                const titles = [...document.querySelectorAll('.tb-search-link')].map(a => a.textContent);
                return titles.length === expected.length && expected.every(t => titles.includes(t));
            }""",
            arg=sorted(expected),
            timeout=10000,
        )
        assert self.titles() == expected


def search_url(base: str, **params: str) -> str:
    return f"{base}search.html?{urlencode(params)}"


def test_query_shows_badges_and_snippets(chromium: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    with Tab(chromium) as tab:
        tab.page.goto(search_url(base, q="lighthouse"))
        tab.wait_for_titles(LIGHTHOUSE)
        assert tab.page.inner_text("#tb-search-status") == "4 results"
        results = tab.page.locator(".tb-search-result")
        badges = {}
        for index in range(results.count()):
            result = results.nth(index)
            title = result.locator(".tb-search-link").inner_text()
            badge = result.locator(".tb-search-badge")
            badges[title] = badge.inner_text() if badge.count() else None
            assert "lighthouse" in [m.lower() for m in result.locator(".tb-search-excerpt mark").all_inner_texts()]
        assert badges == {
            "Opening keynote": "TALK",  # text-transform: uppercase; the text is the type label
            "Data ethics": "TALK",
            "Zebra patterns": "TALK",
            "Reading guide": None,
        }
        assert tab.page.locator(".tb-search-badge").first.text_content() == "Talk"
        # Links lead to the pages, under the site's own path.
        href = tab.page.locator(".tb-search-link", has_text="Data ethics").get_attribute("href")
        assert href == "/ethics.html"
        # Sphinx's whole index is never downloaded next to Pagefind.
        assert not [url for url in tab.requests if url.endswith("searchindex.js")]
        assert any("/pagefind/" in url for url in tab.requests)
        assert tab.errors == []


def test_snippets_are_text(chromium: Any, site: tuple[str, Path]) -> None:
    """The page's "patience & <care>" reads as written: escaped once, never twice, never markup."""
    base, _ = site
    with Tab(chromium) as tab:
        tab.page.goto(search_url(base, q="patience"))
        tab.wait_for_titles({"Opening keynote"})
        excerpt = tab.page.locator(".tb-search-excerpt")
        assert "patience & <care>" in excerpt.inner_text()
        assert excerpt.locator("care").count() == 0
        assert tab.errors == []


@pytest.mark.parametrize(("facet", "expected"), list(FACETS.items()), ids=[name for name, _ in FACETS])
def test_each_facet_filters(chromium: Any, site: tuple[str, Path], facet: tuple[str, str], expected: set[str]) -> None:
    base, _ = site
    name, value = facet
    with Tab(chromium) as tab:
        tab.page.goto(search_url(base, q="lighthouse"))
        tab.wait_for_titles(LIGHTHOUSE)
        fieldset = tab.page.locator(".tb-facet", has=tab.page.locator(f"input[name='{name}']"))
        option = fieldset.locator(".tb-facet-option", has=tab.page.locator(f"input[value='{value}']"))
        # The count next to the value is the number of results it keeps.
        assert option.locator(".tb-facet-count").inner_text() == str(len(expected))
        option.locator("input").check()
        tab.wait_for_titles(expected)
        assert tab.page.inner_text("#tb-search-status").startswith(str(len(expected)))
        # The choice is in the URL: a reload keeps it.
        tab.page.reload()
        tab.wait_for_titles(expected)
        assert option.locator("input").is_checked()
        tab.page.locator(".tb-facet-clear").click()
        tab.wait_for_titles(LIGHTHOUSE)
        assert tab.errors == []


def test_speaker_page_searches_within_their_talks(chromium: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    with Tab(chromium) as tab:
        tab.page.goto(base + "speakers.html")
        tab.page.locator("[data-kb-id=alice] .kb-search-within a").click()
        tab.page.wait_for_load_state("load")
        tab.wait_for_titles({"Opening keynote", "Zebra patterns"})
        assert tab.page.locator("input[name=speaker][value='Alice Martin']").is_checked()
        assert tab.page.locator("input[name=type][value='Talk']").is_checked()
        assert tab.errors == []


def test_keyboard(chromium: Any, site: tuple[str, Path]) -> None:
    base, _ = site
    with Tab(chromium) as tab:
        page = tab.page
        page.goto(base + "search.html")
        page.wait_for_selector(".tb-facet")
        page.focus("#tb-search-field")
        page.keyboard.type("lighthouse")
        page.keyboard.press("Enter")
        tab.wait_for_titles(LIGHTHOUSE)
        assert page.url.endswith("search.html?q=lighthouse")
        links = page.locator(".tb-search-link")
        active = "document.activeElement"
        page.keyboard.press("ArrowDown")
        assert page.evaluate(f"{active}.textContent") == links.nth(0).inner_text()
        page.keyboard.press("ArrowDown")
        assert page.evaluate(f"{active}.textContent") == links.nth(1).inner_text()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate(f"{active}.id") == "tb-search-field"
        # Tab goes through the results, then to the filters; Space ticks one.
        for _ in range(4):
            page.keyboard.press("Tab")
        assert page.evaluate(f"{active}.className") == "tb-search-link"
        # The filters' heading folds them (on narrow screens); then the types, alphabetical:
        # Event, Speaker, Talk.
        page.keyboard.press("Tab")
        assert page.evaluate(f"{active}.id") == "tb-facets-title"
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.evaluate(f"[{active}.name, {active}.value]") == ["type", "Talk"]
        page.keyboard.press("Space")
        tab.wait_for_titles(FACETS["type", "Talk"])
        # Enter on a result opens it.
        page.locator(".tb-search-link").first.focus()
        target = page.locator(".tb-search-link").first.get_attribute("href")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(target)
        assert tab.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe(chromium: Any, site: tuple[str, Path], scheme: str) -> None:
    base, _ = site
    with Tab(chromium, color_scheme=scheme) as tab:
        page = tab.page
        page.goto(search_url(base, q="lighthouse", type="Talk"))
        tab.wait_for_titles(FACETS["type", "Talk"])
        harness.set_scheme(page, scheme)
        tab.wait_for_titles(FACETS["type", "Talk"])
        assert page.evaluate("document.documentElement.dataset.scheme") == scheme
        violations = [v for v in harness.run_axe(page) if v["impact"] in {"serious", "critical"}]
        assert violations == []
        assert tab.errors == []


def test_file_url_falls_back_to_sphinx_search(chromium: Any, site: tuple[str, Path]) -> None:
    _, outdir = site
    with Tab(chromium) as tab:
        page = tab.page
        page.goto((outdir / "search.html").as_uri() + "?q=lighthouse")
        page.wait_for_selector("#search-results ul.search li", timeout=10000)
        titles = set(page.locator("#search-results ul.search li > a").all_inner_texts())
        assert titles == LIGHTHOUSE
        assert page.get_attribute("#tb-search", "data-mode") == "sphinx"
        assert page.is_visible("#tb-search-offline")
        assert page.input_value("#tb-search-field") == "lighthouse"
        assert not [url for url in tab.requests if "/pagefind/" in url]
        # A new query from the same field: Enter submits the form to the same page.
        page.fill("#tb-search-field", "zebra")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_selector("#search-results ul.search li", timeout=10000)
        titles = set(page.locator("#search-results ul.search li > a").all_inner_texts())
        assert "Zebra patterns" in titles
        assert not titles & {"Opening keynote", "Data ethics", "Reading guide"}
        assert tab.errors == []

"""The talkbase theme in a real browser: Debian's headless Chromium driven by Playwright.

Builds the docs/ showcase and the kitchen-sink root, serves them on 127.0.0.1, and
checks layout, colour schemes, previews, console errors and axe-core.  `make test`
installs Chromium (system-deps) and axe-core (browser-deps); a missing tool fails
the tests with the command to run, it never skips them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
import harness
from tests.pixels import read_png

if TYPE_CHECKING:
    from collections.abc import Iterator

KITCHEN = Path(__file__).parent / "roots" / "test-theme-kitchen"
SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    harness.require_tools()
    root = tmp_path_factory.mktemp("sites")
    urls = {}
    with harness.serve(root) as base:
        for name, srcdir in (("docs", harness.REPO / "docs"), ("kitchen", KITCHEN)):
            result = harness.build(srcdir, root / name, "-D", "html_theme=talkbase")
            assert result.returncode == 0, result.stderr
            urls[name] = f"{base}{name}/"
        yield urls


@pytest.fixture(scope="module")
def chromium(sites: dict[str, str]) -> Iterator[Any]:
    with harness.browser() as browser:
        yield browser


class Page:
    """A browser tab that records console errors, page errors and failed requests."""

    def __init__(self, browser: Any, width: int = 1280, **options: Any) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # A request the page cancels by navigating (set_scheme reloads) is aborted, not failed.
        self.page.on(
            "requestfailed",
            lambda request: request.failure != "net::ERR_ABORTED" and self.errors.append(f"failed: {request.url}"),
        )

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()


def test_layout_desktop(chromium: Any, sites: dict[str, str]) -> None:
    with Page(chromium, 1280) as tab:
        page = tab.page
        page.goto(sites["kitchen"] + "index.html")
        assert page.is_visible(".tb-sidebar")
        assert page.is_visible(".tb-toc")
        assert not page.is_visible(".tb-menu-button")
        sidebar, main, toc = (page.locator(sel).bounding_box() for sel in (".tb-sidebar", ".tb-main", ".tb-toc"))
        assert sidebar["x"] < main["x"] < toc["x"]
        # No horizontal scrolling of the page itself.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert tab.errors == []


@pytest.mark.parametrize("site", ["docs", "kitchen"])
def test_layout_mobile_menu(chromium: Any, sites: dict[str, str], site: str) -> None:
    with Page(chromium, 375) as tab:
        page = tab.page
        page.goto(sites[site] + "index.html")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert not page.is_visible(".tb-sidebar")
        menu = page.locator(".tb-menu-button")
        assert menu.is_visible()
        assert menu.get_attribute("aria-expanded") == "false"
        menu.focus()
        page.keyboard.press("Enter")
        assert menu.get_attribute("aria-expanded") == "true"
        assert page.is_visible(".tb-sidebar")
        assert page.evaluate("document.querySelector('.tb-drawer').contains(document.activeElement)")
        page.keyboard.press("Escape")
        assert not page.is_visible(".tb-sidebar")
        assert page.evaluate("document.activeElement === document.querySelector('.tb-menu-button')")
        # The navigation is reachable: open the menu and follow a link.
        menu.click()
        link = page.locator(".tb-nav a").last
        target = link.get_attribute("href")
        link.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(target.lstrip("./"))
        assert tab.errors == []


def test_scheme_toggle_and_persistence(chromium: Any, sites: dict[str, str]) -> None:
    with Page(chromium, 1280, color_scheme="dark") as tab:
        page = tab.page
        # The scheme is set before the body exists: no flash of the wrong one.
        page.add_init_script(
            """new MutationObserver((records, observer) => {
                if (document.body) {
                    window.__schemeAtBody = document.documentElement.getAttribute('data-scheme');
                    observer.disconnect();
                }
            }).observe(document, {childList: true, subtree: true});"""
        )
        page.goto(sites["docs"] + "showcase/etat-des-lieux.html")
        html = page.locator("html")
        assert html.get_attribute("data-theme") == "auto"
        assert html.get_attribute("data-scheme") == "dark"  # follows prefers-color-scheme
        assert page.evaluate("window.__schemeAtBody") == "dark"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        button = page.locator(".tb-scheme-button")
        button.click()
        assert html.get_attribute("data-theme") == "light"
        assert html.get_attribute("data-scheme") == "light"
        assert button.get_attribute("aria-label") == "Colour scheme: light"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
        page.reload()
        assert html.get_attribute("data-scheme") == "light"
        assert page.evaluate("window.__schemeAtBody") == "light"
        button.focus()
        page.keyboard.press("Enter")
        assert html.get_attribute("data-theme") == "dark"
        page.reload()
        assert html.get_attribute("data-scheme") == "dark"
        assert page.evaluate("window.__schemeAtBody") == "dark"
        # Code colours follow the toggle, not only the system preference.
        code_background = page.evaluate("getComputedStyle(document.querySelector('.highlight')).backgroundColor")
        assert code_background == "rgb(13, 17, 23)"
        button.click()
        assert html.get_attribute("data-theme") == "auto"
        assert tab.errors == []


def preview_parts(page: Any) -> list[str]:
    """The texts of the open preview's parts (type, title, summary), in order."""
    return list(page.locator("#tb-preview > *").all_text_contents())


def test_preview_on_hover_and_focus(chromium: Any, sites: dict[str, str]) -> None:
    with Page(chromium, 1280) as tab:
        page = tab.page
        page.goto(sites["docs"] + "showcase/etat-des-lieux.html")
        link = page.locator(".kb-body a.kb-ref-speaker").first
        preview = page.locator("#tb-preview")
        link.hover()
        preview.wait_for(state="visible")
        # The preview shows the hovered link's object: its type, current title and summary.
        assert preview_parts(page) == [
            "speaker",
            "Auteur du compte rendu (non nommé)",
            "Le compte rendu qui sert de source à cette base de connaissances est écrit à la première personne, "
            "mais son auteur n’y est pas nommé : cette fiche ne lui donne donc pas de nom.",
        ]
        assert link.get_attribute("aria-describedby") == "tb-preview"
        assert link.get_attribute("title") is None  # no second, native tooltip
        page.mouse.move(5, 5)
        preview.wait_for(state="hidden")
        assert link.get_attribute("title")
        # Keyboard: Tab to a term link; Escape closes the preview.
        page.locator("#tb-search-input").focus()
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.tb-article a:has(.std-term)')"):
                break
        else:
            pytest.fail("no term link reached with Tab")
        preview.wait_for(state="visible")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        data = page.evaluate("JSON.parse(document.getElementById('tb-previews').textContent)")[focused]
        assert data["type"] == "term"
        assert preview_parts(page) == [data["type"], data["title"], data["summary"]]
        page.keyboard.press("Escape")
        preview.wait_for(state="hidden")
        assert tab.errors == []


def test_no_preview_on_touch(chromium: Any, sites: dict[str, str]) -> None:
    with Page(chromium, 375, has_touch=True, is_mobile=True) as tab:
        page = tab.page
        page.goto(sites["docs"] + "showcase/etat-des-lieux.html")
        page.evaluate(
            """() => {
                const link = document.querySelector('.kb-body a.kb-ref-speaker');
                link.dispatchEvent(new PointerEvent('pointerdown', {pointerType: 'touch', bubbles: true}));
                link.dispatchEvent(new PointerEvent('pointerover', {pointerType: 'touch', bubbles: true}));
                link.focus();
            }"""
        )
        page.wait_for_timeout(500)
        assert not page.is_visible("#tb-preview")


def test_speaker_avatars(chromium: Any, sites: dict[str, str]) -> None:
    with Page(chromium, 1280) as tab:
        page = tab.page
        page.goto(sites["docs"] + "showcase/etat-des-lieux.html")
        avatars = page.locator(".kb-talk .kb-field-speakers .kb-avatar").all_inner_texts()
        assert avatars == ["AR", "SH"]
        page.goto(sites["docs"] + "showcase/intervenants.html")
        assert page.locator(".kb-speaker .kb-avatar-large").first.inner_text() == "SH"


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_light_and_dark(chromium: Any, sites: dict[str, str], width: int) -> None:
    """The talk page as ``make shots`` takes it: drawn at the viewport's size, light and dark as
    named, and every piece of text the page shows visible on the picture."""
    shots, backgrounds, faint = {}, {}, {}
    with Page(chromium, width) as tab:
        page = tab.page
        page.goto(sites["docs"] + harness.DOCS_PAGES["talk"])
        for scheme in SCHEMES:
            harness.set_scheme(page, scheme)
            shots[scheme] = image = read_png(page.screenshot())
            backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
            boxes = harness.text_boxes(page)
            assert len(boxes) > 30, boxes
            # Text drawn in (nearly) its background's colour has no contrast in its box.
            faint[scheme] = [box["text"] for box in boxes if image.contrast(*box["box"]) < 80]
        assert tab.errors == []
    assert harness.screenshot_problems(shots["light"], shots["dark"], width, 900) == []
    assert faint == {"light": [], "dark": []}
    # The commonest colour of each picture is the background its stylesheet gives the page.
    for scheme, image in shots.items():
        red, green, blue = map(int, re.findall(r"\d+", backgrounds[scheme])[:3])
        assert abs(image.background() - (299 * red + 587 * green + 114 * blue) // 1000) <= 1, (scheme, backgrounds)


PAGES = [("docs", path) for path in harness.DOCS_PAGES.values()] + [("kitchen", "index.html"), ("kitchen", "api.html")]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(("site", "path"), PAGES)
def test_axe_and_console(chromium: Any, sites: dict[str, str], site: str, path: str, scheme: str) -> None:
    with Page(chromium, 1280) as tab:
        page = tab.page
        page.goto(sites[site] + path)
        harness.set_scheme(page, scheme)
        assert page.locator("html").get_attribute("data-scheme") == scheme
        violations = [v for v in harness.run_axe(page) if v["impact"] in {"serious", "critical"}]
        assert violations == [], violations
        assert tab.errors == []

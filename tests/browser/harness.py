"""Shared by the browser tests and ``make shots``: build a project with the talkbase
theme, serve it on 127.0.0.1, and drive Debian's Chromium with Playwright.

Nothing is downloaded: Chromium is ``/usr/bin/chromium`` (Debian package
``chromium``, installed by ``make system-deps``) and axe-core comes from
``tests/browser/node_modules`` (``make browser-deps``).
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

HERE = Path(__file__).parent
REPO = HERE.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The showcase pages every check runs on: (name, path in the built docs).
DOCS_PAGES = {
    "home": "index.html",
    "talk": "showcase/etat-des-lieux.html",
    "speaker": "showcase/intervenants.html",
    "glossary": "showcase/glossaire.html",
    # Cards listing and the relations graph.
    "showcase": "showcase/index.html",
    # A domain index drawn by the theme (domainindex.html).
    "termindex": "kb-termindex.html",
    "search": "search.html?q=talk",
}


def missing_tools() -> list[str]:
    """What the browser tests need and is not installed, with how to install it."""
    missing = []
    if not CHROMIUM.exists():
        missing.append("Chromium (/usr/bin/chromium): run `make system-deps`")
    if not AXE.exists():
        missing.append("axe-core (tests/browser/node_modules): run `make browser-deps`")
    try:
        import playwright.sync_api  # noqa: F401, PLC0415
    except ImportError:
        missing.append("the Python package playwright: run `make` (test extras)")
    return missing


def require_tools(*, axe: bool = True) -> None:
    """Fail the calling test when a tool the browser tests need is missing (never skip it)."""
    import pytest  # noqa: PLC0415 (shots.py imports this module without pytest's runner)

    missing = [tool for tool in missing_tools() if axe or "axe-core" not in tool]
    if missing:
        pytest.fail("browser tests need: " + "; ".join(missing))


def build(srcdir: Path, outdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Build ``srcdir`` to ``outdir`` with ``-W`` in a fresh process (one theme state per build)."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-E", "-b", "html", *extra]
    command += ["-d", str(outdir / ".doctrees"), str(srcdir), str(outdir)]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 (random port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def served_build(srcdir: Path, outdir: Path, *extra: str) -> Iterator[str]:
    """Check the tools, build ``srcdir`` into ``outdir`` (``-W``) and serve it; yields the base URL."""
    require_tools()
    result = build(srcdir, outdir, *extra)
    assert result.returncode == 0, result.stderr
    with serve(outdir) as base:
        yield base


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the loaded page (WCAG 2.1 A/AA and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )
    return list(result)


def screenshot_problems(light: Any, dark: Any, width: int, height: int | None = None) -> list[str]:
    """What is wrong with screenshots of one page in the light and dark schemes (empty when nothing).

    ``light`` and ``dark`` are decoded images (``tests/pixels.py``); ``height`` is the
    viewport's for a viewport shot, ``None`` for a full-page one (at least 900 px).
    Each must have the size asked for, show something (neither blank nor one block),
    and the schemes must be what their names say: a light and a dark background.
    """
    problems = []
    for scheme, image in (("light", light), ("dark", dark)):
        if image.width != width or (image.height != height if height else image.height < 900):
            problems.append(f"{scheme}: {image.width} x {image.height} px, expected {width} x {height or '>= 900'}")
        if not 0.01 < image.ink() < 0.6:
            problems.append(f"{scheme}: {image.ink():.1%} of the pixels differ from the background")
    if not (light.background() > 200 and dark.background() < 60):
        problems.append(f"backgrounds: light {light.background()}, dark {dark.background()} (luma)")
    if light.mean_luma() - dark.mean_luma() < 100:
        problems.append(f"mean luma: light {light.mean_luma():.0f}, dark {dark.mean_luma():.0f}")
    return problems


def text_boxes(page: Any) -> list[dict[str, Any]]:
    """Where the page draws text a reader can see: ``{"text", "box": [left, top, right, bottom]}`` in CSS px.

    One box per line of each text node that is rendered, inside the viewport, and not
    covered or clipped away (the element under the box's centre is the text's own).
    """
    return list(
        page.evaluate(
            """() => {
                const found = [];
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                const range = document.createRange();
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const text = node.textContent.trim();
                    const element = node.parentElement;
                    if (!text || !element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
                    range.selectNodeContents(node);
                    for (const r of range.getClientRects()) {
                        if (r.width < 6 || r.height < 6 || r.top < 0 || r.left < 0) continue;
                        if (r.bottom > innerHeight || r.right > innerWidth) continue;
                        const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
                        if (!hit || !element.contains(hit)) continue;
                        const box = [Math.floor(r.left), Math.floor(r.top), Math.ceil(r.right), Math.ceil(r.bottom)];
                        found.push({text: text.slice(0, 60), box});
                    }
                }
                return found;
            }"""
        )
    )


def set_scheme(page: Any, scheme: str) -> None:
    """Store a colour-scheme choice and reload, as a reader's earlier visit would."""
    page.evaluate("s => localStorage.setItem('talkbase-scheme', s)", scheme)
    page.reload()
    page.wait_for_load_state("load")

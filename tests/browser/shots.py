"""Screenshots of the built docs with the talkbase theme, for a person to look at (`make shots`).

Usage: python tests/browser/shots.py BUILT_HTML OUTDIR [--docs-images DIR]

Writes OUTDIR/<page>-<scheme>-<width>.png for the home, a talk, a speaker, the
glossary, the showcase's home (cards, relations graph), the term index and the search page
(harness.DOCS_PAGES), in both schemes, at 1280 and 375 px; with --docs-images, also the talk
page, the term index and the search page at 1280 px in both schemes as DIR/talk-light.png,
DIR/talk-dark.png, DIR/termindex-light.png, DIR/termindex-dark.png, DIR/search-light.png and
DIR/search-dark.png (the images of docs/theme.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
import harness

import pixels

WIDTHS = (1280, 375)
#: The pages of DOCS_PAGES whose 1280 px viewport shots are images of docs/theme.md.
DOCS_IMAGES = ("talk", "termindex", "search")
SCHEMES = ("light", "dark")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--docs-images", type=Path)
    args = parser.parse_args()
    missing = harness.missing_tools()
    if missing:
        sys.stderr.write("shots need: " + "; ".join(missing) + "\n")
        return 1
    args.outdir.mkdir(parents=True, exist_ok=True)
    with harness.serve(args.html) as base, harness.browser() as browser:
        for width in WIDTHS:
            for scheme in SCHEMES:
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                for name, path in harness.DOCS_PAGES.items():
                    page.goto(base + path)
                    harness.set_scheme(page, scheme)
                    if name == "search":  # results arrive after the page has loaded
                        page.wait_for_selector(".tb-search-result, #search-results li")
                    target = args.outdir / f"{name}-{scheme}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    if args.docs_images and name in DOCS_IMAGES and width == 1280:
                        args.docs_images.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(args.docs_images / f"{name}-{scheme}.png"))
                context.close()
    written = sorted(args.outdir.glob("*.png"))
    sys.stdout.write(f"{len(written)} screenshots in {args.outdir}\n")
    # A blank or unstyled page, or two schemes that look alike, is a failure, not a picture.
    problems = []
    for width in WIDTHS:
        for name in harness.DOCS_PAGES:
            light, dark = (
                pixels.read_png((args.outdir / f"{name}-{scheme}-{width}.png").read_bytes()) for scheme in SCHEMES
            )
            found = harness.screenshot_problems(light, dark, width)
            problems += [f"{name} at {width} px: {problem}" for problem in found]
    sys.stderr.writelines(f"{problem}\n" for problem in problems)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

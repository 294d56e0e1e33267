"""Theme components in Chromium (root ``test-theme-items``, built and served once for the module):
the relations graph in both schemes, a recommendation's "Referenced by", cards listings, the
header search on a phone, admonitions, "On this page" of a talk page, the "Cite this" tabs by
keyboard, the feed link and the colours without JavaScript.
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

ROOT = Path(__file__).parent / "roots" / "test-theme-items"
SCHEMES = ("light", "dark")
PAGES = ("index.html", "talk.html", "people.html", "cards.html", "admonitions.html", "graph.html")

#: WCAG relative luminance and contrast, computed in the page from computed colours.
CONTRAST_JS = """
(pair) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => { const [r, g, b] = rgb(c).map(channel); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = pair.map(lum).sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with harness.served_build(ROOT, tmp_path_factory.mktemp("items") / "html") as base:
        yield base


@pytest.fixture(scope="module")
def chromium(site: str) -> Iterator[Any]:
    with harness.browser() as browser:
        yield browser


@pytest.fixture
def open_page(chromium: Any, site: str) -> Iterator[Any]:
    """``open_page(path, width=1280, scheme=None)``: a fresh tab on a page; console errors fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_(path: str, width: int = 1280, scheme: str | None = None) -> Any:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site + path)
        if scheme:
            harness.set_scheme(page, scheme)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert errors == []


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return dict(found)


# -- relations graph --------------------------------------------------------------------------

GRAPH_JS = """() => {
  const object = document.querySelector('object.kb-graph-drawing');
  const svg = object.contentDocument.documentElement;
  const style = (selector, property) => {
    const element = svg.querySelector(selector);
    return element ? getComputedStyle(element)[property] : null;
  };
  return {
    scheme: svg.getAttribute('data-scheme'),
    colorScheme: getComputedStyle(svg).colorScheme,
    background: getComputedStyle(svg).backgroundColor,
    canvas: style('.graph > polygon', 'fill'),
    talk: style('.kb-node-talk path', 'fill'),
    speaker: style('.kb-node-speaker path', 'fill'),
    text: style('.kb-node-talk text', 'fill'),
    edge: style('.edge path', 'stroke'),
    page: getComputedStyle(document.body).backgroundColor,
  };
}"""
GRAPH_COLOURS = {
    "light": {"talk": "rgb(214, 230, 251)", "text": "rgb(31, 35, 40)"},
    "dark": {"talk": "rgb(28, 46, 72)", "text": "rgb(230, 232, 235)"},
}


@pytest.mark.parametrize("system", SCHEMES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_graph_follows_the_page_scheme(chromium: Any, site: str, scheme: str, system: str) -> None:
    """The reader's choice wins over the system's (the SVG is a document of its own)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme=system)
    try:
        page = context.new_page()
        page.goto(site + "graph.html")
        harness.set_scheme(page, scheme)
        page.wait_for_function(
            "() => document.querySelector('object.kb-graph-drawing').contentDocument"
            "?.documentElement.getAttribute('data-scheme') === " + repr(scheme)
        )
        colours = page.evaluate(GRAPH_JS)
        # Transparent, and the embedded document's colour scheme is the page's: Chromium paints an
        # opaque (white) backdrop behind an embedded document whose colour scheme differs.
        assert colours["colorScheme"] == scheme
        assert colours["background"] == "rgba(0, 0, 0, 0)"
        # No painted canvas: graphviz draws none for bgcolor="transparent" (or it is unfilled).
        assert colours["canvas"] in {None, "transparent", "rgba(0, 0, 0, 0)", "none"}
        assert colours["talk"] == GRAPH_COLOURS[scheme]["talk"]
        assert colours["text"] == GRAPH_COLOURS[scheme]["text"]
        assert colours["speaker"] != colours["talk"]  # each type has its colour
        assert page.evaluate(CONTRAST_JS, [colours["text"], colours["talk"]]) >= 7
        # Edges stand out from the page around them (non-text contrast, WCAG 1.4.11).
        assert page.evaluate(CONTRAST_JS, [colours["edge"], colours["page"]]) >= 3
        # The toggle reaches the graph without a reload.
        page.locator(".tb-scheme-button").click()
        page.wait_for_function(
            "() => document.querySelector('object.kb-graph-drawing').contentDocument.documentElement"
            ".getAttribute('data-scheme') === document.documentElement.getAttribute('data-scheme')"
        )
    finally:
        context.close()


def test_graph_has_a_text_alternative(open_page: Any) -> None:
    page = open_page("graph.html")
    graph = page.locator("object.kb-graph-drawing")
    assert graph.get_attribute("aria-label") == "Relations graph: Social media: where we stand"
    violations = [v for v in harness.run_axe(page) if v["id"] == "object-alt"]
    assert violations == []


# -- a recommendation's "Referenced by" ----------------------------------------------------------


def test_recommendation_backlinks_stay_in_its_box(open_page: Any) -> None:
    page = open_page("talk.html")
    rec = box(page, "#rec-listen .kb-recommendation-box")
    backlinks = box(page, "#rec-listen .kb-backlinks")
    assert rec["y"] < backlinks["y"] and backlinks["y"] + backlinks["height"] <= rec["y"] + rec["height"]
    assert rec["x"] <= backlinks["x"] and backlinks["x"] + backlinks["width"] <= rec["x"] + rec["width"]
    assert page.locator("#rec-listen .kb-backlinks a").inner_text() == "People and events"
    # The talk's last paragraph follows the whole box.
    last = page.locator("#talk-where > .kb-body > p").last
    assert last.inner_text().startswith("The last paragraph")
    assert box(page, "#talk-where > .kb-body > p:last-child")["y"] >= rec["y"] + rec["height"]


# -- cards listings ------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "columns"), [(1280, 2), (375, 1)])
def test_cards_fill_the_column(open_page: Any, width: int, columns: int) -> None:
    page = open_page("cards.html", width=width)
    article = page.evaluate(
        """() => { const a = document.querySelector('.tb-article'); const r = a.getBoundingClientRect();
                   const s = getComputedStyle(a);
                   return {left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight)}; }"""
    )
    cards = [box(page, f".kb-cards > .sd-col:nth-child({n}) .sd-card") for n in (1, 2)]
    assert abs(cards[0]["x"] - article["left"]) <= 1
    last = cards[-1]
    assert abs(last["x"] + last["width"] - article["right"]) <= 1
    if columns == 2:
        assert cards[0]["y"] == cards[1]["y"]
        assert abs(cards[0]["width"] - cards[1]["width"]) <= 1
        assert cards[0]["width"] > (article["right"] - article["left"]) / 2 - 20
    else:
        assert cards[1]["y"] > cards[0]["y"]
        assert abs(cards[0]["width"] - (article["right"] - article["left"])) <= 1


# -- header search ------------------------------------------------------------------------------


def test_header_search_on_a_phone(open_page: Any) -> None:
    page = open_page("index.html", width=375)
    button = page.locator(".tb-search-button")
    field = page.locator("#tb-search-input")
    assert button.is_visible()
    assert not field.is_visible()
    assert button.get_attribute("aria-label") == "Search"
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert field.is_visible()
    assert page.evaluate("document.activeElement.id") == "tb-search-input"
    assert box(page, "#tb-search-input")["width"] >= 375 - 2 * 16
    page.keyboard.press("Escape")
    assert not field.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('tb-search-button')")
    # Typing and Enter search, as with the desktop field.
    button.click()
    page.keyboard.type("trends")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=trends*")


def test_header_search_on_a_desktop(open_page: Any) -> None:
    page = open_page("index.html", width=1280)
    assert not page.locator(".tb-search-button").is_visible()
    assert page.locator("#tb-search-input").is_visible()
    assert box(page, "#tb-search-input")["width"] >= 200


# -- admonitions -------------------------------------------------------------------------------

KINDS = {
    "note": "note", "seealso": "note", "tip": "tip", "hint": "tip", "important": "important",
    "warning": "warning", "caution": "warning", "attention": "warning", "danger": "danger", "error": "danger",
}  # fmt: skip

ADMONITION_JS = """(kind) => {
  const box = document.querySelector('div.admonition.' + kind);
  const title = box.querySelector(':scope > p.admonition-title');
  const icon = getComputedStyle(title, '::before');
  return {
    border: getComputedStyle(box).borderLeftColor,
    background: getComputedStyle(title).backgroundColor,
    boxBackground: getComputedStyle(box).backgroundColor,
    color: getComputedStyle(title).color,
    icon: icon.maskImage || icon.webkitMaskImage,
    iconColour: icon.backgroundColor,
    iconWidth: parseFloat(icon.width),
    iconContent: icon.content,
  };
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_admonitions_are_recognisable(open_page: Any, scheme: str) -> None:
    page = open_page("admonitions.html", scheme=scheme)
    styles = {kind: page.evaluate(ADMONITION_JS, kind) for kind in KINDS}
    for kind, style in styles.items():
        assert style["icon"].startswith('url("data:image/svg+xml'), kind
        assert style["iconContent"] == '""', kind  # the icon is drawn (generated content)
        assert style["iconWidth"] > 10, kind
        assert style["iconColour"] == style["border"], kind  # icon and border in the kind's colour
        assert style["background"] != style["boxBackground"], kind  # a tinted title
        assert page.evaluate(CONTRAST_JS, [style["color"], style["background"]]) >= 4.5, kind
        assert page.evaluate(CONTRAST_JS, [style["iconColour"], style["background"]]) >= 3, kind
    # Kinds Sphinx groups look alike; the five groups look different from each other.
    groups: dict[str, set[tuple[str, str]]] = {}
    for kind, group in KINDS.items():
        groups.setdefault(group, set()).add((styles[kind]["border"], styles[kind]["background"]))
    assert all(len(looks) == 1 for looks in groups.values())
    assert len({next(iter(looks)) for looks in groups.values()}) == len(groups)
    # One icon per group, and "see also" has its own (an arrow) in the note's colours.
    assert len({styles[kind]["icon"] for kind in ("note", "seealso", "tip", "important", "warning", "danger")}) == 6
    for same in (("tip", "hint"), ("warning", "caution", "attention"), ("danger", "error")):
        assert len({styles[kind]["icon"] for kind in same}) == 1, same
    violations = [v for v in harness.run_axe(page) if v["impact"] in {"serious", "critical"}]
    assert violations == [], violations


# -- "On this page" of a talk page ---------------------------------------------------------------


def test_talk_sections_on_this_page(open_page: Any) -> None:
    page = open_page("talk.html")
    toc = page.locator(".tb-toc")
    assert toc.is_visible()
    links = toc.locator("a")
    assert links.all_inner_texts() == [
        "The talk", "Social media: where we stand", "1. The trends", "2. A change in society",
    ]  # fmt: skip
    toc.get_by_text("2. A change in society").click()
    page.wait_for_url("**/talk.html#talk-where-2-a-change-in-society")
    rubric = page.locator("#talk-where-2-a-change-in-society")
    assert rubric.inner_text() == "2. A change in society"
    assert rubric.is_visible()
    header = box(page, ".tb-header")
    assert box(page, "#talk-where-2-a-change-in-society")["y"] >= header["y"] + header["height"]


# -- "Cite this": the reference and one format at a time ----------------------------------------


def test_cite_this_tabs_by_keyboard(open_page: Any) -> None:
    page = open_page("talk.html")
    block = page.locator("#talk-where .kb-cite")
    reference = block.locator(".kb-cite-reference")
    bibtex = block.locator(".kb-cite-bibtex pre")
    assert reference.is_visible() and not bibtex.is_visible()
    assert block.locator(".kb-cite-format").count() == 3
    # The tabs are one radio group: focus it, then the arrow keys change the tab shown.
    block.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowRight")
    assert bibtex.is_visible() and not reference.is_visible()
    assert bibtex.inner_text().startswith("@unpublished{where,")
    label = block.locator("label.sd-tab-label", has_text="BibTeX")
    focused = page.evaluate("() => document.activeElement.id")
    assert label.get_attribute("for") == focused
    assert label.evaluate("(l) => getComputedStyle(l).outlineStyle") != "none"  # the focus is visible
    # Tab reaches the shown format's copy button, then its download link.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Copy BibTeX"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "_kb/talks.bib"
    block.locator("input[type=radio]").nth(1).focus()
    page.keyboard.press("ArrowRight")
    assert block.locator(".kb-cite-ris pre").is_visible() and not bibtex.is_visible()


# -- feed discovery and axe on every page ----------------------------------------------------------------


def test_feed_discovery_link(open_page: Any, site: str) -> None:
    page = open_page("talk.html")
    link = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert link.count() == 1
    assert link.get_attribute("title") == "Theme items: New talks"
    response = page.request.get(page.evaluate("document.querySelector('link[rel=alternate]').href"))
    assert response.status == 200
    assert b"<feed" in response.body()
    assert page.locator(".tb-kb a.tb-feed").inner_text() == "Feed of new talks"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES)
def test_axe(open_page: Any, path: str, scheme: str) -> None:
    page = open_page(path, scheme=scheme)
    violations = [v for v in harness.run_axe(page) if v["impact"] in {"serious", "critical"}]
    assert violations == [], violations


# -- without JavaScript -----------------------------------------------------------------------------

#: The colours of every element of the article that a stylesheet paints, by position in the article.
PAINTED_JS = """() => [...document.querySelectorAll('main *')].map((element) => {
  const style = getComputedStyle(element);
  return [element.tagName, element.className, style.color, style.backgroundColor, style.borderTopColor,
          style.boxShadow].join(' | ');
})"""


def painted(chromium: Any, url: str, scheme: str, script: bool) -> list[str]:
    """The article's colours with the system in ``scheme``, with or without the theme's script."""
    context = chromium.new_context(java_script_enabled=script, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url)
        assert page.locator("html").get_attribute("data-scheme") == (scheme if script else None)
        return list(page.evaluate(PAINTED_JS))
    finally:
        context.close()


@pytest.mark.parametrize("path", ["cards.html", "admonitions.html"])
@pytest.mark.parametrize("system", SCHEMES)
def test_system_scheme_without_javascript(chromium: Any, site: str, path: str, system: str) -> None:
    """Without JavaScript the system preference paints every element as the script's scheme does
    (the page, sphinx-design's cards and badges, the admonitions)."""
    without = painted(chromium, site + path, system, script=False)
    assert any(" sd-card " in f" {line.split(' | ')[1]} " for line in without) or path != "cards.html"
    assert without == painted(chromium, site + path, system, script=True)

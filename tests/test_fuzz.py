"""Fuzzing (issue 8): random option values and bodies for every directive, in
MyST and reStructuredText.

For each example a small project is written and built (HTML; LaTeX and text for
some): no exception may escape (every problem is a warning), the HTML parses,
the pages load no script but the theme's own, and the exports parse.  By default
10 derandomized examples per format (the same ones on every run, so ``make test``
stays fast and deterministic); ``TALKBASE_FUZZ_EXAMPLES=500 make test`` runs a
longer campaign with fresh random examples.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string
from tests.conftest import csl_schema

from catalogue_support import BuiltRoot, build_root

#: A campaign's size; unset (``make test``, CI), the same 10 examples run every time.
CAMPAIGN = os.environ.get("TALKBASE_FUZZ_EXAMPLES", "")
settings.register_profile(
    "talkbase-fuzz",
    max_examples=int(CAMPAIGN or "10"),
    # Derandomized, the examples are a function of the test alone, so a red CI run is
    # red again on every machine; a campaign explores new random examples each time.
    derandomize=not CAMPAIGN,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
FUZZ = settings.get_profile("talkbase-fuzz")

CONF = 'extensions = ["myst_parser", "talkbase"]\nhtml_theme = "basic"\nproject = "fuzz"\n'

#: Directive -> its options (the listing directives share theirs).
LISTING_OPTIONS = ("event", "speaker", "talk", "tag", "lang", "sort", "limit", "style")
DIRECTIVES: dict[str, tuple[str, ...]] = {
    "event": ("id", "date", "end", "place", "url", "hashtag", "series"),
    "speaker": ("id", "affiliation", "url", "orcid", "photo"),
    "talk": ("id", "speakers", "event", "date", "language", "slides", "video", "tags"),
    "recommendation": ("id", "talk", "tags"),
    "term": ("id", "lang", "translations", "aliases", "see"),
    **dict.fromkeys(("talk-list", "speaker-list", "event-list", "recommendation-list", "term-list"), LISTING_OPTIONS),
}
OBJECTS = ("event", "speaker", "talk", "recommendation", "term")

MARKUP = [
    "*", "**", "`", "``", "_", "|", "[", "]", "(", ")", "{", "}", "<", ">", "&", '"', "'", "\\", ":", ",",
    "#", "$", "%", "^", "~", "@", "-", "---", ":::", "```", ".. ", "::", "{talk}`x`", ":talk:`x`", "<script>",
    "</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "data:text/html,x", "\\input{/etc/passwd}",
    "https://example.org/", "2011-09-05", "2011-02-30", "fr", "en: x", "\x00", "\x1b", "\u2028", "\ufeff",
    "e\u0301", "🎤", "名前", "\u202e",
]

text = st.one_of(
    st.just(""),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(MARKUP), max_size=8).map(" ".join),
    st.lists(st.sampled_from(MARKUP), max_size=8).map("".join),
    st.builds(
        lambda piece, count: piece * count,
        st.sampled_from(["x", "é ", "word ", "<>", "{", ","]),
        st.integers(500, 3000),
    ),
)


@st.composite
def directive(draw: Any, name: str) -> tuple[str, str, dict[str, str], str]:
    options = {
        option: draw(text).replace("\n", " ").replace("\r", " ")
        for option in draw(st.lists(st.sampled_from(DIRECTIVES[name]), max_size=4, unique=True))
    }
    title = draw(text).replace("\n", " ").replace("\r", " ") if name in OBJECTS else ""
    body = draw(text) if name in OBJECTS else ""
    return name, title, options, body


def markdown(text: str) -> str:
    """``text`` as Markdown that holds no raw HTML (``<`` escaped)."""
    return text.replace("<", "\\<")


def myst_option(value: str) -> str:
    """An option value as MyST reads it: what follows a line break is body Markdown.

    MyST splits the directive's content with :meth:`str.splitlines`, which also breaks
    at ``\\x0b \\x0c \\x1c-\\x1e \\x85 \\u2028 \\u2029``: such a character ends the
    option block, and the rest of the value becomes the first line of the body,
    Markdown in which ``<script>`` is the author's own raw HTML (a MyST feature), not
    text talkbase handled.  The oracle ("no script but the theme's own") only holds for
    text that reaches talkbase, so that rest is escaped like any body; the part
    before the break, a real option value, keeps its ``<``.  (In reStructuredText the
    rest ends the directive and is a paragraph, where ``<`` is plain text.)
    """
    value = re.sub("`{3,}", "``", value)
    first, *rest = value.splitlines(keepends=True) or [""]
    return first + markdown("".join(rest))


def myst(name: str, title: str, options: dict[str, str], body: str) -> str:
    """The directive in a four-backtick fence.

    Raw HTML in Markdown is a MyST feature an author opts into, so the text must stay
    inside the directive: no backtick in the opening line (it would not be a fence), no
    run of four that would close it, and ``<`` escaped in the body (a paragraph there
    is Markdown).  Titles and options, which talkbase handles, keep their ``<``.
    """
    opening = f"````{{{name}}} " + title.replace("`", "'")
    lines = [opening.rstrip()]
    lines += [f":{option}: {myst_option(value)}".rstrip() for option, value in options.items()]
    if body:
        lines += ["", markdown(re.sub("`{4,}", "```", body))]
    return "\n".join([*lines, "````", ""])


def rst(name: str, title: str, options: dict[str, str], body: str) -> str:
    lines = [f".. {name}:: {title}".rstrip()]
    lines += [f"   :{option}: {value}".rstrip() for option, value in options.items()]
    if body:
        lines += ["", *(f"   {line}" for line in body.splitlines())]
    return "\n".join([*lines, ""])


def write_project(root: Path, blocks: list[tuple[str, str, dict[str, str], str]], fmt: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    render = myst if fmt == "md" else rst
    heading = "Fuzz\n====\n\n" if fmt == "rst" else "# Fuzz\n\n"
    page = heading + "\n".join(render(*block) for block in blocks)
    index = "Index\n=====\n\n.. toctree::\n\n   page\n" if fmt == "rst" else "# Index\n\n```{toctree}\npage\n```\n"
    (root / f"index.{fmt}").write_text(index, encoding="utf-8")
    (root / f"page.{fmt}").write_text(page, encoding="utf-8", errors="surrogatepass")


class _StrictParser(HTMLParser):
    def error(self, message: str) -> None:  # pragma: no cover (Python < 3.10 API)
        raise AssertionError(message)


def scripts(soup: BeautifulSoup) -> set[str]:
    """The page's scripts: files by name, JSON-LD as a kind, inline code by its text."""
    found = set()
    for script in soup.find_all("script"):
        if script.get("src"):
            found.add(str(script["src"]).split("?")[0].lstrip("./"))
        elif script.get("type") == "application/ld+json":
            json.loads(script.get_text())
            found.add("json-ld")
        else:
            found.add(script.get_text())
    return found


_clean: dict[str, set[str]] = {}


def clean_scripts() -> set[str]:
    """The scripts of a page of a build with ordinary content (built once)."""
    if not _clean:
        with tempfile.TemporaryDirectory() as tmp:
            blocks = [("speaker", "Ada", {"id": "ada"}, "Body."), ("talk", "Talk", {"speakers": "ada"}, "Body.")]
            write_project(Path(tmp) / "src", blocks, "md")
            build = build_root("unused", Path(tmp))
            _clean["all"] = {"json-ld"}.union(
                *(scripts(BeautifulSoup(path.read_text("utf-8"), "lxml")) for path in build.outdir.rglob("*.html"))
            )
    return _clean["all"]


def check_html(build: BuiltRoot) -> None:
    allowed = clean_scripts()
    for path in sorted(build.outdir.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        _StrictParser().feed(raw)
        soup = BeautifulSoup(raw, "lxml")
        assert soup.select_one("div.body") is not None, ("no body", path)
        assert scripts(soup) <= allowed, (path, scripts(soup) - allowed)
        handlers = [tag for tag in soup.find_all(True) if any(a.lower().startswith("on") for a in tag.attrs)]
        assert not handlers, (path, handlers)


def check_exports(build: BuiltRoot) -> None:
    json.loads(build.text("_kb/kb.json"))
    parse_string(build.text("_kb/talks.bib"), "bibtex")
    jsonschema.validate(json.loads(build.text("_kb/talks.csl.json")), csl_schema())


def check_warnings(build: BuiltRoot) -> None:
    assert "Traceback" not in build.warnings
    assert "Exception occurred" not in build.warnings


@pytest.mark.parametrize("fmt", ["md", "rst"])
@FUZZ
@given(data=st.data())
def test_random_directives_never_crash(fmt: str, data: st.DataObject) -> None:
    names = data.draw(st.lists(st.sampled_from(sorted(DIRECTIVES)), min_size=1, max_size=8), label="directives")
    blocks = [data.draw(directive(name), label=name) for name in names]
    other_builders = data.draw(st.booleans(), label="latex and text too")
    with tempfile.TemporaryDirectory() as tmp:
        write_project(Path(tmp) / "src", blocks, fmt)
        build = build_root("unused", Path(tmp), warningiserror=False)
        check_warnings(build)
        check_html(build)
        check_exports(build)
        if other_builders:
            for buildername in ("latex", "text"):
                other = build_root("unused", Path(tmp), buildername, warningiserror=False)
                check_warnings(other)


@pytest.mark.parametrize("separator", ["\x0c", "\x1c", "\x85", "\u2028"])
def test_text_after_a_line_separator_in_a_myst_option_is_body(separator: str) -> None:
    """The oracle's premise (see :func:`myst_option`): MyST ends the option at the separator
    and reads the rest as body, so the rest is the author's Markdown, escaped like a body."""
    blocks = [("event", "E", {"place": f"Lyon{separator}<script>alert(1)</script>"}, "")]
    with tempfile.TemporaryDirectory() as tmp:
        write_project(Path(tmp) / "src", blocks, "md")
        build = build_root("unused", Path(tmp), warningiserror=False)
        check_warnings(build)
        check_html(build)
        event = build.html("page").select_one("div.kb-event")
        assert event is not None
        assert event.select_one("dd.kb-field-place").get_text(strip=True) == "Lyon"
        assert [p.get_text() for p in event.select("div.kb-body > p")] == ["<script>alert(1)</script>"]

"""Every bad input gives its ``[talkbase.<subtype>]`` warning with file and line,
and the rest of the page and of the project still renders."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.conftest import assert_warning

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import BuiltRoot






def warning_count(build: BuiltRoot) -> int:
    return len([line for line in build.warnings.splitlines() if "WARNING" in line])


# -- unknown ids and wrong types ---------------------------------------------------------


@pytest.fixture
def bad_refs(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("core-bad-refs")


@pytest.mark.parametrize(
    ("line", "subtype", "words"),
    [
        (3, "unknown-ref", (":speakers:", "'ghost-speaker'")),
        (3, "unknown-ref", (":event:", "'ghost-event'")),
        (9, "unknown-ref", (":talk:", "'ghost-talk'")),
        (14, "unknown-ref", (":see:", "'ghost-term'")),
        (18, "unknown-ref", ("{talk}", "'no-such-talk'")),
        (20, "wrong-type", ("{speaker}", "'good-event'", "an event", "not a speaker")),
        (24, "wrong-type", (":event:", "'good-speaker'", "a speaker", "not an event")),
        (30, "unknown-term", ("'no such term'",)),
    ],
)
def test_bad_reference_warns(
    bad_refs: BuiltRoot, line: int, subtype: str, words: tuple[str, ...]
) -> None:
    assert_warning(bad_refs, "page.md", line, subtype, *words)


def test_bad_references_are_the_only_warnings(bad_refs: BuiltRoot) -> None:
    assert warning_count(bad_refs) == 8
    assert "objects.md" not in bad_refs.warnings


def test_bad_references_make_no_link(bad_refs: BuiltRoot) -> None:
    page = bad_refs.html("page")
    talk = page.select_one("#talk-ghostly")
    assert talk is not None
    # The known speaker is linked, the unknown one is shown as text.
    speakers = talk.select_one("dd.kb-field-speakers")
    assert speakers is not None
    assert [a["href"] for a in speakers.select("a")] == ["objects.html#speaker-good-speaker"]
    assert "ghost-speaker" in speakers.get_text()
    event = talk.select_one("dd.kb-field-event")
    assert event is not None
    assert event.select("a") == []
    assert "ghost-event" in event.get_text()
    rec = page.select_one("#rec-ghost-advice")
    assert rec is not None
    assert rec.select("dd.kb-field-talk a") == []
    see = page.select("#term-haunted-term dd.kb-field-see a")
    assert [a["href"] for a in see] == ["objects.html#term-good-term"]
    wrong = page.select_one("#talk-wrong-event dd.kb-field-event")
    assert wrong is not None
    assert wrong.select("a") == []
    hrefs = [a["href"] for a in page.select("div.body a.kb-ref")]
    unknown = ["no-such-talk", "ghost-speaker", "ghost-event", "ghost-talk", "ghost-term"]
    assert not [href for href in hrefs if href.endswith(tuple(unknown))]


def test_rest_of_page_and_project_still_render(bad_refs: BuiltRoot) -> None:
    page = bad_refs.html("page")
    for anchor in ["talk-ghostly", "rec-ghost-advice", "term-haunted-term", "talk-wrong-event"]:
        assert page.select_one(f"div.kb-object#{anchor}") is not None
    hrefs = {a["href"] for a in page.select("div.body > section > p a.kb-ref")}
    assert {"#talk-ghostly", "objects.html#event-good-event"} <= hrefs
    objects = bad_refs.html("objects")
    for anchor in ["event-good-event", "speaker-good-speaker", "term-good-term"]:
        assert objects.select_one(f"div.kb-object#{anchor}") is not None


# -- duplicates --------------------------------------------------------------------------


@pytest.fixture
def duplicate(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("core-bad-duplicate")


def test_duplicate_id_names_both_places(duplicate: BuiltRoot) -> None:
    text = assert_warning(duplicate, "second.md", 5, "duplicate-id", "speaker", "'dupont'")
    # The first definition is named too: its document and line.
    assert "already defined in first, line 3;" in text
    # An event with the same id is another object: no warning about it.
    assert warning_count(duplicate) == 1


def test_duplicate_id_links_go_to_first_definition(duplicate: BuiltRoot) -> None:
    hrefs = [a["href"] for a in duplicate.html("links").select("div.body > section > p a.kb-ref")]
    assert hrefs == [
        "first.html#speaker-dupont",
        "first.html#event-dupont",
        "second.html#speaker-unique",
    ]
    texts = [a.get_text() for a in duplicate.html("links").select("div.body > section > p a.kb-ref")]
    assert texts == ["First Dupont", "Same id, other type", "Unique speaker"]
    second = duplicate.html("second")
    titles = [t.get_text() for t in second.select("div.kb-object .kb-title-text")]
    assert titles == ["Second Dupont", "Unique speaker"]  # the loser is still shown


# -- options -----------------------------------------------------------------------------


@pytest.fixture
def options(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("core-bad-options")


@pytest.mark.parametrize(
    ("filename", "line", "subtype", "words"),
    [
        ("missing.md", 3, "missing-option", ("event", "'Undated event'", ":date:")),
        ("missing.md", 7, "missing-option", ("talk", "'Speakerless talk'", ":speakers:")),
        ("dates.md", 3, "bad-date", (":date:", "'5 septembre 2011'")),
        ("dates.md", 8, "bad-date", (":date:", "'2011-02-30'")),
        ("dates.md", 13, "bad-date", (":date:", "'2011-13-01'")),
        ("urls.md", 3, "bad-url", (":url:", "'javascript:alert(1)'", "no link")),
        ("urls.md", 9, "bad-url", (":slides:", "'data:text/html;base64,PHNjcmlwdD4='")),
        ("urls.md", 9, "bad-url", (":video:", "'JaVaScRiPt:alert(1)'")),
        ("urls.md", 16, "bad-url", (":url:", "javascript:alert(1)")),  # padded with spaces
        ("languages.md", 3, "bad-language", (":translations:", "'xx-nope'")),
        ("languages.md", 9, "bad-language", (":language:", "'tlh-zz-bad'")),
        ("ids.md", 3, "empty-id", (":id:", "'---'")),
        ("ids.md", 7, "empty-id", ("'!!!'",)),
    ],
)
def test_bad_option_warns(
    options: BuiltRoot, filename: str, line: int, subtype: str, words: tuple[str, ...]
) -> None:
    assert_warning(options, filename, line, subtype, *words)


def test_bad_options_are_the_only_warnings(options: BuiltRoot) -> None:
    assert warning_count(options) == 13


def test_missing_options_still_render_and_link(options: BuiltRoot) -> None:
    page = options.html("missing")
    event = page.select_one("div.kb-object#event-undated")
    assert event is not None
    assert event.select_one("dd.kb-field-date") is None
    talk = page.select_one("div.kb-object#talk-speakerless")
    assert talk is not None
    assert talk.select_one("dd.kb-field-speakers") is None
    assert [a["href"] for a in talk.select("dd.kb-field-event a")] == ["#event-undated"]
    hrefs = [a["href"] for a in page.select("div.body > section > p a.kb-ref")]
    assert hrefs == ["#event-undated", "#talk-speakerless"]


def test_bad_dates_are_not_shown(options: BuiltRoot) -> None:
    page = options.html("dates")
    for anchor in ["event-garbled", "event-impossible", "talk-bad-day"]:
        node = page.select_one(f"div.kb-object#{anchor}")
        assert node is not None
        assert node.select_one("dd.kb-field-date") is None
    assert "2011-02-30" not in page.get_text()


def test_bad_urls_make_no_link(options: BuiltRoot) -> None:
    page = options.html("urls")
    hrefs = [str(a.get("href", "")) for a in page.select("a")]
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    assert page.select("#event-scripted dd.kb-field-url") == []
    assert page.select("#talk-scripted-talk a.kb-link") == []
    assert page.select("#speaker-orator a.kb-link-website") == []
    # Valid and relative URLs next to them are linked.
    photo = page.select_one("#speaker-orator img.kb-photo")
    assert photo is not None
    assert photo["src"] == "https://example.org/ok.jpg"
    fine = page.select("#talk-fine-talk a.kb-link")
    assert [a["href"] for a in fine] == ["slides/deck.pdf", "https://example.org/video"]


def test_bad_language_keeps_the_rest(options: BuiltRoot) -> None:
    page = options.html("languages")
    term = page.select_one("div.kb-object#term-babel")
    assert term is not None
    translations = term.select_one("dd.kb-field-translations")
    assert translations is not None
    # The translation with the bad code is kept without a lang attribute.
    assert "Babelle" in translations.get_text()
    assert [(s["lang"], s.get_text()) for s in translations.select("span[lang]")] == [
        ("en", "babel tower")
    ]
    talk = page.select_one("div.kb-object#talk-klingon")
    assert talk is not None
    assert talk.select_one("dd.kb-field-language") is None


def test_empty_id_is_shown_without_anchor(options: BuiltRoot) -> None:
    page = options.html("ids")
    objects = page.select("div.kb-object.kb-speaker")
    assert [o.select_one(".kb-title-text").get_text() for o in objects] == [
        "Nameless by id",
        "!!!",
        "Still here",
    ]
    assert [o.get("id") for o in objects] == [None, None, "speaker-still-here"]
    assert [a["href"] for a in page.select("div.body > section > p a.kb-ref")] == ["#speaker-still-here"]


# -- recommendations with no talk --------------------------------------------------------


@pytest.fixture
def orphan(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("core-bad-orphan")


def test_orphan_recommendation_warns(orphan: BuiltRoot) -> None:
    assert_warning(orphan, "index.md", 3, "orphan-recommendation", "'Advice without a talk'")
    # A talk on another page is not "defined earlier on the same page".
    assert_warning(orphan, "other.md", 3, "orphan-recommendation", "'Another orphan'")
    assert warning_count(orphan) == 2


def test_orphan_recommendation_still_renders(orphan: BuiltRoot) -> None:
    page = orphan.html("index")
    lonely = page.select_one("div.kb-object#rec-lonely")
    assert lonely is not None
    assert "Nothing precedes it." in lonely.get_text()
    assert lonely.select_one("dd.kb-field-talk") is None
    later = page.select_one("div.kb-object#talk-later")
    assert later is not None
    recs = later.select("dd.kb-field-recommendations a")
    assert [a["href"] for a in recs] == ["#rec-attached-advice"]
    other = orphan.html("other")
    assert other.select_one("div.kb-object#rec-another-orphan") is not None


# -- the same in reStructuredText ---------------------------------------------------------


@pytest.fixture
def bad_rst(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("core-bad-rst")


@pytest.mark.parametrize(
    ("line", "subtype", "words"),
    [
        (4, "orphan-recommendation", ("'Orphan advice'",)),
        (11, "missing-option", (":date:",)),
        (14, "bad-date", ("'2011-02-30'",)),
        (14, "bad-url", (":slides:", "javascript:alert(1)")),
        (14, "unknown-ref", (":speakers:", "'ghost-speaker'")),
        (21, "unknown-ref", ("'no-such-talk'",)),
    ],
)
def test_rst_bad_input_warns(
    bad_rst: BuiltRoot, line: int, subtype: str, words: tuple[str, ...]
) -> None:
    assert_warning(bad_rst, "index.rst", line, subtype, *words)


def test_rst_bad_input_rest_renders(bad_rst: BuiltRoot) -> None:
    assert warning_count(bad_rst) == 6
    page = bad_rst.html("index")
    talk = page.select_one("div.kb-object#talk-problems")
    assert talk is not None
    assert [a["href"] for a in talk.select("dd.kb-field-speakers a")] == [
        "#speaker-good-speaker"
    ]
    assert talk.select("a.kb-link") == []
    assert talk.select_one("dd.kb-field-date") is None  # neither its own nor the event's
    hrefs = [a["href"] for a in page.select("div.body > section > p a.kb-ref")]
    assert hrefs == ["#talk-problems", "#speaker-good-speaker"]

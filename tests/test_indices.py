"""The ``kb`` domain indices (talks, speakers, terms) and the tag pages.

The root ``test-indices`` has events, talks on two pages (one in none), speakers
with 0 to 3 talks, terms with accented translations and aliases, and tags, one
of them hostile (``<script>alert(1)</script>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.conftest import build_copy

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bs4 import BeautifulSoup, Tag
    from tests.conftest import BuiltRoot

HOSTILE = "<script>alert(1)</script>"
HOSTILE_SLUG = "script-alert-1-script"


@pytest.fixture
def built(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("indices")


def squash(node: Tag) -> str:
    return " ".join(node.get_text().split())


def index_groups(soup: BeautifulSoup) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """``[(heading, [(name, href, extra, description)])]`` of a domain index page."""
    groups: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    for row in soup.select("table.modindextable tr"):
        if "cap" in (row.get("class") or []):
            groups.append((squash(row), []))
        elif link := row.select_one("a"):
            cells = row.find_all("td")
            extra = row.select_one("td:nth-of-type(2) em")
            entry = (
                squash(link),
                str(link["href"]),
                squash(extra).strip("()") if extra else "",
                squash(cells[2]),
            )
            groups[-1][1].append(entry)
    return groups


def tag_entries(soup: BeautifulSoup) -> list[tuple[str, str, str, str]]:
    """``[(type, title, href, date)]`` of a tag page."""
    result = []
    for item in soup.select("li.kb-tag-entry"):
        link = item.select_one("a")
        date = item.select_one(".kb-date")
        assert link is not None
        type_label = item.select_one(".kb-type-label")
        assert type_label is not None
        result.append((squash(type_label), squash(link), str(link["href"]), squash(date) if date else ""))
    return result


def test_builds_without_warnings(built: BuiltRoot) -> None:
    assert built.warnings == ""


def test_talk_index_groups_by_event_then_date(built: BuiltRoot) -> None:
    groups = index_groups(built.html("kb-talkindex"))
    # Events by date; their titles are text, not markup; talks without event last.
    assert [heading for heading, _ in groups] == [
        "Autumn Meetup & <Friends>",
        "Journées Été 2024",
        "No event",
    ]
    autumn, ete, no_event = (entries for _, entries in groups)
    assert autumn == [("Opening keynote", "talks/day2.html#talk-opening", "October 5, 2023", "Émile Zola")]
    # Inherited date (forms: the event's), then title for equal dates.
    assert [(name, href, extra) for name, href, extra, _ in ete] == [
        ("Accessible forms", "talks/day1.html#talk-forms", "June 1, 2024"),
        ("Breakfast talk", "talks/day1.html#talk-breakfast", "June 1, 2024"),
        ("Zebra patterns", "talks/day1.html#talk-zebra", "June 2, 2024"),
    ]
    assert ete[0][3] == "Alice Martin, Bob Dupont"
    assert [entry[:2] for entry in no_event] == [("Hallway track", "talks/day2.html#talk-hallway")]


def test_talk_index_headings_are_inert(built: BuiltRoot) -> None:
    soup = built.html("kb-talkindex")
    assert soup.select("table.modindextable friends") == []
    assert soup.find("friends") is None


def test_speaker_index_a_to_z_with_counts(built: BuiltRoot) -> None:
    groups = index_groups(built.html("kb-speakerindex"))
    assert [heading for heading, _ in groups] == ["A", "B", "C", "E"]
    entries = {heading: [(name, href, extra) for name, href, extra, _ in items] for heading, items in groups}
    assert entries["A"] == [("Alice Martin", "speakers.html#speaker-alice", "2 talks")]
    assert entries["B"] == [("Bob Dupont", "speakers.html#speaker-bob", "1 talk")]
    assert entries["C"] == [("Carol King", "speakers.html#speaker-carol", "0 talks")]
    # É is filed and sorted as E.
    assert entries["E"] == [
        ("Émile Zola", "speakers.html#speaker-emile", "3 talks"),
        ("Eve Adams", "speakers.html#speaker-eve", "0 talks"),
    ]
    assert groups[0][1][0][3] == "Acme"


def test_term_index_every_language(built: BuiltRoot) -> None:
    groups = dict(index_groups(built.html("kb-termindex")))
    assert list(groups) == ["A", "D", "E", "P", "Z"]
    proxemie = "terms.html#term-proxemie"
    ecoute = "terms.html#term-ecoute-active"
    assert [entry[:3] for entry in groups["P"]] == [
        ("proxemics", proxemie, "en → proxémie"),
        ("proxémie", proxemie, "fr"),
        ("Proxemik", proxemie, "de → proxémie"),
    ]
    assert [entry[:3] for entry in groups["E"]] == [
        ("écoute", ecoute, "→ Écoute active"),
        ("Écoute active", ecoute, "fr"),
    ]
    assert [entry[:3] for entry in groups["A"]] == [
        ("active listening", ecoute, "en → Écoute active"),
        ("Air du temps", "terms.html#term-zeitgeist", "→ Zeitgeist"),
    ]
    assert [entry[:3] for entry in groups["D"]] == [("distance sociale", proxemie, "→ proxémie")]


def test_indices_are_linkable(built: BuiltRoot) -> None:
    soup = built.html("index")
    links = {squash(a): a["href"] for a in soup.select("div.body a.reference.internal")}
    assert links["Talk Index"] == "kb-talkindex.html"
    assert links["Speaker Index"] == "kb-speakerindex.html"
    assert links["Term Index"] == "kb-termindex.html"


def test_tag_pages(built: BuiltRoot) -> None:
    pages = sorted(p.name for p in (built.outdir / "tags").iterdir())
    assert pages[:4] == ["a11y.html", "design.html", "index.html", f"{HOSTILE_SLUG}.html"]
    # A tag without ASCII letters gets a digest as its slug.
    assert len(pages) == 5
    assert pages[4].startswith("tag-")
    # "design" and "Design" are one tag; talks by date, then recommendations.
    assert tag_entries(built.html("tags/design")) == [
        ("Talk", "Opening keynote", "../talks/day2.html#talk-opening", "October 5, 2023"),
        ("Talk", "Zebra patterns", "../talks/day1.html#talk-zebra", "June 2, 2024"),
        ("Recommendation", "Use stripes", "../talks/day1.html#rec-stripes", ""),
    ]
    assert tag_entries(built.html("tags/a11y")) == [
        ("Talk", "Opening keynote", "../talks/day2.html#talk-opening", "October 5, 2023"),
        ("Talk", "Accessible forms", "../talks/day1.html#talk-forms", "June 1, 2024"),
    ]
    overview = built.html("tags/index")
    listed = [
        (squash(item.select_one("a")), item.select_one("a")["href"], squash(item.select_one(".kb-tag-count")))
        for item in overview.select("li.kb-tag-index-entry")
    ]
    assert listed == [
        (HOSTILE, f"{HOSTILE_SLUG}.html", "1"),
        ("a11y", "a11y.html", "2"),
        ("design", "design.html", "3"),
        ("設計", pages[4], "1"),
    ]


def test_badges_link_to_tag_pages(built: BuiltRoot) -> None:
    soup = built.html("talks/day1")
    zebra = soup.select_one("#talk-zebra")
    assert zebra is not None
    badges = [(squash(a), a["href"]) for a in zebra.select("a.kb-tag")]
    assert badges == [("design", "../tags/design.html"), (HOSTILE, f"../tags/{HOSTILE_SLUG}.html")]
    stripes = soup.select_one("#rec-stripes")
    assert stripes is not None
    assert [(squash(a), a["href"]) for a in stripes.select("a.kb-tag")] == [("Design", "../tags/design.html")]
    assert soup.select("span.kb-tag") == []
    hallway = built.html("talks/day2").select_one("#talk-hallway a.kb-tag")
    assert hallway is not None
    assert squash(hallway) == "設計"
    assert (built.outdir / "talks" / str(hallway["href"])).resolve().exists()


def test_hostile_tag_is_inert(built: BuiltRoot) -> None:
    for page in ["talks/day1", "tags/index", f"tags/{HOSTILE_SLUG}"]:
        soup = built.html(page)
        # The tag, had it been markup, would be a script element of its own.
        assert not any(script.get_text().strip() == "alert(1)" for script in soup.find_all("script")), page
        assert HOSTILE in soup.get_text()
    page = built.html(f"tags/{HOSTILE_SLUG}")
    assert page.title is not None
    assert HOSTILE in page.title.get_text()
    assert [squash(badge) for badge in page.select("h1 .kb-tag")] == [HOSTILE]


def test_incremental_build_updates_indices_and_tags(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("indices")
    first = build_copy(srcdir)
    assert first.warnings == ""
    day2 = srcdir / "talks" / "day2.md"
    day2.write_text(
        day2.read_text(encoding="utf-8")
        + "\n```{talk} Late addition\n:id: late\n:speakers: carol\n:event: autumn\n"
        ":date: 2023-10-06\n:tags: design, fresh\n```\n",
        encoding="utf-8",
    )
    second = build_copy(srcdir)
    assert second.warnings == ""
    talks = dict(index_groups(second.html("kb-talkindex")))
    assert [entry[0] for entry in talks["Autumn Meetup & <Friends>"]] == ["Opening keynote", "Late addition"]
    speakers = dict(index_groups(second.html("kb-speakerindex")))
    assert speakers["C"][0][2] == "1 talk"
    design = tag_entries(second.html("tags/design"))
    assert ("Talk", "Late addition", "../talks/day2.html#talk-late", "October 6, 2023") in design
    assert tag_entries(second.html("tags/fresh")) == [
        ("Talk", "Late addition", "../talks/day2.html#talk-late", "October 6, 2023")
    ]
    overview = second.html("tags/index")
    counts = {
        squash(item.select_one("a")): squash(item.select_one(".kb-tag-count"))
        for item in overview.select("li.kb-tag-index-entry")
    }
    assert counts["design"] == "4"
    assert counts["fresh"] == "1"


def test_dirhtml(built_root: Callable[..., BuiltRoot]) -> None:
    built = built_root("indices", "dirhtml")
    assert built.warnings == ""
    assert (built.outdir / "tags" / "design" / "index.html").exists()
    assert (built.outdir / "kb-termindex" / "index.html").exists()
    day1 = built.html("talks/day1/index")
    assert day1.select_one("#talk-zebra a.kb-tag")["href"] == "../../tags/design/"
    design = tag_entries(built.html("tags/design/index"))
    assert design[1][2] == "../../talks/day1/#talk-zebra"
    index = built.html("index")
    links = {squash(a): a["href"] for a in index.select("div.body a.reference.internal")}
    assert links["Term Index"] == "kb-termindex/"


def test_singlehtml_has_no_tag_links(built_root: Callable[..., BuiltRoot]) -> None:
    built = built_root("indices", "singlehtml")
    assert built.warnings == ""
    soup = built.html("index")
    assert soup.select("a.kb-tag") == []
    assert len(soup.select("span.kb-tag")) == 7
    assert not (built.outdir / "tags").exists()


@pytest.mark.parametrize("buildername", ["latex", "text"])
def test_other_builders(built_root: Callable[..., BuiltRoot], buildername: str) -> None:
    built = built_root("indices", buildername)
    assert built.warnings == ""
    assert not (built.outdir / "tags").exists()


def test_latex_indices(built_root: Callable[..., BuiltRoot]) -> None:
    built = built_root("indices", "latex")
    tex = built.text("indices.tex")
    assert r"\renewcommand{\indexname}{Talk Index}" in tex
    # Sphinx escapes group headings for LaTeX itself (the HTML page gets them escaped).
    assert r"\bigletter{Autumn Meetup \& \textless{}Friends\textgreater{}}" in tex
    assert r"\sphinxstyleindexentry{Proxemik}\sphinxstyleindexextra{de \(\rightarrow\) proxémie}" in tex
    assert r"\sphinxstyleindexpageref{terms:\detokenize{term-proxemie}}" in tex

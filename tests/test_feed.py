"""The Atom feeds ``_kb/talks.atom`` and ``_kb/feeds/*.atom`` (root ``test-feed``), read back with feedparser."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import feedparser
import pytest
from lxml import etree
from tests.conftest import ROOTS, BuiltRoot, assert_warning, build_copy, edit

from talkbase.feed import git_added_dates

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://kb.example.org/recap/"
#: The escaping talk's title as written, and as shown: curled like the page's text (talkbase.typography).
WRITTEN_TITLE = 'Fish & chips < "quotes" ’apostrophe’'
ESCAPED_TITLE = "Fish & chips < “quotes” ’apostrophe’"
#: The modification time given to the page of the undated talk (between the 2013 and 2011 talks).
UNDATED_MTIME = dt.datetime(2012, 1, 1, 12, tzinfo=dt.UTC)


def fresh_copy(target: Path) -> Path:
    """A copy of the root whose page of the undated talk has a known modification time."""
    shutil.copytree(ROOTS / "test-feed", target)
    stamp = UNDATED_MTIME.timestamp()
    os.utime(target / "more.md", (stamp, stamp))
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltRoot:
    build = build_copy(fresh_copy(tmp_path_factory.mktemp("feed") / "src"))
    assert build.warnings == ""
    return build


def parse(path: Path) -> Any:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def entry_ids(feed: Any) -> list[str]:
    return [entry.id for entry in feed.entries]


def check_atom_rules(path: Path) -> None:
    """RFC 4287's rules on ids, dates, titles, links and authors, checked on the XML itself."""
    root = etree.fromstring(path.read_bytes())
    assert root.tag == f"{ATOM}feed"
    feed_url = BASE + "_kb/" + path.as_posix().split("/_kb/", 1)[1]
    assert root.findtext(f"{ATOM}id") == feed_url
    self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == [feed_url]
    updated = [dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) for entry in root.findall(f"{ATOM}entry")]
    feed_updated = dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated") or "")
    assert feed_updated.tzinfo is not None
    if updated:
        assert feed_updated == max(updated)
    assert root.findtext(f"{ATOM}title")
    has_feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        assert entry_id.startswith(BASE)
        ids.append(entry_id)
        assert entry.findtext(f"{ATOM}title")
        assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "").tzinfo is not None
        links = [link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("rel") in {None, "alternate"}]
        assert links == [entry_id]
        assert has_feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
    assert len(ids) == len(set(ids))


def test_main_feed(built: BuiltRoot) -> None:
    path = built.outdir / "_kb" / "talks.atom"
    check_atom_rules(path)
    feed = parse(path)
    assert feed.feed.title == "Recaps: New talks"
    assert feed.feed.id == BASE + "_kb/talks.atom"
    assert feed.feed.language == "en"
    # Newest first, three entries (talkbase_feed_entries); the undated talk sits at its page's date.
    assert entry_ids(feed) == [
        BASE + "talks.html#talk-escaping",  # 2013-06-01, its event's date
        BASE + "more.html#talk-undated",  # 2012-01-01, more.md's modification time
        BASE + "talks.html#talk-usages",  # 2011-09-06
    ]
    escaping, undated, usages = feed.entries
    assert escaping.updated == "2013-06-01T00:00:00+00:00"
    assert undated.updated == "2012-01-01T12:00:00+00:00"
    assert feed.feed.updated == escaping.updated
    assert escaping.title == ESCAPED_TITLE
    assert escaping.link == escaping.id
    assert escaping.summary == "Escaping <b>not bold</b> & co."
    assert escaping.summary_detail.type == "text/plain"
    assert [(tag.term, tag.label) for tag in escaping.tags] == [("journee", "Journée d’étude")]
    assert [(tag.term, tag.label) for tag in usages.tags] == [
        ("ams", "Assises & <Médias> “Sociaux”"),
        ("entreprise", None),
    ]
    assert [(author.name, author.href) for author in usages.authors] == [
        ("Anne-Sophie de La Tour", BASE + "speakers.html#speaker-anne-sophie"),
    ]


def test_event_and_tag_feeds(built: BuiltRoot) -> None:
    kb = built.outdir / "_kb"
    assert sorted(path.name for path in (kb / "feeds").iterdir()) == [
        "event-ams.atom", "event-journee.atom", "tag-entreprise.atom", "tag-medias-sociaux.atom",
    ]  # fmt: skip
    for path in (kb / "feeds").iterdir():
        check_atom_rules(path)
    ams = parse(kb / "feeds" / "event-ams.atom")
    assert ams.feed.title == "Recaps: Assises & <Médias> “Sociaux”"
    # Both talks of the event share a speaker; one has its own date, one its event's.
    assert entry_ids(ams) == [BASE + "talks.html#talk-usages", BASE + "talks.html#talk-etat-des-lieux"]
    etat = ams.entries[1]
    assert [author.name for author in etat.authors] == ["Stéphane Hugon", "Anne-Sophie de La Tour"]
    tagged = parse(kb / "feeds" / "tag-entreprise.atom")
    assert entry_ids(tagged) == [
        BASE + "more.html#talk-undated", BASE + "talks.html#talk-usages", BASE + "talks.html#talk-etat-des-lieux",
    ]  # fmt: skip


def feed_links(build: BuiltRoot, page: str) -> list[tuple[str, str]]:
    return [
        (str(link["title"]), str(link["href"]))
        for link in build.html(page).select('head link[rel="alternate"][type="application/atom+xml"]')
    ]


def test_every_page_links_to_the_feed(built: BuiltRoot) -> None:
    pages = sorted(path for path in built.outdir.rglob("*.html") if "_static" not in path.parts)
    assert len(pages) >= 10  # the documents, the tag pages, genindex, search
    for path in pages:
        page = path.relative_to(built.outdir).with_suffix("").as_posix()
        title, href = feed_links(built, page)[0]
        assert title == "Recaps: New talks"
        assert (path.parent / href).resolve() == (built.outdir / "_kb" / "talks.atom").resolve(), page
    assert feed_links(built, "events")[1:] == [
        ("Recaps: Assises & <Médias> “Sociaux”", "_kb/feeds/event-ams.atom"),
        ("Recaps: Journée d’étude", "_kb/feeds/event-journee.atom"),
    ]
    assert feed_links(built, "tags/entreprise")[1:] == [("Recaps: entreprise", "../_kb/feeds/tag-entreprise.atom")]
    assert feed_links(built, "talks")[1:] == []


def test_theme_sidebar_links_to_the_feeds(tmp_path: Path) -> None:
    build = build_copy(fresh_copy(tmp_path / "src"), confoverrides={"html_theme": "talkbase", "language": "fr"})
    assert build.warnings == ""
    links = build.html("events").select(".tb-kb a.tb-feed")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        ("Flux des nouvelles interventions", "_kb/talks.atom"),
        ("Flux : Assises & <Médias> «\u00a0Sociaux\u00a0»", "_kb/feeds/event-ams.atom"),  # French quotes
        ("Flux : Journée d’étude", "_kb/feeds/event-journee.atom"),
    ]
    assert [a["href"] for a in build.html("talks").select(".tb-kb a.tb-feed")] == ["_kb/talks.atom"]
    assert feed_links(build, "talks") == [("Recaps: Nouvelles interventions", "_kb/talks.atom")]


def test_straight_quotes_are_escaped(tmp_path: Path) -> None:
    """With ``smartquotes = False`` the titles keep the author's straight quotes: escaped in
    the feeds' XML and in the ``title`` attribute of the pages' feed links."""
    build = build_copy(fresh_copy(tmp_path / "src"), confoverrides={"smartquotes": False})
    assert build.warnings == ""
    main = parse(build.outdir / "_kb" / "talks.atom")
    assert main.entries[0].title == WRITTEN_TITLE
    assert [(tag.term, tag.label) for tag in main.entries[2].tags] == [
        ("ams", 'Assises & <Médias> "Sociaux"'),
        ("entreprise", None),
    ]
    ams = parse(build.outdir / "_kb" / "feeds" / "event-ams.atom")
    assert ams.feed.title == 'Recaps: Assises & <Médias> "Sociaux"'
    assert feed_links(build, "events")[1:] == [
        ('Recaps: Assises & <Médias> "Sociaux"', "_kb/feeds/event-ams.atom"),
        ("Recaps: Journée d’étude", "_kb/feeds/event-journee.atom"),
    ]


def test_singlehtml_links_are_not_doubled_fragments(tmp_path: Path) -> None:
    build = build_copy(fresh_copy(tmp_path / "src"), "singlehtml")
    assert build.warnings == ""
    feed = parse(build.outdir / "_kb" / "talks.atom")
    assert entry_ids(feed)[0] == BASE + "index.html#talk-escaping"


def test_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build_copy(fresh_copy(tmp_path / "one"))
    second = build_copy(fresh_copy(tmp_path / "two"))
    feeds = sorted(path.relative_to(first.outdir) for path in first.outdir.rglob("*.atom"))
    assert len(feeds) == 5
    for name in feeds:
        assert (first.outdir / name).read_bytes() == (second.outdir / name).read_bytes(), name


def test_source_date_epoch_clamps_page_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = fresh_copy(tmp_path / "src")
    (srcdir / "more.md").touch()  # modified now, as after unpacking an archive
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2012, 5, 4, tzinfo=dt.UTC).timestamp())))
    feed = parse(build_copy(srcdir).outdir / "_kb" / "talks.atom")
    assert feed.entries[1].id == BASE + "more.html#talk-undated"
    assert feed.entries[1].updated == "2012-05-04T00:00:00+00:00"


def git(srcdir: Path, *args: str, date: str = "") -> None:
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(srcdir), "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
    }  # fmt: skip
    subprocess.run(["git", *args], cwd=srcdir, env=env, check=True, capture_output=True)


def test_git_first_commit_dates_undated_talks(tmp_path: Path) -> None:
    srcdir = fresh_copy(tmp_path / "src")
    git(srcdir, "init", "-q")
    git(srcdir, "add", "index.md", "events.md", "speakers.md", "talks.md", "conf.py")
    git(srcdir, "commit", "-q", "-m", "first", date="2010-03-01T10:00:00+00:00")
    git(srcdir, "add", "more.md")
    git(srcdir, "commit", "-q", "-m", "more", date="2012-07-14T08:30:00+00:00")
    (srcdir / "more.md").write_text((srcdir / "more.md").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(srcdir, "commit", "-q", "-am", "later edit", date="2020-01-01T00:00:00+00:00")
    feed = parse(build_copy(srcdir).outdir / "_kb" / "talks.atom")
    assert feed.entries[1].id == BASE + "more.html#talk-undated"
    assert feed.entries[1].updated == "2012-07-14T08:30:00+00:00"  # added, not last edited, not the mtime


def test_git_dates_of_file_names_with_accents(tmp_path: Path) -> None:
    (tmp_path / "été").mkdir()
    page = tmp_path / "été" / "récap.md"
    page.write_text("# Récap\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "added", date="2015-05-05T05:05:05+00:00")
    assert git_added_dates(tmp_path) == {page: dt.datetime(2015, 5, 5, 5, 5, 5, tzinfo=dt.UTC)}
    assert git_added_dates(tmp_path / "été") == {page: dt.datetime(2015, 5, 5, 5, 5, 5, tzinfo=dt.UTC)}


def test_incremental_build_updates_the_feeds(tmp_path: Path) -> None:
    srcdir = fresh_copy(tmp_path / "src")
    build_copy(srcdir, confoverrides={"talkbase_feed_tags": True})
    # A speaker renamed on speakers.md, a talk retitled and retagged on talks.md: neither page
    # holds the feeds, and the tag "médias sociaux" disappears.
    edit(srcdir / "speakers.md", "{speaker} Anne-Sophie de La Tour", "{speaker} Anne-Sophie Martin")
    edit(srcdir / "talks.md", "{talk} Les usages", "{talk} Les usages & pratiques")
    edit(srcdir / "talks.md", ":tags: médias sociaux, entreprise", ":tags: entreprise")
    incremental = build_copy(srcdir)
    assert incremental.warnings == ""
    feed = parse(incremental.outdir / "_kb" / "talks.atom")
    usages = feed.entries[2]
    assert usages.title == "Les usages & pratiques"
    assert [author.name for author in usages.authors] == ["Anne-Sophie Martin"]
    assert not (incremental.outdir / "_kb" / "feeds" / "tag-medias-sociaux.atom").exists()
    # Incremental == clean.
    clean = build_copy(srcdir, outdir=tmp_path / "clean")
    for path in sorted(clean.outdir.rglob("*.atom")):
        name = path.relative_to(clean.outdir)
        assert (incremental.outdir / name).read_bytes() == path.read_bytes(), name
    assert len(list(incremental.outdir.rglob("*.atom"))) == len(list(clean.outdir.rglob("*.atom")))


def test_no_base_url_no_feed(tmp_path: Path) -> None:
    srcdir = fresh_copy(tmp_path / "src")
    conf = srcdir / "conf.py"
    # Feeds left to their defaults: no feed, no link, no warning (talkbase_feed_* removed).
    lines = conf.read_text(encoding="utf-8").splitlines()
    conf.write_text(
        "\n".join(line for line in lines if not line.startswith(("html_baseurl", "talkbase_feed"))) + "\n",
        encoding="utf-8",
    )
    build = build_copy(srcdir)
    assert build.warnings == ""
    assert not (build.outdir / "_kb" / "talks.atom").exists()
    assert feed_links(build, "index") == []


def test_feeds_asked_without_base_url_warn(tmp_path: Path) -> None:
    srcdir = fresh_copy(tmp_path / "src")
    edit(srcdir / "conf.py", 'html_baseurl = "https://kb.example.org/recap/"', "")
    build = build_copy(srcdir)
    assert_warning(build, "conf.py", 7, "feed-unavailable", "talkbase_feed_entries", "html_baseurl")
    assert len(build.warnings.splitlines()) == 1
    assert not (build.outdir / "_kb").joinpath("talks.atom").exists()
    assert not (build.outdir / "_kb" / "feeds").exists()
    assert feed_links(build, "events") == []
    # The rest of the site is still there.
    assert build.html("talks").select_one("#talk-usages") is not None


def test_zero_entries_turns_feeds_off(
    tmp_path: Path, build_sphinx: Callable[..., BuiltRoot]
) -> None:
    build = build_sphinx(fresh_copy(tmp_path / "src"), confoverrides={"talkbase_feed_entries": 0})
    assert build.warnings == ""
    assert list(build.outdir.rglob("*.atom")) == []
    assert feed_links(build, "index") == []


def test_parallel_build_gives_the_same_feeds(tmp_path: Path, built: BuiltRoot) -> None:
    parallel = build_copy(fresh_copy(tmp_path / "src"), parallel=2)
    assert parallel.parallel  # the workers really ran
    assert parallel.warnings == ""
    names = sorted(path.relative_to(built.outdir) for path in built.outdir.rglob("*.atom"))
    assert names == sorted(path.relative_to(parallel.outdir) for path in parallel.outdir.rglob("*.atom"))
    for name in names:
        assert (parallel.outdir / name).read_bytes() == (built.outdir / name).read_bytes(), name


def test_no_feeds_for_other_builders(tmp_path: Path) -> None:
    build = build_copy(fresh_copy(tmp_path / "src"), "text")
    assert build.warnings == ""
    assert list(build.outdir.rglob("*.atom")) == []

"""Atom feeds of the most recent talks, written at ``build-finished`` by HTML builders.

``<outdir>/_kb/talks.atom`` holds the :confval:`talkbase_feed_entries` most recent
talks of the project; with ``talkbase_feed_events`` / ``talkbase_feed_tags``,
``_kb/feeds/event-<id>.atom`` and ``_kb/feeds/tag-<slug>.atom`` hold those of one
event or one tag.  The XML is made by ``feedgen``, never by hand.

When each feed is written, nothing of the feeds is pickled: they are computed from
the domain's index of the finished build, so an incremental build shows exactly what
a clean one does.  Pages only carry links to the feeds (``html-page-context``): a
``<link rel="alternate" type="application/atom+xml">`` in every page's head (through
``metatags``, which every Sphinx theme prints), the event's and the tag's own feed on
their pages, and ``talkbase_feeds`` for the talkbase theme's sidebar.

Order and dates (see ``docs/reference/config.md``): a talk's date is its own or its
event's; a talk without one is dated by its page: the first commit that added the
source file (``git log``), else the file's modification time, clamped to
``SOURCE_DATE_EPOCH`` when that is set, as reproducible builds expect.  Newest first;
talks of one date keep their page and source order.  A feed's ``updated`` is its
newest entry's date, so two builds of the same sources give byte-identical files.

Feeds need absolute URLs (ids and links): without ``html_baseurl`` no feed is written
and no page links to one; the build warns once (``talkbase.feed-unavailable``) when
``conf.py`` asks for feeds explicitly.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.locale import get_translation
from sphinx.util import logging

from talkbase import __version__
from talkbase.cite.block import EXPORT_DIR, is_web_builder
from talkbase.cite.exports import write_if_changed
from talkbase.domain import kb_domain
from talkbase.model import Event, Speaker, Talk
from talkbase.singlehtml import page_uri
from talkbase.tags import collect_tags, page_name
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

    from talkbase.lookup import KBIndex

_ = get_translation("talkbase")
logger = logging.getLogger(__name__)

#: The feed of the whole knowledge base, relative to the output directory.
MAIN_FEED = f"{EXPORT_DIR}/talks.atom"
#: The directory of the per-event and per-tag feeds.
FEEDS_DIR = f"{EXPORT_DIR}/feeds"
#: Entries of a feed when ``talkbase_feed_entries`` is left unset.
DEFAULT_ENTRIES = 20
ATOM_TYPE = "application/atom+xml"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def event_feed(event_id: str) -> str:
    return f"{FEEDS_DIR}/event-{event_id}.atom"


def tag_feed(slug: str) -> str:
    return f"{FEEDS_DIR}/tag-{slug}.atom"


@dataclass(frozen=True, slots=True)
class Settings:
    """The feed configuration of a build, checked."""

    base_url: str
    entries: int
    events: bool
    tags: bool

    @property
    def enabled(self) -> bool:
        return bool(self.base_url) and self.entries > 0


def settings(config: Config) -> Settings:
    entries = config.talkbase_feed_entries
    return Settings(
        base_url=str(getattr(config, "html_baseurl", "") or ""),
        entries=DEFAULT_ENTRIES if entries is None else max(int(entries), 0),
        events=bool(config.talkbase_feed_events),
        tags=bool(config.talkbase_feed_tags),
    )


def absolute(base_url: str, uri: str) -> str:
    """``uri`` (relative to the output directory) under ``html_baseurl``."""
    return f"{base_url.rstrip('/')}/{uri}"


def object_url(builder: Builder, base_url: str, docname: str, anchor: str) -> str:
    return absolute(base_url, f"{page_uri(builder, docname)}#{anchor}")


# -- dates -------------------------------------------------------------------------


def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time, if set to an integer."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC) if value else None
    except (ValueError, OverflowError, OSError):
        return None


def git_added_dates(srcdir: Path) -> dict[Path, dt.datetime]:
    """Source file -> date of the commit that added it under its name (one ``git log``).

    Empty when ``srcdir`` is not in a git work tree or git is missing.
    """
    try:
        run = subprocess.run(
            # quotepath off: names with accents as they are, not as octal escapes in quotes.
            ["git", "-c", "core.quotepath=off", "log", "--diff-filter=AR", "--format=%x00%ct", "--name-only",
             "--relative", "--", "."],
            cwd=srcdir, capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    if run.returncode != 0:
        return {}
    dates: dict[Path, dt.datetime] = {}
    when = EPOCH
    for line in run.stdout.splitlines():
        if line.startswith("\x00"):
            when = dt.datetime.fromtimestamp(int(line[1:]), dt.UTC)
        elif line:
            dates[srcdir / line] = when  # newest first: the last one seen is the oldest
    return dates


@dataclass(slots=True)
class PageDates:
    """The date of each page that holds an undated talk, computed on first use."""

    srcdir: Path
    paths: Mapping[str, Path]
    _git: dict[Path, dt.datetime] | None = None
    _dates: dict[str, dt.datetime] = field(default_factory=dict)

    def __call__(self, docname: str) -> dt.datetime:
        if docname not in self._dates:
            self._dates[docname] = self._date(docname)
        return self._dates[docname]

    def _date(self, docname: str) -> dt.datetime:
        if self._git is None:
            self._git = git_added_dates(self.srcdir)
        path = self.paths.get(docname)
        if path is None:
            return EPOCH
        if path in self._git:
            return self._git[path]
        try:
            when = dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.UTC)
        except OSError:
            return EPOCH
        clamp = source_date_epoch()
        return min(when, clamp) if clamp is not None else when


def talk_time(index: KBIndex, talk: Talk, page_dates: PageDates) -> dt.datetime:
    """When a talk took place (midnight UTC of its date), else its page's date."""
    date = index.talk_date(talk)
    if date:
        try:
            return dt.datetime.combine(dt.date.fromisoformat(date), dt.time(), dt.UTC)
        except ValueError:
            pass  # already reported as talkbase.bad-date when read
    return page_dates(talk.docname)


def newest(index: KBIndex, talks: Iterable[Talk], page_dates: PageDates, limit: int) -> list[tuple[Talk, dt.datetime]]:
    """The ``limit`` most recent talks, newest first; ties in page and source order."""
    dated = [(talk, talk_time(index, talk, page_dates)) for talk in sorted(talks, key=lambda t: (t.docname, t.lineno))]
    dated.sort(key=lambda item: item[1], reverse=True)  # stable: ties keep page and source order
    return dated[:limit]


# -- the feeds ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed to write: its file (relative to the output directory), title and talks."""

    path: str
    title: str
    talks: list[Talk]
    #: The page that links to this feed besides every page: the event's, the tag's.
    page: str = ""
    #: What the feed follows: the event's title, the tag (empty for the main feed).
    topic: str = ""


def main_title(config: Config) -> str:
    label = str(_("New talks"))  # outside the f-string, where pybabel finds it
    return f"{config.project}: {label}"


def feeds(app: Sphinx, index: KBIndex, options: Settings) -> list[Feed]:
    """Every feed of the build (``build-finished``)."""
    project = app.config.project
    talks = [talk for talk in index.objects["talk"].values() if isinstance(talk, Talk)]
    found = [Feed(MAIN_FEED, main_title(app.config), talks)]
    if options.events:
        for event_id, event in sorted(index.objects["event"].items()):
            of_event = index.talks_by_event.get(event_id, [])
            found.append(Feed(event_feed(event_id), f"{project}: {event.title}", of_event, event.docname, event.title))
    if options.tags:
        for slug, tag in sorted(collect_tags(index).items()):
            tagged = [record for record in tag.records if isinstance(record, Talk)]
            if tagged:
                found.append(Feed(tag_feed(slug), f"{project}: {tag.name}", tagged, page_name(slug), tag.name))
    return found


def atom(app: Sphinx, index: KBIndex, feed: Feed, options: Settings, page_dates: PageDates) -> bytes:
    """The Atom document of one feed."""
    # feedgen (with lxml and dateutil) only for builds that write feeds: most never do.
    from feedgen.feed import FeedGenerator  # noqa: PLC0415

    builder, config, base = app.builder, app.config, options.base_url
    entries = newest(index, feed.talks, page_dates, options.entries)
    generator = FeedGenerator()
    url = absolute(base, feed.path)
    generator.id(url)
    generator.title(feed.title)
    generator.link(href=url, rel="self", type=ATOM_TYPE)
    generator.link(href=absolute(base, page_uri(builder, config.root_doc)), rel="alternate")
    # Atom wants an author on the feed when an entry has none (a talk without speakers).
    generator.author({"name": config.author if config.author != "Author name not set" else config.project})
    generator.generator("talkbase", __version__, "https://pypi.org/project/sphinx-talkbase/")
    if config.language:
        generator.language(config.language)
    generator.updated(entries[0][1] if entries else source_date_epoch() or EPOCH)
    for talk, when in entries:
        link = object_url(builder, base, talk.docname, talk.anchor)
        entry = generator.add_entry(order="append")
        entry.id(link)
        entry.title(talk.title)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.updated(when)
        entry.published(when)
        authors = [_author(app, index, speaker_id, base) for speaker_id in talk.speakers]
        if authors:
            entry.author(authors)
        summary = index.summary(talk)
        if summary:
            entry.summary(summary)
        event = index.get("event", talk.event) if talk.event else None
        if isinstance(event, Event):
            entry.category({"term": event.id, "label": event.title})
        for tag in dict.fromkeys(talk.tags):
            entry.category({"term": tag})
    result: bytes = generator.atom_str(pretty=True)
    return result


def _author(app: Sphinx, index: KBIndex, speaker_id: str, base: str) -> dict[str, str]:
    speaker = index.get("speaker", speaker_id)
    if not isinstance(speaker, Speaker):
        return {"name": speaker_id}
    return {
        "name": speaker.title,
        "uri": object_url(app.builder, base, speaker.docname, speaker.anchor),
    }


def write_feeds(app: Sphinx, exception: BaseException | None) -> None:
    """Write every feed and remove the ones no longer made (``build-finished``, HTML builders)."""
    if exception is not None or not is_web_builder(app.builder):
        return
    options = settings(app.config)
    outdir = Path(app.outdir)
    written: set[Path] = set()
    if options.enabled:
        env = app.env
        index = kb_domain(env).index
        page_dates = PageDates(Path(app.srcdir), {docname: Path(env.doc2path(docname)) for docname in env.found_docs})
        for feed in feeds(app, index, options):
            path = outdir / feed.path
            write_if_changed(path, atom(app, index, feed, options, page_dates).decode("utf-8"))
            written.add(path)
    else:
        _explain_disabled(app, options)
    # Feeds of events or tags that are gone, or of an option turned off, would stay forever.
    for stale in [outdir / MAIN_FEED, *sorted((outdir / FEEDS_DIR).glob("*.atom"))]:
        if stale not in written and stale.is_file():
            stale.unlink()


def _explain_disabled(app: Sphinx, options: Settings) -> None:
    if options.base_url or (options.entries == 0):
        return
    asked = [
        name
        for name, value in (
            ("talkbase_feed_entries", app.config.talkbase_feed_entries),
            ("talkbase_feed_events", options.events),
            ("talkbase_feed_tags", options.tags),
        )
        if value not in (None, False)
    ]
    if not asked:
        if kb_domain(app.env).index.objects["talk"]:  # say it where a feed would have something to show
            logger.info("talkbase: no Atom feed of the talks: html_baseurl is not set")
        return
    warn(
        Subtype.FEED_UNAVAILABLE,
        f"{asked[0]} asks for Atom feeds but html_baseurl is not set: feeds need absolute links, "
        "none is written; set html_baseurl to the address the site is published at",
        location=config_location(app, asked[0]),
    )


def config_location(app: Sphinx, name: str) -> str:
    """``conf.py:<line>`` of the line setting ``name`` (the file itself if not found)."""
    confdir = app.confdir
    path = Path(confdir) / "conf.py"
    line = 1
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if text.lstrip().startswith(name):
                line = number
                break
    except OSError:
        pass
    return f"{path}:{line}"


# -- links from the pages ---------------------------------------------------------------


@dataclass(slots=True)
class PageFeeds:
    """The feeds each page links to, worked out once per build (write phase)."""

    #: docname -> the page's own feeds (of its events, of its tag).
    own: dict[str, list[Feed]] | None = None

    def reset(self, *_args: object) -> None:
        self.own = None

    def __call__(self, app: Sphinx, pagename: str) -> list[tuple[str, str, str]]:
        """``(title, sidebar label, path)`` of the feeds of ``pagename``: the project's, then its own."""
        options = settings(app.config)
        if not options.enabled:
            return []
        if self.own is None:
            self.own = {}
            for feed in feeds(app, kb_domain(app.env).index, options)[1:]:
                self.own.setdefault(feed.page, []).append(feed)
        return [
            (main_title(app.config), str(_("Feed of new talks")), MAIN_FEED),
            *((feed.title, str(_("Feed: %s")) % feed.topic, feed.path) for feed in self.own.get(pagename, [])),
        ]

    def page_context(
        self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
    ) -> None:
        """Link the page to its feeds (``html-page-context``, any HTML theme)."""
        if not is_web_builder(app.builder):
            return
        links = [(title, label, context["pathto"](path, 1)) for title, label, path in self(app, pagename)]
        # For the talkbase theme's sidebar: (label, href) pairs.
        context["talkbase_feeds"] = [(label, href) for _title, label, href in links]
        context["metatags"] = context.get("metatags", "") + "".join(
            f'\n<link rel="alternate" type="{ATOM_TYPE}" title="{html.escape(title)}" href="{html.escape(href)}" />'
            for title, _label, href in links
        )


def setup(app: Sphinx) -> None:
    page_feeds = PageFeeds()
    app.connect("builder-inited", page_feeds.reset)
    app.connect("env-updated", page_feeds.reset)
    app.connect("html-page-context", page_feeds.page_context)
    app.connect("build-finished", write_feeds)

"""A page per tag (``tags/<slug>.html``), an overview (``tags/index.html``), and
tag badges that link to their page.

Tags are the ``:tags:`` of talks and recommendations; tags whose slugs are equal
(``Design`` and ``design``) are one tag, shown with its first spelling.  The
pages exist only for builders that write extra pages (``html``, ``dirhtml``…,
not ``singlehtml``): they are produced from the domain's index at
``html-collect-pages``, on every build that writes anything, so they always
show the whole project; badges become links when a page is written, in the walk of
the page :class:`talkbase.structure.HtmlStructure` makes (an HTML post-transform:
every builder with tag pages writes HTML).
Page bodies are rendered by ``templates/talkbase/tag.html`` and ``tags.html``,
which a project can override from its own ``templates_path``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import escape
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import get_translation

from talkbase import collation
from talkbase.domain import kb_domain
from talkbase.l10n import format_date
from talkbase.model import TYPE_LABELS, Recommendation, Record, Talk
from talkbase.values import fold, slugify
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

    from talkbase.lookup import KBIndex
    from talkbase.nodes import kb_badge

_ = get_translation("talkbase")

TEMPLATES = Path(__file__).parent / "templates"
#: The overview page of all tags.
INDEX_PAGE = "tags/index"
#: Longest tag slug used as is in a page name (longer ones are cut and get a digest).
MAX_SLUG = 100
#: Class of the badges :func:`talkbase.render.badges` makes for tags.
BADGE_CLASS = "kb-tag"


@dataclass(slots=True)
class Tag:
    """One tag and the objects carrying it, in docname order."""

    slug: str
    name: str
    records: list[Record] = field(default_factory=list)


def tag_slug(text: str) -> str:
    """The page name part of a tag: its slug, or a digest if it has no ASCII letters.

    A slug longer than :data:`MAX_SLUG` keeps its start and gets a digest, so that the
    page's file name stays within what file systems allow (255 bytes).
    """
    slug = slugify(text)
    if slug == "index":  # the overview page's name
        return "tag-index"
    digest = hashlib.sha256(fold(text).encode()).hexdigest()[:12]
    if len(slug) > MAX_SLUG:
        return f"{slug[: MAX_SLUG - 13].rstrip('-')}-{digest}"
    return slug or "tag-" + digest


def page_name(slug: str) -> str:
    return f"tags/{slug}"


def collect_tags(index: KBIndex) -> dict[str, Tag]:
    """Every tag of a talk or recommendation, by slug (write phase)."""
    tags: dict[str, Tag] = {}
    for objtype in ("talk", "rec"):
        for record in index.objects[objtype].values():
            if not isinstance(record, Talk | Recommendation):
                continue
            for text in record.tags:
                slug = tag_slug(text)
                tag = tags.setdefault(slug, Tag(slug, text))
                if record not in tag.records:
                    tag.records.append(record)
    return tags


def has_tag_pages(builder: Builder) -> bool:
    """Whether ``builder`` writes the pages of ``html-collect-pages``."""
    return isinstance(builder, StandaloneHTMLBuilder) and not isinstance(builder, SingleFileHTMLBuilder)


def _sort_key(index: KBIndex, record: Record, language: str | None) -> tuple[object, ...]:
    date = index.talk_date(record) if isinstance(record, Talk) else ""
    return (record.objtype != "talk", not date, date, collation.sort_key(record.title, language), record.id)


def tag_context(app: Sphinx, index: KBIndex, tag: Tag) -> dict[str, Any]:
    """The template variables of one tag's page; every text is plain (the template escapes)."""
    builder, pagename = app.builder, page_name(tag.slug)
    entries = []
    for record in sorted(tag.records, key=lambda r: _sort_key(index, r, app.config.language)):
        date = index.talk_date(record) if isinstance(record, Talk) else ""
        entries.append({
            "objtype": record.objtype,
            "type": str(TYPE_LABELS[record.objtype]),
            "title": record.title,
            "href": builder.get_relative_uri(pagename, record.docname) + "#" + record.anchor,
            "date": format_date(date, app.config.language) if date else "",
        })
    heading = str(_("Tag"))
    return {
        # ``title`` is HTML in Sphinx's templates (the <title> and the relation bar).
        "title": str(escape(f"{heading}: {tag.name}")),
        "kb_heading": heading,
        "kb_tag": tag.name,
        "kb_entries": entries,
        "kb_index_href": builder.get_relative_uri(pagename, INDEX_PAGE),
        "kb_index_label": str(_("All tags")),
    }


def index_context(app: Sphinx, tags: dict[str, Tag]) -> dict[str, Any]:
    """The template variables of the overview page, tags A–Z with their counts."""
    builder = app.builder
    title = str(_("Tags"))
    listed = [
        {
            "name": tag.name,
            "count": len(tag.records),
            "href": builder.get_relative_uri(INDEX_PAGE, page_name(tag.slug)),
        }
        for tag in sorted(tags.values(), key=lambda t: (collation.sort_key(t.name, app.config.language), t.slug))
    ]
    return {"title": str(escape(title)), "kb_heading": title, "kb_tags": listed}


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The tag pages (``html-collect-pages``, after every page is written)."""
    if not has_tag_pages(app.builder):
        return
    index = kb_domain(app.env).index
    tags = collect_tags(index)
    for slug, tag in sorted(tags.items()):
        pagename = page_name(slug)
        if pagename in app.env.all_docs:
            warn(
                Subtype.DUPLICATE_ID,
                f"the page of tag {tag.name!r} would replace the document {pagename!r}; it is not written",
                location=pagename,
            )
            continue
        yield pagename, tag_context(app, index, tag), "talkbase/tag.html"
    if tags and INDEX_PAGE not in app.env.all_docs:
        yield INDEX_PAGE, index_context(app, tags), "talkbase/tags.html"


def link_badge(builder: Builder, docname: str, badge: kb_badge) -> None:
    """Replace a tag badge by a link to its tag page (write phase, from :class:`talkbase.structure.HtmlStructure`).

    The HTML post-transform calls this for each badge in the walk it already makes of
    the page, for builders :func:`has_tag_pages` (a ``doctree-resolved`` handler of
    its own walked every page a second time).  Badges of other kinds, and badges
    already inside a link, stay as they are.
    """
    if BADGE_CLASS not in badge["classes"] or isinstance(badge.parent, nodes.reference):
        return
    uri = builder.get_relative_uri(docname, page_name(tag_slug(badge.astext())))
    link = nodes.reference(
        "", "", *(child.deepcopy() for child in badge.children),
        refuri=uri, internal=True, classes=[*badge["classes"], "kb-tag-link"],
    )  # fmt: skip
    badge.replace_self(link)


def add_templates(app: Sphinx, config: Config) -> None:
    """Let builders find ``talkbase/*.html`` (config-inited), after the project's own."""
    path = str(TEMPLATES)
    if path not in config.templates_path:
        config.templates_path = [*config.templates_path, path]


def setup(app: Sphinx) -> None:
    app.connect("config-inited", add_templates)
    app.connect("html-collect-pages", collect_pages)

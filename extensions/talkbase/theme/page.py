"""Theme options turned into template values, the knowledge-base sidebar, dark code.

Runs when each HTML page is written (``html-page-context``), only for pages
rendered with the talkbase theme; the dark code stylesheet is written when the
build finishes (``build-finished``).

Options come from ``html_theme_options`` (declared in ``theme.toml``); each is
checked here so that templates only ever print safe values:

* ``accent_color`` / ``accent_color_dark``: a CSS colour (``#hex``, a name,
  ``rgb()``/``hsl()``/``oklch()``), else ignored with a warning;
* ``logo``: a path under ``html_static_path`` or an ``https:`` URL; falls back
  to ``html_logo``;
* ``repository_url``: shown in the header; ``edit_url``: a URL containing
  ``{path}``, replaced by the source file's path, shown as "Edit this page";
* ``kb_glossary`` / ``kb_graph``: document names for the knowledge-base
  sidebar, found automatically when empty (the first document defining a term;
  the first one with a ``kb-graph``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx.locale import get_translation
from sphinx.util import logging

from talkbase.domain import kb_domain
from talkbase.singlehtml import writes_index_pages
from talkbase.tags import INDEX_PAGE, collect_tags, has_tag_pages
from talkbase.theme import uses_theme

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_ = get_translation("talkbase")
logger = logging.getLogger(__name__)

_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(?:rgb|rgba|hsl|hsla|oklch|oklab)\([0-9a-zA-Z.,%/\s-]{1,80}\)")
#: ARIA mistakes in the HTML of Sphinx and docutils, and their correction: toctree captions are
#: headings without a level; citations are "doc-biblioentry" (deprecated, and not allowed in the
#: role="list" that holds them).
MARKUP_FIXES = (
    ('<p class="caption" role="heading">', '<p class="caption" role="heading" aria-level="2">'),
    ('role="doc-biblioentry"', 'role="listitem"'),
)
#: The stylesheet holding the dark code colours, scoped to the colour scheme.
DARK_CODE_CSS = "talkbase-pygments-dark.css"
#: The indices of the ``kb`` domain, with the sidebar label of each.
KB_INDICES = (
    ("kb-talkindex", _("Talks")),
    ("kb-speakerindex", _("Speakers")),
    ("kb-termindex", _("Terms")),
)


def colour(value: object, option: str) -> str:
    """``value`` if it is a plain CSS colour, else ``""`` (with a warning)."""
    text = str(value or "").strip()
    if not text:
        return ""
    if _COLOUR.fullmatch(text):
        return text
    logger.warning("talkbase theme: %s %r is not a CSS colour; ignored", option, text, once=True)
    return ""


def is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


@dataclass(slots=True)
class KBPages:
    """Where the knowledge-base sidebar links to (computed once per build)."""

    glossary: str = ""
    graph: str = ""
    tags: bool = False


@dataclass(slots=True)
class PageOptions:
    kb_pages: KBPages | None = None

    def reset(self, *_args: object) -> None:
        self.kb_pages = None

    def find_kb_pages(self, app: Sphinx, context: dict[str, Any]) -> KBPages:
        if self.kb_pages is None:
            domain = kb_domain(app.env)
            index = domain.index
            pages = KBPages(tags=has_tag_pages(app.builder) and bool(collect_tags(index)))
            pages.glossary = str(context.get("theme_kb_glossary") or "")
            if not pages.glossary:
                pages.glossary = min((term.docname for term in index.objects["term"].values()), default="")
            pages.graph = str(context.get("theme_kb_graph") or "")
            if not pages.graph:
                pages.graph = min(
                    (
                        docname
                        for docname, data in domain.docs.items()
                        if any(query.kind == "graph" and not query.get("own") for query in data.queries)
                    ),
                    default="",
                )
            self.kb_pages = pages
        return self.kb_pages

    def page_context(
        self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
    ) -> None:
        """Checked option values and sidebar links for the templates (``html-page-context``)."""
        if not uses_theme(context):
            return
        pathto = context["pathto"]
        context["talkbase_accent"] = colour(context.get("theme_accent_color"), "accent_color")
        context["talkbase_accent_dark"] = colour(context.get("theme_accent_color_dark"), "accent_color_dark")
        logo = str(context.get("theme_logo") or "").strip()
        if logo:
            context["talkbase_logo"] = logo if is_url(logo) else pathto(f"_static/{logo}", 1)
        else:
            context["talkbase_logo"] = context.get("logo_url") or ""
        repository = str(context.get("theme_repository_url") or "").strip()
        context["talkbase_repository"] = repository if is_url(repository) else ""
        edit = str(context.get("theme_edit_url") or "").strip()
        source_suffix = context.get("page_source_suffix")
        if is_url(edit) and "{path}" in edit and source_suffix and pagename in app.env.all_docs:
            context["talkbase_edit_url"] = edit.replace("{path}", pagename + str(source_suffix))
        self.dark_code(app, context)
        if "body" in context:
            context["body"] = fix_markup(context["body"])
        context["talkbase_kb_links"] = self.kb_links(app, context) if _true(context.get("theme_kb_sidebar")) else []

    def kb_links(self, app: Sphinx, context: dict[str, Any]) -> list[tuple[str, str]]:
        pathto = context["pathto"]
        # singlehtml prepares the domain indices but writes no page for them.
        written = writes_index_pages(app.builder)
        names = {name for name, *_rest in getattr(app.builder, "domain_indices", [])} if written else set()
        links = [(str(label), pathto(name)) for name, label in KB_INDICES if name in names]
        pages = self.find_kb_pages(app, context)
        if pages.tags:
            links.append((str(_("Tags")), pathto(INDEX_PAGE)))
        if pages.glossary in app.env.all_docs:
            links.append((str(_("Glossary")), pathto(pages.glossary)))
        if pages.graph in app.env.all_docs:
            links.append((str(_("Graph")), pathto(pages.graph)))
        return links

    @staticmethod
    def dark_code(app: Sphinx, context: dict[str, Any]) -> None:
        """Swap Sphinx's ``prefers-color-scheme`` code stylesheet for one following the toggle."""
        if getattr(app.builder, "dark_highlighter", None) is None:
            return
        css_files = context.get("css_files") or []
        context["css_files"] = [
            css for css in css_files if not str(getattr(css, "filename", css)).endswith("pygments_dark.css")
        ]
        context["talkbase_dark_code_css"] = context["pathto"](f"_static/{DARK_CODE_CSS}", 1)


def fix_markup(body: str) -> str:
    """``body`` with :data:`MARKUP_FIXES` applied (exact strings the writers produce)."""
    for wrong, right in MARKUP_FIXES:
        body = body.replace(wrong, right)
    return body


def _true(value: object) -> bool:
    return str(value).strip().lower() not in {"false", "0", "no", "off", ""}


def write_dark_code_css(app: Sphinx, exception: BaseException | None) -> None:
    """Write the dark code colours, scoped to ``data-scheme`` (``build-finished``)."""
    highlighter = getattr(app.builder, "dark_highlighter", None)
    theme = getattr(app.builder, "theme", None)
    if exception is not None or highlighter is None or theme is None:
        return
    if "kb_sidebar" not in theme.get_options():
        return
    formatter = highlighter.get_formatter()
    blocks = []
    for scheme in ('[data-scheme="dark"]', ":not([data-scheme])"):
        prefix = f"html{scheme} .highlight"
        # Pygments adds unscoped rules (pre, line numbers) that would leak into the light scheme.
        rules = [line for line in formatter.get_style_defs([prefix]).splitlines() if line.startswith(prefix)]
        blocks.append(
            f"{prefix} span{{color:inherit;background:none;font-weight:inherit;font-style:inherit}}\n"
            + "\n".join(rules)
            + f"\n{prefix} .hll{{background:#2f3742}}\n"
        )
    text = f"{blocks[0]}@media (prefers-color-scheme: dark) {{\n{blocks[1]}}}\n"
    static = app.builder.outdir / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / DARK_CODE_CSS).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    options = PageOptions()
    app.connect("builder-inited", options.reset)
    app.connect("env-updated", options.reset)
    app.connect("html-page-context", options.page_context)
    app.connect("build-finished", write_dark_code_css)

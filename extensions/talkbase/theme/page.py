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
from talkbase.incremental import digest
from talkbase.l10n import N_
from talkbase.model import GraphParams
from talkbase.singlehtml import one_page_per_document
from talkbase.tags import INDEX_PAGE, collect_tags, has_tag_pages
from talkbase.theme import builder_uses_theme, uses_theme

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_ = get_translation("talkbase")
logger = logging.getLogger(__name__)

_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(?:rgb|rgba|hsl|hsla|oklch|oklab)\([0-9a-zA-Z.,%/\s-]{1,80}\)")
#: The stylesheet holding the dark code colours, scoped to the colour scheme.
DARK_CODE_CSS = "talkbase-pygments-dark.css"
#: The indices of the ``kb`` domain, with the sidebar label of each and the objects it lists
#: (Sphinx writes an index, and the sidebar links to it, when it lists something).
KB_INDICES = (
    ("kb-talkindex", N_("Talks"), "talk"),
    ("kb-speakerindex", N_("Speakers"), "speaker"),
    ("kb-termindex", N_("Terms"), "term"),
)
#: Key of the kb domain's data holding the digest of the last build's sidebar, by builder.
SIDEBAR_KEY = "theme-sidebar"


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
    #: The object types of the kb indices that list something.
    indices: tuple[str, ...] = ()


def kb_pages(app: Sphinx, glossary: str, graph: str) -> KBPages:
    """What the knowledge-base sidebar of every page shows of the project.

    ``glossary`` and ``graph`` are the theme options (empty: found in the project).
    Read when pages are written (:meth:`PageOptions.kb_links`) and after reading
    (:func:`outdated_sidebars`): one function for both, so that every page is
    written again when its sidebar would change.
    """
    domain = kb_domain(app.env)
    index = domain.index
    pages = KBPages(tags=has_tag_pages(app.builder) and bool(collect_tags(index)))
    pages.indices = tuple(objtype for _name, _label, objtype in KB_INDICES if index.objects[objtype])
    pages.glossary = glossary or min((term.docname for term in index.objects["term"].values()), default="")
    pages.graph = graph or min(
        (
            docname
            for docname, data in domain.docs.items()
            if any(isinstance(query.params, GraphParams) and not query.params.own for query in data.queries)
        ),
        default="",
    )
    return pages


@dataclass(slots=True)
class PageOptions:
    kb_pages: KBPages | None = None

    def reset(self, *_args: object) -> None:
        self.kb_pages = None

    def find_kb_pages(self, app: Sphinx, context: dict[str, Any]) -> KBPages:
        if self.kb_pages is None:
            glossary, graph = str(context.get("theme_kb_glossary") or ""), str(context.get("theme_kb_graph") or "")
            self.kb_pages = kb_pages(app, glossary, graph)
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
        context["talkbase_kb_links"] = self.kb_links(app, context) if _true(context.get("theme_kb_sidebar")) else []

    def kb_links(self, app: Sphinx, context: dict[str, Any]) -> list[tuple[str, str]]:
        pathto = context["pathto"]
        # singlehtml prepares the domain indices but writes no page for them.
        written = one_page_per_document(app.builder)
        names = {name for name, *_rest in getattr(app.builder, "domain_indices", [])} if written else set()
        pages = self.find_kb_pages(app, context)
        listed = [(name, label) for name, label, objtype in KB_INDICES if name in names and objtype in pages.indices]
        links = [(_(label), pathto(name)) for name, label in listed]
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


def outdated_sidebars(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page, when the knowledge-base sidebar they all show changed (``env-updated``).

    The sidebar links to the kb indices, the tags, the glossary and the graph
    page, found in the whole project: adding the first term or moving the graph
    changes it on pages that were not read again.
    """
    if not builder_uses_theme(app.builder):
        return []
    options = app.builder.theme.get_options(app.builder.theme_options)  # type: ignore[attr-defined]
    shown = None
    if _true(options["kb_sidebar"]):
        shown = kb_pages(app, str(options.get("kb_glossary") or ""), str(options.get("kb_graph") or ""))
    # By builder: the tags and indices an output has depend on it, and builders share the environment.
    stored = kb_domain(env).data.setdefault(SIDEBAR_KEY, {})
    now, before = digest(("sidebar", shown)), stored.get(app.builder.name)
    stored[app.builder.name] = now
    return sorted(env.all_docs) if before is not None and before != now else []


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
    app.connect("env-updated", outdated_sidebars)
    app.connect("html-page-context", options.page_context)
    app.connect("build-finished", write_dark_code_css)

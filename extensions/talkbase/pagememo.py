"""The index pages of the last build, kept next to the doctrees: a rebuild renders them again
only when what they show changed.

Sphinx writes ``genindex.html`` and every domain index page (talkbase's three among
them) on every build that writes, a no-op rebuild included, and each lists every
object of the project: rendering them through the theme's templates was most of what
a no-op rebuild costs over plain Sphinx.  So the HTML of each such page is kept in
``<doctreedir>/talkbase-pages.pickle`` with a digest of everything its template
reads (every value of the page's context, the tags its style sheets and scripts
become, the documents ``hasdoc`` can find, the templates' newest modification time,
the builder, Sphinx's digests of the configuration and tags, the extensions'
versions, the translation catalogues); a page whose digest is unchanged is written
from the kept HTML through ``talkbase/verbatim.html``.  A page whose template calls
anything else of its context (``toctree``, a theme's own function…) is not kept:
what that returns is not in the digest.  A build whose configuration changed uses
nothing kept (what ``pathto`` makes depends on it) and keeps what it renders for
the next build.

Runs last of the ``html-page-context`` handlers (``html`` and ``dirhtml`` builders,
in the main process, which writes the index pages); the file is written at
``build-finished``.  The file is a cache: a missing, unreadable or foreign one is
made again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkbase import __version__, keptfile

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

FILE_NAME = "talkbase-pages.pickle"
#: Bump when what is kept changes shape.
FORMAT = 1
VERBATIM = "talkbase/verbatim.html"
#: The templates of the pages kept.
TEMPLATES = frozenset({"genindex.html", "genindex-split.html", "genindex-single.html", "domainindex.html"})
#: The context's functions whose results the digest covers: ``pathto`` (the builder, the
#: page and the configuration), ``hasdoc`` (the documents) and the asset tags (their output).
_COVERED = frozenset({"pathto", "hasdoc", "css_tag", "js_tag"})
_HANDLED = frozenset({"css_files", "script_files", "talkbase_verbatim"})


class _Memo:
    """The kept pages of one build: those loaded, and those this build wrote."""

    def __init__(self, app: Sphinx) -> None:
        self.path = Path(app.doctreedir) / FILE_NAME
        self.kept: dict[str, tuple[str, str]] = {}
        # A changed configuration (what ``pathto`` and the templates' functions read):
        # nothing kept is trusted, what this build renders is kept for the next.
        if not getattr(app, "_talkbase_config_changed", True):
            loaded = keptfile.load(self.path)
            kept = loaded[1] if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == FORMAT else None
            if isinstance(kept, dict):
                self.kept = kept
        self.written: dict[str, tuple[str, str]] = {}
        self.common = _common(app)


def _common(app: Sphinx) -> str:
    """What every kept page depends on besides its own context, once per build."""
    builder = app.builder
    versions = sorted((name, str(extension.version)) for name, extension in app.extensions.items())
    templates = getattr(builder, "templates", None)
    newest = templates.newest_template_mtime() if templates is not None else None
    # Sphinx's digests of the configuration values and tags that change HTML output
    # (``html`` values: the builder rewrites every page when they change; a changed
    # ``env`` value is the configuration status :class:`_Memo` checks).
    info = getattr(builder, "build_info", None)
    hashes = (getattr(info, "config_hash", None), getattr(info, "tags_hash", None))
    # The catalogues the templates' labels come from (the language is a configuration value).
    folders = [Path(__file__).parent / "locale", *(Path(app.srcdir, name) for name in app.config.locale_dirs)]
    catalogues = keptfile.stamps(sorted(path for folder in folders for path in folder.glob("*/LC_MESSAGES/*.mo")))
    whole = (FORMAT, __version__, builder.name, type(builder).__qualname__, versions, newest, hashes, catalogues,
             getattr(builder, "search", None) is not None, sorted(app.env.all_docs))  # fmt: skip
    return hashlib.sha256(repr(whole).encode("utf-8")).hexdigest()


def _digest(common: str, pagename: str, templatename: str, ctx: dict[str, Any]) -> str | None:
    """A digest of what the page's template reads, or None when it cannot be made."""
    values = []
    for key in sorted(ctx):
        value = ctx[key]
        if key in _HANDLED or callable(value):
            continue
        values.append((key, value))
    try:
        css = [ctx["css_tag"](item) for item in sorted(ctx.get("css_files", ()), key=lambda item: item.priority)]
        js = [ctx["js_tag"](item) for item in sorted(ctx.get("script_files", ()), key=lambda item: item.priority)]
    except (AttributeError, KeyError, TypeError):
        return None
    text = repr((common, pagename, templatename, values, css, js))
    if " at 0x" in text:
        return None  # an object shown by its address: not the same object next build
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _recording(function: Callable[..., Any], used: list[str], name: str) -> Callable[..., Any]:
    def recorded(*args: Any, **kwargs: Any) -> Any:
        used.append(name)
        return function(*args, **kwargs)

    return recorded


def page_context(app: Sphinx, pagename: str, templatename: str, ctx: dict[str, Any], doctree: object) -> str | None:
    """Write an index page from the kept HTML when its digest is unchanged (``html-page-context``)."""
    builder = app.builder
    if doctree is not None or templatename not in TEMPLATES or builder.name not in {"html", "dirhtml"}:
        return None
    memo: _Memo | None = getattr(app, "_talkbase_page_memo", None)
    if memo is None:
        memo = _Memo(app)
        app._talkbase_page_memo = memo  # type: ignore[attr-defined]  # this build's only
    key = _digest(memo.common, pagename, templatename, ctx)
    if key is None:
        return None
    kept = memo.kept.get(pagename)
    if kept is not None and kept[0] == key:
        memo.written[pagename] = kept
        ctx["talkbase_verbatim"] = kept[1]
        return VERBATIM
    rendered = _render(builder, templatename, ctx)  # type: ignore[arg-type]
    if rendered is None:
        return None
    output, keep = rendered
    if keep:
        memo.written[pagename] = (key, output)
    ctx["talkbase_verbatim"] = output  # rendered once, here
    return VERBATIM


def _render(builder: StandaloneHTMLBuilder, templatename: str, ctx: dict[str, Any]) -> tuple[str, bool] | None:
    """The page as Sphinx renders it, and whether it may be kept (its template called
    nothing the digest does not cover); None when it fails (Sphinx renders it and reports)."""
    used: list[str] = []
    from talkbase.theme.i18n import theme_gettext, theme_ngettext  # noqa: PLC0415

    # The theme's translating functions: the language and the catalogues are in the digest.
    pure = (theme_gettext, theme_ngettext)
    saved = {
        name: value
        for name, value in ctx.items()
        if callable(value) and name not in _COVERED and not any(value is function for function in pure)
    }
    for name, value in saved.items():
        ctx[name] = _recording(value, used, name)
    # as Sphinx does after this event, before it renders
    sorting = dict(ctx)
    try:
        sorting["script_files"] = sorted(ctx["script_files"], key=lambda item: item.priority)
        sorting["css_files"] = sorted(ctx["css_files"], key=lambda item: item.priority)
        output = builder.templates.render(templatename, sorting)
    except Exception:  # Sphinx renders it again and says what failed
        return None
    finally:
        ctx.update(saved)
    return output, not used


def save(app: Sphinx, exception: BaseException | None) -> None:
    """Keep the pages this build wrote (``build-finished``)."""
    memo: _Memo | None = getattr(app, "_talkbase_page_memo", None)
    if memo is None:
        return
    del app._talkbase_page_memo  # type: ignore[attr-defined]
    if exception is None and memo.written != memo.kept:
        keptfile.save(memo.path, (FORMAT, memo.written))


def note_configuration(app: Sphinx) -> None:
    """Whether the configuration changed since the last build (``builder-inited``: Sphinx
    sets the status to "unchanged" once it has read the documents)."""
    from sphinx.environment import CONFIG_OK  # noqa: PLC0415

    app._talkbase_config_changed = app.env.config_status != CONFIG_OK  # type: ignore[attr-defined]


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", note_configuration)
    app.connect("html-page-context", page_context, priority=999)
    app.connect("build-finished", save)

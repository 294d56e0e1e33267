"""The theme's labels in the reader's language.

Sphinx's Jinja environment translates ``_()`` and ``{% trans %}`` through Sphinx's
own catalogue only; the theme's strings live in talkbase's catalogue.  This
handler gives each page's template a ``gettext`` that looks in talkbase's
catalogue first and falls back to Sphinx's (for strings such as "Search").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.locale import get_translator

from talkbase.theme import uses_theme

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def theme_gettext(message: str) -> str:
    # Untranslated: Jinja's i18n extension does the %-formatting itself.
    translated = get_translator("talkbase").gettext(message)
    return translated if translated != message else get_translator("sphinx").gettext(message)


def theme_ngettext(singular: str, plural: str, count: int) -> str:
    translated = get_translator("talkbase").ngettext(singular, plural, count)
    if translated not in {singular, plural}:
        return translated
    return get_translator("sphinx").ngettext(singular, plural, count)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Install the translating functions in the page's template context (write phase)."""
    if uses_theme(context):
        context["_"] = context["gettext"] = theme_gettext
        context["ngettext"] = theme_ngettext


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", page_context)

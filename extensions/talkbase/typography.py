"""Smart quotes for the text talkbase takes out of a document while reading it.

Sphinx curls the quotes, dashes and ellipses of a page's text (``smartquotes``,
on by default) in a transform that runs after parsing, so an object's title and
summary, taken from the directive while parsing, would keep the straight marks
the author typed while the page heading above the object shows curly ones ("l’entreprise"
over a card "l'entreprise").  talkbase applies the same transformation, with the same
settings, to that text (read phase), so a title reads the same in the page's heading,
its card, links, listings, previews, exports and the PDF.  ``smartquotes = False``
turns it off for both.

One difference: Sphinx leaves the page's quotes straight for the builders of
``smartquotes_excludes`` (``man`` and ``text``); talkbase's text does not depend on
the builder, because the records are read once for every builder.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from docutils.utils import normalize_language_tag, smartquotes

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.frontend import Values
    from sphinx.config import Config


def smartquotes_language(config: Config, settings: Values | None = None) -> str:
    """The language whose quotes Sphinx's ``SmartQuotes`` transform uses ("" for none).

    The checks of ``sphinx.transforms.SphinxSmartQuotes.is_available`` but the
    builder's: the ``smartquotes`` option, the docutils ``smart_quotes`` setting of
    the document (``settings``, if known), the excluded languages.
    """
    if not config.smartquotes or getattr(settings, "smart_quotes", True) is False:
        return ""
    if config.language in config.smartquotes_excludes.get("languages", []):
        return ""
    code = getattr(settings, "language_code", "") or config.language or "en"
    # Not cached itself: docutils' ``smartquotes_locales`` setting adds to ``quotes``.
    return next((tag for tag in _language_tags(code) if tag in smartquotes.smartchars.quotes), "")


@cache
def _language_tags(code: str) -> tuple[str, ...]:
    """``normalize_language_tag``, asked for every object's title and summary."""
    return tuple(normalize_language_tag(code))


def educate_tokens(tokens: Iterable[tuple[str, str]], language: str, action: str) -> list[str]:
    """Curl ``("plain", text)`` tokens in context; ``("literal", text)`` ones are kept as they are."""
    if not language:
        return [text for _kind, text in tokens]
    # smartquotes reads a backslash as an escape; here every backslash is the author's own.
    escaped = [(kind, text.replace("\\", "\\\\") if kind == "plain" else text) for kind, text in tokens]
    return list(smartquotes.educate_tokens(escaped, attr=action, language=language))


def educate(config: Config, text: str, settings: Values | None = None) -> str:
    """``text`` as Sphinx shows it in a page: ``l'entreprise`` -> ``l’entreprise`` (read phase)."""
    language = smartquotes_language(config, settings)
    return "".join(educate_tokens([("plain", text)], language, config.smartquotes_action))

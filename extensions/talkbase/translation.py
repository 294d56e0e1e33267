"""Translated content: an object's title through the project's own catalogues.

Sphinx's ``Locale`` transform translates a document's paragraphs after it is
parsed, but an object's record (whose title every link, listing, index, export
and search result shows) is made while parsing.  So the object directives look
their title up themselves, in the catalogue the ``Locale`` transform uses for
the same document (``locale_dirs``, ``language``, ``gettext_compact``), and mark
the title node so that the ``gettext`` builder extracts it (read phase).
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.i18n import docname_to_domain

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.environment import BuildEnvironment

#: Class of the node holding an object's own title (talk, event, speaker, recommendation, term).
TITLE_CLASS = "kb-title-text"


#: Key in ``env.current_document`` (reset for every document): the catalogues of its text domain.
_CATALOGUES = "talkbase:catalogues"


def translate_title(env: BuildEnvironment, title: str) -> str:
    """``title`` in ``language`` if the current document's catalogue translates it (read phase).

    The message id is the title as written, spaces collapsed: what the ``gettext``
    builder extracts from the node :func:`mark_translatable` marks.
    """
    if not title or not env.config.language:
        return title
    # Looked for once per document, not once per object: a page of talks shares one domain.
    catalogues = env.current_document.get(_CATALOGUES)
    if catalogues is None:
        catalogues = env.current_document[_CATALOGUES] = _document_catalogues(env)
    for catalogue in catalogues:
        translated = catalogue.gettext(title)
        if translated != title:
            return translated
    return title


def _document_catalogues(env: BuildEnvironment) -> list[gettext.GNUTranslations]:
    """The compiled catalogues of the current document's text domain, in ``locale_dirs`` order."""
    config = env.config
    domain = docname_to_domain(env.docname, config.gettext_compact)
    found = []
    for directory in config.locale_dirs:
        # Sphinx compiles the .po files of locale_dirs before reading (gettext_auto_build).
        path = gettext.find(domain, str(env.srcdir / directory), [config.language])
        if path is None:
            continue
        try:
            found.append(_catalogue(path, Path(path).stat().st_mtime_ns))
        except OSError:
            continue
    return found


@lru_cache(maxsize=32)
def _catalogue(path: str, mtime_ns: int) -> gettext.GNUTranslations:
    """A compiled catalogue, read again when it changes (``gettext.translation`` never does)."""
    with Path(path).open("rb") as stream:
        return gettext.GNUTranslations(stream)


def mark_translatable(
    elements: Iterable[nodes.Element], source: str | None, line: int | None, message: str = ""
) -> None:
    """Make the title nodes among ``elements`` (an object's own) messages of their document (read phase).

    ``message`` is the title as written (the message id, as Sphinx's own for a
    heading: before smart quotes), given when the catalogue has no translation
    for it; otherwise the ``rawsource`` is the translated text the node shows, so
    the ``Locale`` transform finds no message for it and leaves it alone.  Title
    nodes are never ``nodes.inline``: Sphinx unwraps inlines marked translatable
    (``RemoveTranslatableInline``).
    """
    for title in elements:
        if isinstance(title, nodes.TextElement) and TITLE_CLASS in title["classes"] and not title.get("translatable"):
            title["translatable"] = True
            title.source, title.line = source, line
            title.rawsource = message or title.astext()


def other_language(code: str, page_language: str | None) -> str:
    """``code`` when text in that language sits on a page in ``page_language``, else ``""``.

    ``fr`` on an ``en`` page is marked; ``fr`` on an ``fr_FR`` page is not.
    """
    if not code or code == "und":
        return ""
    page = (page_language or "en").replace("_", "-").lower()
    own = code.lower()
    return "" if page == own or page.startswith(own + "-") else code

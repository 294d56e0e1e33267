"""Citation formats, each built from one :class:`~talkbase.cite.record.Citation`.

Called when a "Cite this" block is filled (write phase) and when the exports are
written (``build-finished``).  Nothing here reads the project: a format is a pure
function of the citation record.

- BibTeX: an ``@unpublished`` entry (biblatex: "a work … not formally published,
  such as … the script of a talk") with ``note = {Conference presentation}``,
  built as a :class:`pybtex.database.Entry` and written by pybtex's writer.
- RIS: ``TY  - SLIDE``, the RIS type of a slide presentation, which is what
  Zotero's RIS translator maps to and from its *presentation* item type
  (``CPAPER``/``CONF`` would import as a conference paper).  ``T2`` is the
  meeting name, ``CY`` its place, ``M3`` the presentation type.
- CSL-JSON: an item of type ``speech`` (CSL-JSON schema 1.0.2).
- APA 7 "conference presentation" reference, as docutils nodes or plain text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from docutils import nodes
from pybtex.database import BibliographyData, Entry
from pybtex.database import Person as BibPerson
from pybtex.database.output.bibtex import Writer
from sphinx.locale import get_translation

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.nodes import Node

    from talkbase.cite.record import Citation, Person

_ = get_translation("talkbase")

#: The genre of every talk, in BibTeX ``note`` and CSL ``genre`` (untranslated: data, not a label).
GENRE = "Conference presentation"

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: pybtex's writer encodes text with latexcodec (``%`` -> ``\%``, ``&`` -> ``\&``…) but
#: passes ``\``, ``{`` and ``}`` through as LaTeX syntax.  A talk's text is never LaTeX,
#: so these three become balanced groups first: the entry then parses in BibTeX, biber
#: and pybtex whatever the text, and typesets as the literal characters.
_LATEX_SYNTAX = str.maketrans({"\\": "{\\textbackslash}", "{": "{\\textbraceleft}", "}": "{\\textbraceright}"})


def date_parts(date: str) -> list[int]:
    """``"2011-09-05"`` -> ``[2011, 9, 5]`` (shorter for ``YYYY-MM`` or ``YYYY``; empty if not ISO)."""
    match = _ISO_DATE.match(date)
    return [int(part) for part in match.groups() if part] if match else []


# -- BibTeX ------------------------------------------------------------------------------


#: Fields biber and the ``url`` package read verbatim: written as they are, not LaTeX-encoded.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint"})


class _Writer(Writer):  # type: ignore[misc]
    """pybtex's BibTeX writer, leaving the verbatim fields unencoded."""

    def _write_field(self, stream: io.StringIO, type: str, value: str) -> None:
        if type in VERBATIM_FIELDS:
            stream.write(f",\n    {type} = {self.quote(value)}")
        else:
            super()._write_field(stream, type, value)


def _bib_url(url: str) -> str:
    """A URL safe in a verbatim field: the characters BibTeX would read as syntax are percent-encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _bib_text(text: str) -> str:
    return text.translate(_LATEX_SYNTAX)


def _bib_person(person: Person) -> BibPerson:
    if person.family:
        return BibPerson(first=_bib_text(person.given), last=_bib_text(person.family))
    # A name kept whole (an organisation, a pseudonym) is one brace-protected last name.
    return BibPerson(last="{" + _bib_text(person.literal) + "}")


def bibtex_entry(citation: Citation, *, classic: bool = False) -> Entry:
    """The pybtex entry of a talk (``@unpublished``).

    ``classic``: for the styles of classic BibTeX and pybtex (``plain``, ``alpha``…),
    which show only ``note`` and ``month year`` of an ``@unpublished`` entry: the event
    and its place go into ``note``, the month (a number, printed as it is) is left out,
    and the title is brace-protected so that no style changes its case.
    """
    note = ", ".join(text for text in (GENRE, citation.event, citation.place) if text) if classic else GENRE
    fields: dict[str, str] = {"title": citation.title, "note": note}
    parts = date_parts(citation.date)
    if parts:
        fields["year"] = str(parts[0])
        if len(parts) > 1 and not classic:
            fields["month"] = str(parts[1])
        fields["date"] = citation.date
    optional = {
        "eventtitle": citation.event,
        "venue": citation.place,
        "address": citation.place,
        "url": citation.url,
        "language": citation.language,
        "keywords": ", ".join(citation.keywords),
        "abstract": citation.abstract,
    }
    fields.update((name, value) for name, value in optional.items() if value)
    persons = {"author": [_bib_person(person) for person in citation.authors]} if citation.authors else {}
    encoded = {name: _bib_url(value) if name in VERBATIM_FIELDS else _bib_text(value) for name, value in fields.items()}
    if classic:  # a talk's title is shown as written: braces keep styles from changing its case
        encoded["title"] = "{" + encoded["title"] + "}"
    return Entry("unpublished", fields=encoded, persons=persons)


def bibtex(citation: Citation) -> str:
    """The BibTeX entry of one talk, as written by pybtex."""
    return bibtex_all([citation])


def bibtex_all(citations: Iterable[Citation], *, classic: bool = False) -> str:
    """The BibTeX entries of several talks, in the given order (``classic``: see :func:`bibtex_entry`)."""
    data = BibliographyData(
        entries=[(citation.key, bibtex_entry(citation, classic=classic)) for citation in citations]
    )
    stream = io.StringIO()
    _Writer(encoding="UTF-8").write_stream(data, stream)
    return stream.getvalue()


# -- RIS ---------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris(citation: Citation) -> str:
    """The RIS record of a talk (``TY  - SLIDE``), lines ending with ``\\n``."""
    lines = [_ris_line("TY", "SLIDE"), _ris_line("ID", citation.key), _ris_line("TI", citation.title)]
    for person in citation.authors:
        name = f"{person.family}, {person.given}" if person.family else person.literal
        lines.append(_ris_line("AU", name))
    parts = date_parts(citation.date)
    if parts:
        lines.append(_ris_line("PY", str(parts[0])))
        padded = [f"{part:02d}" for part in parts[1:]]
        lines.append(_ris_line("DA", "/".join([str(parts[0]), *padded, *[""] * (2 - len(padded))]) + "/"))
    optional = [
        ("T2", citation.event),
        ("CY", citation.place),
        ("M3", GENRE),
        ("LA", citation.language),
        *(("KW", keyword) for keyword in citation.keywords),
        ("AB", citation.abstract),
        ("UR", citation.url),
    ]
    lines.extend(_ris_line(tag, value) for tag, value in optional if value.strip())
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


# -- CSL-JSON ----------------------------------------------------------------------------


def csl_json(citation: Citation) -> dict[str, Any]:
    """The CSL-JSON item of a talk (type ``speech``), valid against CSL-JSON schema 1.0.2."""
    item: dict[str, Any] = {
        "id": citation.key,
        "citation-key": citation.key,
        "type": "speech",
        "title": citation.title,
        "genre": GENRE,
    }
    if citation.authors:
        item["author"] = [
            {"family": person.family, "given": person.given} if person.family else {"literal": person.literal}
            for person in citation.authors
        ]
    parts = date_parts(citation.date)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    optional = {
        "event-title": citation.event,
        "event-place": citation.place,
        "URL": citation.url,
        "language": citation.language,
        "keyword": ", ".join(citation.keywords),
        "abstract": citation.abstract,
    }
    item.update((name, value) for name, value in optional.items() if value)
    return item


# -- APA ---------------------------------------------------------------------------------


def initials(given: str) -> str:
    """``"Anne-Sophie"`` -> ``"A.-S."``, ``"Jean Paul"`` -> ``"J. P."``."""
    words = []
    for word in given.split():
        parts = [part for part in word.split("-") if part]
        words.append("-".join(f"{part[0]}." for part in parts))
    return " ".join(words)


def _apa_name(person: Person) -> str:
    if not person.family:
        return person.literal
    return f"{person.family}, {initials(person.given)}" if person.given else person.family


def apa_authors(authors: tuple[Person, ...]) -> str:
    """APA 7 author list: ``A, B, & C``; 21 or more: the first 19, an ellipsis, the last."""
    names = [_apa_name(person) for person in authors]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _locale(language: str | None) -> Locale:
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def apa_date(date: str, language: str | None) -> str:
    """``2011, September 5`` (the month and day in the reader's language), ``n.d.`` without a date."""
    parts = date_parts(date)
    if not parts:
        return str(_("n.d."))
    if len(parts) == 1:
        return str(parts[0])
    locale = _locale(language)
    try:
        day = dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return date
    shown = format_skeleton("MMMMd", day, locale=locale) if len(parts) > 2 else format_date(day, "LLLL", locale=locale)
    return f"{parts[0]}, {shown}"


def apa_parts(citation: Citation, language: str | None) -> list[tuple[str, str]]:
    """The APA reference as ``(kind, text)`` parts: kind is ``text``, ``title`` or ``url``."""
    authors = apa_authors(citation.authors)
    head = f"{authors} ({apa_date(citation.date, language)}). " if authors else ""
    parts = [("text", head), ("title", citation.title)]
    if not authors:  # APA: without an author the title moves to the front, then the date
        parts.append(("text", f" ({apa_date(citation.date, language)})"))
    source = ", ".join(text for text in (citation.event, citation.place) if text)
    genre = str(_("Conference presentation"))  # outside the f-string, so the extractor finds it
    tail = f" [{genre}]."
    if source:
        tail += f" {source}{'' if source.endswith('.') else '.'}"
    parts.append(("text", tail))
    if citation.url:
        parts.extend([("text", " "), ("url", citation.url)])
    return parts


def apa_text(citation: Citation, language: str | None) -> str:
    """The APA reference as plain text."""
    return "".join(text for _kind, text in apa_parts(citation, language))


def apa(citation: Citation, language: str | None) -> list[Node]:
    """The APA reference as inline docutils nodes (title in italics, URL as a link)."""
    result: list[Node] = []
    for kind, text in apa_parts(citation, language):
        if kind == "title":
            result.append(nodes.emphasis(text, text, classes=["kb-cite-title"]))
        elif kind == "url":
            result.append(nodes.reference(text, text, refuri=text))
        elif text:
            result.append(nodes.Text(text))
    return result

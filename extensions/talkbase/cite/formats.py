"""Citation formats, each built from one :class:`~talkbase.cite.record.Citation`.

Called when a "Cite this" block is filled (write phase) and when the exports are
written (``build-finished``).  Nothing here reads the project: a format is a pure
function of the citation record.

- BibTeX: an ``@unpublished`` entry (biblatex: "a work … not formally published,
  such as … the script of a talk") with ``note = {Conference presentation}``,
  built as a :class:`pybtex.database.Entry` and written by pybtex's writer.  Every
  LaTeX special character of every field is escaped (:func:`latex_text`), the month
  is a ``jan``…``dec`` macro (classic styles print its name, biber reads it), the
  title is brace-protected (no style changes its case), suffixes are BibTeX's "Jr"
  part (``King, Jr., Martin Luther``).  The file typesets with pdflatex (its text in
  Latin-1 and typographic quotes), xelatex and lualatex, with biblatex + biber and
  with classic BibTeX.
- RIS: ``TY  - SLIDE``, the RIS type of a slide presentation, which is what
  Zotero's RIS translator maps to and from its *presentation* item type
  (``CPAPER``/``CONF`` would import as a conference paper).  ``T2`` is the
  meeting name, ``CY`` its place, ``M3`` the presentation type.  Lines end with
  CRLF, as the RIS specification says.
- CSL-JSON: an item of type ``speech`` (CSL-JSON schema 1.0.2).
- APA 7 "conference presentation" reference, as docutils nodes or plain text:
  :mod:`talkbase.cite.apa`.

Each talk's BibTeX, RIS and CSL-JSON are made once per build: :func:`bibtex`,
:func:`ris` and :func:`csl_json` are memoised on the (frozen) citation record, so
the "Cite this" block of a page (write phase) and the exports (``build-finished``)
share the same texts; :func:`clear_caches` empties them at the end of the build.
"""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from talkbase.cite.apa import apa, apa_authors, apa_date, apa_parts, date_parts, initials

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pybtex.database import Entry
    from pybtex.database import Person as BibPerson

    from talkbase.cite.record import Citation, Person

#: The genre of every talk, in BibTeX ``note`` and CSL ``genre`` (untranslated: data, not a label).
GENRE = "Conference presentation"

#: A talk's text is never LaTeX: every character LaTeX or BibTeX reads as syntax becomes a
#: command that typesets it.  Braces become balanced groups (BibTeX counts braces even
#: after a backslash), so an entry parses in BibTeX, biber and pybtex whatever the text.
_LATEX_SPECIALS = str.maketrans(
    {
        "\\": "{\\textbackslash}",
        "{": "{\\textbraceleft}",
        "}": "{\\textbraceright}",
        "$": "\\$",
        "%": "\\%",
        "&": "\\&",
        "#": "\\#",
        "_": "\\_",
        "~": "{\\textasciitilde}",
        "^": "{\\textasciicircum}",
        # Not special, but typeset as other glyphs by pdflatex's default (OT1) fonts.
        "<": "{\\textless}",
        ">": "{\\textgreater}",
        "|": "{\\textbar}",
    }
)

#: BibTeX's month macros, understood by every BibTeX style, biber and pybtex.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


# -- BibTeX ------------------------------------------------------------------------------


#: Fields biber and the ``url`` package read verbatim: written as they are, not LaTeX-encoded.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint"})


@cache
def _writer() -> Any:
    """pybtex's BibTeX writer for text escaped by :func:`latex_text`: fields are written
    as they are (pybtex's own encoding escapes only some specials), the month as a macro.

    Made when a build first writes BibTeX: pybtex's writer imports ``latexcodec``,
    which a rebuild that writes no talk page never needs.
    """
    from pybtex.database.output.bibtex import Writer  # noqa: PLC0415 (see above)

    class _Writer(Writer):  # type: ignore[misc]
        def _encode(self, text: str) -> str:
            return text

        def _write_field(self, stream: io.StringIO, type: str, value: str) -> None:
            if type == "month" and value in MONTHS:
                stream.write(f",\n    {type} = {value}")
            else:
                stream.write(f",\n    {type} = {self.quote(value)}")

    return _Writer


def _bib_url(url: str) -> str:
    """A URL safe in a verbatim field: the characters BibTeX would read as syntax are percent-encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def latex_text(text: str) -> str:
    """Plain text as LaTeX that typesets it (the BibTeX escaping function)."""
    return text.translate(_LATEX_SPECIALS)


_bib_text = latex_text


def _bib_family(family: str) -> str:
    """Classic BibTeX reads a non-ASCII letter as case-less, so it splits ``Ça-Ñoño`` at the
    hyphen into "von" and "Last" parts and prints ``Ça Ñoño``: such words are one brace group."""
    return " ".join(
        f"{{{word}}}" if "-" in word and not word.isascii() else word for word in _bib_text(family).split(" ")
    )


def _bib_person(person: Person) -> BibPerson:
    # pybtex is imported when a build first writes BibTeX: a rebuild that writes no talk
    # page and no export never needs it (it costs more than any other import of talkbase).
    from pybtex.database import Person as BibPerson  # noqa: PLC0415

    if person.family:
        return BibPerson(
            first=_bib_text(person.given), last=_bib_family(person.family), lineage=_bib_text(person.suffix)
        )
    # A name kept whole (an organisation, a pseudonym) is one brace-protected last name.
    return BibPerson(last="{" + _bib_text(person.literal) + "}")


def _bib_field(name: str, value: str) -> str:
    if name in ("year", "month", "date"):  # digits, a macro name, an ISO date (range)
        return value
    return _bib_url(value) if name in VERBATIM_FIELDS else _bib_text(value)


def bibtex_entry(citation: Citation, *, classic: bool = False) -> Entry:
    """The pybtex entry of a talk (``@unpublished``).

    ``classic``: for the styles of classic BibTeX and pybtex (``plain``, ``alpha``…),
    which show only ``note`` and ``month year`` of an ``@unpublished`` entry: the event
    and its place go into ``note``.  In both, the title is brace-protected so that no
    style changes its case (biber keeps the braces as a case-protected group).
    """
    note = ", ".join(text for text in (GENRE, citation.event, citation.place) if text) if classic else GENRE
    fields: dict[str, str] = {"title": citation.title, "note": note}
    parts = date_parts(citation.date)
    if parts:
        fields["year"] = str(parts[0])
        if len(parts) > 1:
            fields["month"] = MONTHS[parts[1] - 1]
        # biblatex's date field takes ISO 8601 ranges ("2012-03-15/2012-03-16").
        fields["date"] = f"{citation.date}/{citation.end}" if citation.end else citation.date
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
    encoded = {name: _bib_field(name, value) for name, value in fields.items()}
    # A talk's title is shown as written: braces keep styles from changing its case.
    encoded["title"] = "{" + encoded["title"] + "}"
    from pybtex.database import Entry  # noqa: PLC0415 (see _bib_person)

    return Entry("unpublished", fields=encoded, persons=persons)


@cache
def bibtex(citation: Citation) -> str:
    """The BibTeX entry of one talk, as written by pybtex (memoised)."""
    return _write_bibtex([citation], classic=False)


def bibtex_all(citations: Iterable[Citation], *, classic: bool = False) -> str:
    """The BibTeX entries of several talks, in the given order (``classic``: see :func:`bibtex_entry`)."""
    if classic:
        return _write_bibtex(citations, classic=True)
    # pybtex's writer separates entries with one newline (no preamble is written): the same
    # text as one write of them all, from the entries the pages' "Cite this" blocks made.
    return "\n".join(bibtex(citation) for citation in citations)


def _write_bibtex(citations: Iterable[Citation], *, classic: bool) -> str:
    from pybtex.database import BibliographyData  # noqa: PLC0415 (see _bib_person)

    data = BibliographyData(
        entries=[(citation.key, bibtex_entry(citation, classic=classic)) for citation in citations]
    )
    stream = io.StringIO()
    _writer()(encoding="UTF-8").write_stream(data, stream)
    return stream.getvalue()


# -- RIS ---------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


@cache
def ris(citation: Citation) -> str:
    """The RIS record of a talk (``TY  - SLIDE``), lines ending with CRLF (memoised)."""
    lines = [_ris_line("TY", "SLIDE"), _ris_line("ID", citation.key), _ris_line("TI", citation.title)]
    for person in citation.authors:
        # RIS: "Lastname, Firstname, Suffix"; a one-field name as it is.
        name = ", ".join(part for part in (person.family, person.given, person.suffix) if part)
        lines.append(_ris_line("AU", name if person.family else person.literal))
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
    return "\r\n".join(lines) + "\r\n"


def ris_all(citations: Iterable[Citation]) -> str:
    """The RIS records of several talks, in the given order, separated by a blank line."""
    return "\r\n".join(ris(citation) for citation in citations)


# -- CSL-JSON ----------------------------------------------------------------------------


def _csl_name(person: Person) -> dict[str, str]:
    if not person.family:
        return {"literal": person.literal}
    name = {"family": person.family, "given": person.given, "suffix": person.suffix}
    return {key: value for key, value in name.items() if value}


@cache
def csl_json(citation: Citation) -> dict[str, Any]:
    """The CSL-JSON item of a talk (type ``speech``), valid against CSL-JSON schema 1.0.2.

    Memoised: the item is shared by every caller, which must not change it.
    """
    item: dict[str, Any] = {
        "id": citation.key,
        "citation-key": citation.key,
        "type": "speech",
        "title": citation.title,
        "genre": GENRE,
    }
    if citation.authors:
        item["author"] = [_csl_name(person) for person in citation.authors]
    parts = date_parts(citation.date)
    if parts:
        end = date_parts(citation.end)
        item["issued"] = {"date-parts": [parts, end] if end else [parts]}
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


def clear_caches() -> None:
    """Forget the memoised formats (``build-finished``): a long-lived process (``talkbase live``)
    keeps no citation of an earlier build."""
    for memoised in (bibtex, ris, csl_json):
        memoised.cache_clear()


__all__ = [
    "GENRE",
    "apa",
    "apa_authors",
    "apa_date",
    "apa_parts",
    "bibtex",
    "bibtex_all",
    "clear_caches",
    "csl_json",
    "date_parts",
    "initials",
    "latex_text",
    "ris",
    "ris_all",
]

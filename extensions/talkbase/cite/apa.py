"""The APA 7 reference of a talk, as citeproc-js renders it with the official ``apa.csl``.

Called when a "Cite this" block is filled (write phase).  A pure function of the
citation record.  The target is the text (and the italics) that citeproc-js, the
CSL processor of Zotero and Mendeley, makes of the talk's CSL-JSON item
(:func:`talkbase.cite.formats.csl_json`) with the Citation Style Language's
``apa.csl`` and ``locales-en-US.xml``; ``tests/test_cite_edge.py`` compares the two
on every talk of a fixture of edge cases.  What that takes, besides APA's order
(author. (date). *title* [genre]. event, place. URL):

- names: ``Family, I. I., Suffix``; a one-field (literal) name as it is; two names
  joined by ``, &`` (``&`` alone before a literal name), 21 and more shortened to
  the first 19, ``…`` and the last; initials of hyphenated given names
  (``J.-P.``), a nickname in quotes kept whole (``F. “Frank”``);
- dates: ``(n.d.)`` without one (and "Retrieved" before the URL), a multi-day
  event's range ``(2012, March 15–16)`` as citeproc-js writes ranges;
- straight quotes curled as citeproc-js does (:func:`curl_quotes`, a port of its
  quote "flip-flop" for quotes only), American punctuation (a period or comma
  after a closing quote moves inside it), no doubled punctuation (``Jr..``), and
  its French spacing: a narrow no-break space replaces the space before
  ``: ; ? ! »`` and after ``«``, in every language.  (HTML-like markup that
  citeproc-js interprets in fields, ``<i>`` and the like, is shown as written.)

Other languages than English keep this order with Babel's month names and the
catalogue's "n.d.", "Retrieved" and genre.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from babel.dates import format_date, format_interval, format_skeleton
from docutils import nodes
from sphinx.locale import get_translation

from talkbase.l10n import babel_locale

if TYPE_CHECKING:
    from babel import Locale
    from docutils.nodes import Node

    from talkbase.cite.record import Citation, Person

_ = get_translation("talkbase")

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: APA 7 lists up to 20 authors; beyond, the first 19, an ellipsis and the last.
MAX_AUTHORS = 20
SHOWN_BEFORE_ELLIPSIS = 19


def date_parts(date: str) -> list[int]:
    """``"2011-09-05"`` -> ``[2011, 9, 5]`` (shorter for ``YYYY-MM`` or ``YYYY``; empty if not ISO)."""
    match = _ISO_DATE.match(date)
    return [int(part) for part in match.groups() if part] if match else []


# -- quotes (citeproc-js's CSL.Util.FlipFlopper, quotes only) -----------------------------------

#: Openers (with the space or parenthesis before them, as citeproc-js matches them) -> closer.
_CLOSER_OF = {' "': '"', '("': '"', " '": "'", "('": "'", "\u201c": "\u201d", "\u2018": "\u2019"}
_CLOSERS = frozenset(_CLOSER_OF.values())
_ASCII_OPENERS = (' "', " '", '("', "('")
_TAG = re.compile("( \"| '|\\(\"|\\('|\u201c|\u2018|\"|'|\u201d|\u2019)")
_APOSTROPHE_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])\u2019(?=[^\W\d_])")
_NOT_AFTER_APOSTROPHE = re.compile(r"^[^,.?:; ]")
_QUOTE_MARKS = {"true": ("\u201c", "\u201d"), "inner": ("\u2018", "\u2019")}
_SPACE_BEFORE = re.compile(" ([:;?!\u00bb])")
_SPACES_BEFORE_APOSTROPHE = re.compile(r"\s+'")


def curl_quotes(text: str) -> tuple[str, bool]:
    """Straight quotes and apostrophes curled as citeproc-js does (en-US quote marks).

    Returns the text and whether it ends with a closing quote (punctuation that
    follows moves inside it).  The first kind of straight quote (``"`` or ``'``) opened
    in the text is the outer one (“…”), the other kind the inner one (‘…’); a quote
    nested in a quote flips; an apostrophe is ’; an unmatched ``"`` stays straight.
    """
    text = _queue_text(text)
    flip = _FlipFlop(" " + _APOSTROPHE_BETWEEN_LETTERS.sub("'", text))
    if not flip.tags:
        return text, False
    flip.match()
    flip.drop_unmatched()
    return flip.render()


class _FlipFlop:
    """citeproc-js's ``CSL.Util.FlipFlopper.processTags``, for quotes only, step by step
    (the odd corners — ``forced`` indexed by openers only — are kept on purpose)."""

    def __init__(self, source: str) -> None:
        pieces = _TAG.split(source)
        self.strings, self.tags = pieces[0::2], pieces[1::2]
        self.forced: list[bool] = []
        for i in range(len(self.tags) - 1):
            if self.tags[i] in _CLOSER_OF:
                forced = self.strings[i + 1] == "" and self.tags[i + 1] in ('"', "'")
                if forced:
                    self.tags[i + 1] = " " + self.tags[i + 1]
                self.forced.append(forced)
        self.state: list[tuple[str, int]] = []  # (closer, tag position) of the open quotes

    def forced_at(self, index: int) -> bool:
        return 0 <= index < len(self.forced) and self.forced[index]

    def push(self, tag: str, position: int) -> int | None:
        """None when the tag opened or closed a quote, else the position of the tag to undo."""
        if tag in _CLOSER_OF:
            self.state.append((_CLOSER_OF[tag], position))
            return None
        if self.state and tag == self.state[-1][0]:
            self.state.pop()
            return None
        return self.state[-1][1] if self.state else position

    def apostrophe(self, i: int) -> bool:
        tag, following = self.tags[i], self.strings[i + 1]
        mark = ""
        if tag == "'" and following and _NOT_AFTER_APOSTROPHE.match(following):
            mark = "\u2019"
        elif tag == " '" and following.startswith(" "):
            mark = " \u2019"
        if mark:
            self.strings[i + 1] = mark + following
            self.tags[i] = ""
        return bool(mark)

    def match(self) -> None:
        for i in range(len(self.tags)):
            tag = self.tags[i]
            if self.apostrophe(i):
                continue
            fix = self.push(tag, i)
            while fix is not None:
                if tag in _CLOSERS and tag == "'":
                    self.strings[i + 1] = "\u2019" + self.strings[i + 1]
                    self.tags[i] = ""
                else:
                    failed = self.tags[fix][1:] if self.forced_at(fix - 1) else self.tags[fix]
                    self.strings[fix + 1] = failed + self.strings[fix + 1]
                    self.tags[fix] = ""
                if not self.state or tag == "'":
                    break
                self.state.pop()
                fix = self.push(tag, i)
            if fix is not None:
                self.strings[i + 1] = self.tags[i] + self.strings[i + 1]
                self.tags[i] = ""

    def drop_unmatched(self) -> None:
        for _closer, position in reversed(self.state):
            tag = self.tags[position]
            self.strings[position + 1] = (" \u2019" if tag in (" '", "'") else tag) + self.strings[position + 1]
            self.tags[position] = ""
        strings, tags = [self.strings[0]], []
        for tag, string in zip(self.tags, self.strings[1:], strict=True):
            if tag:
                tags.append(tag)
                strings.append(string)
            else:
                strings[-1] += string
        self.strings, self.tags = strings, tags

    def render(self) -> tuple[str, bool]:
        outer = {'"': "true", "'": "inner"}
        seen = False
        for i, tag in enumerate(self.tags):
            if tag in _ASCII_OPENERS:
                if not seen:
                    mark = tag[1]
                    outer = {mark: "true", ("'" if mark == '"' else '"'): "inner"}
                    seen = True
                if not self.forced_at(i - 1):
                    self.strings[i] += tag[0]
        # Each opener takes the opposite form of the quote it is in, or its outer form.
        result = [self.strings[0].removeprefix(" ").removeprefix(" ")]
        stack: list[str] = []
        for tag, string in zip(self.tags, self.strings[1:], strict=True):
            if tag in _CLOSER_OF:
                if stack:
                    form = "inner" if stack[-1] == "true" else "true"
                elif tag in ("\u201c", "\u2018"):
                    form = "true" if tag == "\u201c" else "inner"
                else:
                    form = outer[tag.strip(" (")]
                stack.append(form)
                result.append(_QUOTE_MARKS[form][0] + string)
            else:
                form = stack.pop() if stack else "true"
                result.append(_QUOTE_MARKS[form][1] + string)
        closes = bool(self.tags) and self.tags[-1] not in _CLOSER_OF and self.strings[-1] == ""
        return "".join(result), closes


def _queue_text(text: str) -> str:
    """What citeproc-js's output queue makes of a field before curling its quotes: a narrow
    no-break space before ``: ; ? ! »`` and after ``«`` that follow or precede a space
    (French spacing, whatever the language), one space before an apostrophe."""
    text = _SPACE_BEFORE.sub("\u202f\\1", text).replace("\u00ab ", "\u00ab\u202f")
    return _SPACES_BEFORE_APOSTROPHE.sub(" '", text)


class _Text:
    """Text being assembled with citeproc-js's punctuation rules."""

    def __init__(self) -> None:
        self.parts: list[list[str]] = []  # [kind, text]
        self.quoted = False  # the text ends with a closing quote

    def text(self) -> str:
        return "".join(text for _kind, text in self.parts)

    def add(self, text: str, kind: str = "text", *, quoted: bool = False) -> None:
        if text:
            self.parts.append([kind, text])
            self.quoted = quoted

    def punctuate(self, mark: str) -> None:
        """Append ``.`` or ``,`` as citeproc-js does: inside a closing quote, never twice,
        no period after ``?`` or ``!``."""
        if not self.parts:
            return
        last = self.parts[-1]
        body, closing = (last[1][:-1], last[1][-1]) if self.quoted else (last[1], "")
        ends = (mark, "?", "!") if mark == "." else (mark,)
        if body.endswith(ends):
            return
        if self.quoted:
            last[1] = body + mark + closing
        else:
            self.add(mark)


# -- names --------------------------------------------------------------------------------------


def _initial_word(word: str) -> str:
    if any(mark in word for mark in "\"'\u201c\u2018"):
        return word  # a nickname in quotes is kept whole
    if "." in word.rstrip("."):  # "J.R.R." -> "J. R. R."
        return " ".join(f"{part[0]}." for part in word.split(".") if part)
    pieces = [part for part in word.split("-") if part]
    if not pieces:
        return word
    shown = [f"{pieces[0][0]}."]
    shown += [f"-{part[0]}." for part in pieces[1:] if part[0].isupper()]
    return "".join(shown)


def initials(given: str) -> str:
    """``"Anne-Sophie"`` -> ``"A.-S."``, ``"Jean Paul"`` -> ``"J. P."``, ``François "Frank"`` -> ``F. "Frank"``."""
    return " ".join(_initial_word(word) for word in given.split())


def _apa_name(person: Person) -> str:
    if not person.family:
        return person.literal
    name = f"{person.family}, {initials(person.given)}" if person.given else person.family
    return f"{name}, {person.suffix}" if person.suffix else name


def apa_authors(authors: tuple[Person, ...]) -> str:
    """APA 7 author list: ``A, & B``, ``A, B, & C``; 21 or more: the first 19, ``…``, the last."""
    names = [_apa_name(person) for person in authors]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:SHOWN_BEFORE_ELLIPSIS]) + ", \u2026 " + names[-1]
    # citeproc-js: before a one-field (institutional) last name, two names take no comma.
    before_and = " & " if len(names) == 2 and not authors[-1].family else ", & "
    return ", ".join(names[:-1]) + before_and + names[-1]


# -- dates --------------------------------------------------------------------------------------


def _day(parts: list[int]) -> dt.date | None:
    try:
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None


def _month_day(parts: list[int], locale: Locale) -> str:
    day = _day(parts)
    if day is None or len(parts) < 2:
        return ""
    if len(parts) > 2:
        if locale.language == "en":
            return f"{format_date(day, 'LLLL', locale=locale)} {parts[2]}"
        return format_skeleton("MMMMd", day, locale=locale)
    return format_date(day, "LLLL", locale=locale)


def apa_date(date: str, language: str | None, end: str = "") -> str:
    """``2011, September 5``; ``2012, March 15–16`` for a range; ``n.d.`` without a date."""
    parts = date_parts(date)
    if not parts:
        return str(_("n.d."))
    locale = babel_locale(language)
    if _day(parts) is None:
        return date
    last = date_parts(end)
    if len(last) != len(parts) or last <= parts or _day(last) is None:
        shown = _month_day(parts, locale)
        return f"{parts[0]}, {shown}" if shown else str(parts[0])
    if len(parts) == 1:
        return f"{parts[0]}\u2013{last[0]}"
    if locale.language != "en" and len(parts) == 3 and parts[0] == last[0]:
        start_day, end_day = _day(parts), _day(last)
        assert start_day is not None and end_day is not None
        return f"{parts[0]}, {format_interval(start_day, end_day, 'MMMMd', locale=locale)}"
    years = str(parts[0]) if parts[0] == last[0] else f"{parts[0]}\u2013{last[0]}"
    start, finish = _month_day(parts, locale), _month_day(last, locale)
    if len(parts) == 3 and parts[:2] == last[:2]:  # the same month: "March 15–16"
        finish = str(last[2])
    return f"{years}, {start}\u2013{finish}"


# -- the reference ------------------------------------------------------------------------------


def apa_parts(citation: Citation, language: str | None) -> list[tuple[str, str]]:
    """The APA reference as ``(kind, text)`` parts: kind is ``text``, ``title`` or ``url``."""
    out = _Text()
    date = f"({apa_date(citation.date, language, citation.end)})"
    title, title_quoted = curl_quotes(citation.title)
    genre_label = str(_("Conference presentation"))  # outside f-strings, so the extractor finds it
    genre = f"[{genre_label}]"
    authors, authors_quoted = curl_quotes(apa_authors(citation.authors))
    if authors:
        out.add(authors, quoted=authors_quoted)
        out.punctuate(".")
        out.add(f" {date}.")
        out.add(" ")
        out.add(title, "title", quoted=title_quoted)
        out.add(f" {genre}.")
    else:  # APA: without an author the title moves to the front, then the date
        out.add(title, "title", quoted=title_quoted)
        out.punctuate(".")  # inside the italics when it moves inside a closing quote
        out.add(f" {date}. {genre}.")
    if citation.event:
        out.add(" ")
        event, event_quoted = curl_quotes(citation.event)
        out.add(event, quoted=event_quoted)
        if citation.place:
            out.punctuate(",")
            out.add(" ")
            place, place_quoted = curl_quotes(citation.place)
            out.add(place, quoted=place_quoted)
        out.punctuate(".")
    if citation.url:
        out.add(" ")
        if not date_parts(citation.date):  # an undated web source gets "Retrieved"
            retrieved = str(_("Retrieved"))
            out.add(retrieved + " ")
        out.add(citation.url, "url")
    return [(kind, text) for kind, text in out.parts]


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

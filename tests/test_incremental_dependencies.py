"""An incremental build fingerprints and rewrites the pages that show what changed, and no other.

The root ``test-incremental-dependencies`` puts each object on a page of its own: an
event, a speaker, a talk of both (whose summary uses a term and mentions the event),
a recommendation of the talk, two terms (``glossary``), a page linking to the talk
(``links``), a talk listing (``lists``) and an ``other`` page with a talk of another
speaker that uses the other term and links to the event.  Each case edits one file and checks the exact
pages written (a page missing is a stale page; a page too many, work that grows with
the project) and that the pages not showing the change were not even fingerprinted
(:mod:`talkbase.dependencies`).  A listing's page is fingerprinted after every change
of data (``Listing.depends``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from tests.conftest import edit, spy_fingerprinted

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

#: Every page of the root.
PAGES = {"index", "event", "speaker", "talk", "rec", "glossary", "links", "lists", "other"}

#: Case -> (file, old text, new text, pages written, pages fingerprinted besides them).
CASES = {
    # The speaker's and the event's "Talks", the recommendation's talk, the term's
    # "Referenced by", the link and the listing show the title.
    "rename a talk": (
        "talk.md", "{talk} Docs as code", "{talk} Docs as code, again",
        {"talk", "index", "event", "speaker", "rec", "glossary", "links", "lists"}, set(),
    ),
    # Only the new term's "Referenced by" shows it.
    "use another term": (
        "talk.md", "{event}`docs-day`.", "{event}`docs-day`, with {term}`Kinesics`.",
        {"talk", "index", "glossary"}, {"lists"},
    ),
    # The talk links to its speaker and cites them; the listing shows the talk's speakers.
    "rename a speaker": (
        "speaker.md", "{speaker} Ada Martin", "{speaker} Ada Lovelace", {"speaker", "index", "talk", "lists"}, set(),
    ),
    # The talk's {term}`Proxemics` now names the other term: its link goes there.
    "a term takes another's name": (
        "glossary.md", "{term} Proxemics\n:id: space\n", "{term} Proxemic studies\n:id: space\n:aliases: Proxemics\n",
        {"glossary", "index", "talk"}, {"lists"},
    ),
    # The talk links to the event (an option and its summary), the listing shows it, the
    # other page links to it.
    "rename an event": (
        "event.md", "{event} Docs Day", "{event} Docs Days", {"event", "index", "talk", "lists", "other"}, set(),
    ),
    # The talk shows the date it inherits, and so does the listing; the other page links
    # to the event (what a link shows of an event, ``Record.shown``, includes its date).
    "move an event": (
        "event.md", ":date: 2011-09-05", ":date: 2012-03-01", {"event", "index", "talk", "lists", "other"}, set(),
    ),
}


def written(build: BuiltRoot) -> set[str]:
    return set(re.findall(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", build.status, re.MULTILINE))


#: Without "Referenced by", the event's and the speaker's "Talks" alone show the talk's title
#: there (with it, the references the talk's options make are listed there too).
WITHOUT_BACKLINKS = {
    "rename a talk": (*CASES["rename a talk"][:3], CASES["rename a talk"][3] - {"glossary"}, set()),
}
#: With the talkbase theme, a link to the talk shows its summary when hovered, and the
#: summary mentions the event: the speaker's "Talks", the recommendation and the link.
WITH_PREVIEWS = {
    case: (*CASES[case][:3], {*CASES[case][3], "speaker", "rec", "links"}, set()) for case in ["rename an event"]
}
VARIANTS = {
    "": (CASES, {}),
    "without backlinks": (WITHOUT_BACKLINKS, {"talkbase_backlinks": False}),
    "with previews": (WITH_PREVIEWS, {"html_theme": "talkbase"}),
}


@pytest.mark.parametrize(("case", "variant"), [(case, name) for name, (cases, _) in VARIANTS.items() for case in cases])
def test_rewrites_exactly_the_pages_showing_the_change(
    case: str,
    variant: str,
    copy_root: Callable[[str], Path],
    build_sphinx: Callable[..., BuiltRoot],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cases, overrides = VARIANTS[variant]
    filename, old, new, rewritten, also_fingerprinted = cases[case]
    srcdir = copy_root("incremental-dependencies")
    settings = {"confoverrides": overrides}
    first = build_sphinx(srcdir, **settings)
    assert first.warnings == ""
    assert written(first) == PAGES
    fingerprinted = spy_fingerprinted(monkeypatch)
    edit(srcdir / filename, old, new)
    second = build_sphinx(srcdir, **settings)
    assert second.warnings == ""
    assert written(second) == rewritten
    # What a page shows of others is fingerprinted (the pages without talkbase data, never):
    # the pages written but "index" (Sphinx rewrites a re-read page's parent), and no other.
    assert set(fingerprinted) == rewritten - {"index"} | also_fingerprinted

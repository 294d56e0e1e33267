"""Options given without a value, and where option warnings point (root ``test-empty-options``).

In a MyST option block ``#`` starts a comment: ``:hashtag: #InnoNapo`` reaches the
directive empty.  Nothing may vanish without a talkbase warning at the option's
own line; the hashtag is kept as written.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from docutils import utils
from tests.conftest import assert_warning, warnings_at

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import BuiltRoot


@pytest.fixture
def built(built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root("empty-options")


@pytest.mark.parametrize(
    ("filename", "line", "words"),
    [
        ("events.md", 6, (":hashtag: #InnoNapo", "talkbase uses '#InnoNapo'", ':hashtag: "#InnoNapo"')),
        ("events.md", 20, (":hashtag: #InnoYaml", "talkbase uses '#InnoYaml'", ':hashtag: "#InnoYaml"')),
        ("events.md", 27, (":place: # Naples", "it is ignored", ':place: "# Naples"')),
        ("events.md", 32, ("option :date: is empty",)),
        ("rst.rst", 7, ("option :place: is empty",)),
    ],
)
def test_empty_option_warns_at_its_line(built: BuiltRoot, filename: str, line: int, words: tuple[str, ...]) -> None:
    assert_warning(built, filename, line, "empty-option", *words)


def test_every_talkbase_warning_is_expected(built: BuiltRoot) -> None:
    talkbase = [line for line in built.warnings.splitlines() if "[talkbase." in line]
    assert len(talkbase) == 7, built.warnings
    # An empty required option is reported once, as empty, not also as missing.
    assert warnings_at(built, "events.md", 30, "missing-option") == []
    # A flag (a speaker's :literal:) is given without a value by design: no warning, MyST or rST.
    assert warnings_at(built, "events.md", 38, "empty-option") == []
    assert warnings_at(built, "rst.rst", 16, "empty-option") == []
    # MyST's own warning stays: the quoted form is the one that builds with -W.
    assert len([line for line in built.warnings.splitlines() if "[myst.directive_comments]" in line]) == 3


def test_hashtag_survives_the_comment(built: BuiltRoot) -> None:
    page = built.html("events")
    for anchor, shown in [("event-hash", "#InnoNapo"), ("event-quoted", "#InnoNapo"), ("event-yaml", "#InnoYaml")]:
        field = page.select_one(f'div.kb-object[id="{anchor}"] dd.kb-field-hashtag')
        assert field is not None, anchor
        assert field.get_text().strip() == shown
    # The other options of the directive still apply.
    place = page.select_one('div.kb-object[id="event-hash"] dd.kb-field-place')
    assert place is not None
    assert place.get_text().strip() == "Napoli"
    assert page.select_one('div.kb-object[id="event-commented"] dd.kb-field-place') is None
    events = json.loads((built.outdir / "_kb" / "kb.json").read_text(encoding="utf-8"))["objects"]["event"]
    assert events["hash"]["fields"]["hashtag"] == "InnoNapo"
    assert events["yaml"]["fields"]["hashtag"] == "InnoYaml"


def test_unknown_option_warns_at_its_line_in_rst(built: BuiltRoot) -> None:
    assert_warning(built, "rst.rst", 11, "unknown-option", ":speekers:", "did you mean :speakers:?")
    assert_warning(built, "rst.rst", 9, "missing-option", ":speakers:")


def test_other_directives_keep_the_parsers_own_option_handling(built: BuiltRoot) -> None:
    """talkbase's option checks are its directives' own: ``shout`` (the root's own extension) and
    Sphinx's ``code-block`` get docutils' errors in rST and MyST's handling in Markdown, unchanged."""
    lines = built.warnings.splitlines()
    assert not [line for line in lines if "others-" in line and "[talkbase." in line], built.warnings
    for line, directive, error in [
        (4, "shout", 'invalid option data: duplicate option "colour".'),
        (8, "shout", 'unknown option: "size".'),
        (11, "code-block", 'invalid option data: duplicate option "caption".'),
    ]:
        head = f'{built.srcdir / "others-rst.rst"}:{line}: ERROR: Error in "{directive}" directive:'
        assert head in lines, built.warnings
        assert lines[lines.index(head) + 1] == error
    # docutils drops a directive whose options it refuses; the one without a mistake is rendered.
    rst = built.html("others-rst")
    assert [p.get_text() for p in rst.select("p.shout")] == ["rST fine in green"]
    assert rst.select("div.highlight") == []
    # MyST keeps the last of two values without a word and drops an unknown option with its warning.
    unknown = f"{built.srcdir / 'others-myst.md'}:9: WARNING: 'shout': Unknown option key: 'size'"
    assert [line for line in lines if "others-myst.md" in line] == [
        f"{unknown} (allowed: ['colour']) [myst.directive_option]"
    ]
    myst = built.html("others-myst")
    assert [p.get_text() for p in myst.select("p.shout")] == ["MyST repeat in blue", "MyST unknown in no colour"]
    assert myst.select_one(".code-block-caption .caption-text").get_text() == "second"
    # Between builds docutils is docutils: talkbase's catch is in place only while a page is parsed.
    assert utils.assemble_option_dict.__module__ == "docutils.utils"

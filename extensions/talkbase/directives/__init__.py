"""Object directives, registered both in the ``kb`` domain and unprefixed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talkbase.directives.event import EventDirective
from talkbase.directives.recommendation import RecommendationDirective
from talkbase.directives.speaker import SpeakerDirective
from talkbase.directives.talk import TalkDirective
from talkbase.directives.term import TermDirective
from talkbase.domain import KBDomain
from talkbase.options import reading

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from talkbase.directives.base import ObjectDirective

DIRECTIVES: dict[str, type[ObjectDirective]] = {
    "event": EventDirective,
    "talk": TalkDirective,
    "speaker": SpeakerDirective,
    "recommendation": RecommendationDirective,
    "term": TermDirective,
}


def setup(app: Sphinx) -> None:
    reading(app)
    KBDomain.directives = dict(DIRECTIVES)
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)

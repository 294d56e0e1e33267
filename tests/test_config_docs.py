"""The configuration reference documents every ``talkbase_*`` value the extension declares."""

from __future__ import annotations

import re
from pathlib import Path

import talkbase.config

DOCS = Path(__file__).parent.parent / "docs" / "reference" / "config.md"


class _Recorder:
    """Stands in for the application (same ``add_config_value`` signature): records names."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def add_config_value(self, name: str, *args: object, **kwargs: object) -> None:
        self.names.append(name)


def test_every_config_value_has_a_section() -> None:
    recorder = _Recorder()
    talkbase.config.setup(recorder)  # type: ignore[arg-type]
    documented = set(re.findall(r"^## `(talkbase_[a-z_]+)`$", DOCS.read_text(encoding="utf-8"), re.M))
    assert recorder.names, "config.setup declared nothing"
    assert documented == set(recorder.names)

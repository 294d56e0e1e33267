"""Problems only visible across pages warn on every build, a no-op rebuild included
(root ``test-noop-warnings``): ``-W`` keeps failing until the author fixes them.

They are checked after reading (``env-updated``), where nothing of a page that was
not read again is looked at; a rebuild that reads nothing must still report them.
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING, Any

from tests.conftest import ROOTS, build_copy

from talkbase import model, placeholders

if TYPE_CHECKING:
    from pathlib import Path

    import pytest
    from tests.conftest import BuiltRoot

#: (file, line, subtype) of each problem of the root, one on each page of the clash.
EXPECTED = [
    ("second.md", 3, "duplicate-id"),
    ("second.md", 7, "duplicate-term"),
    ("second.md", 11, "unknown-ref"),
]


def problems(build: BuiltRoot) -> list[tuple[str, int, str]]:
    found = []
    for line in build.warning_lines():
        match = re.search(r"([\w.-]+\.md):(\d+): (?:WARNING|ERROR): .*\[talkbase\.([\w-]+)\]$", line)
        assert match, line
        found.append((match.group(1), int(match.group(2)), match.group(3)))
    return sorted(found)


def test_noop_rebuild_warns_again(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-noop-warnings", srcdir)
    first = build_copy(srcdir, warningiserror=True)
    assert first.statuscode == 1
    assert problems(first) == EXPECTED
    again = build_copy(srcdir, warningiserror=True)
    assert "0 added, 0 changed, 0 removed" in again.status  # nothing read: the warnings come from elsewhere
    assert again.statuscode == 1
    assert problems(again) == EXPECTED


def test_noop_rebuild_warns_kept_query_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild that read nothing warns the queries' problems the last build found, without
    making any document's references or queries, and so does one that read a document back
    into the data it had (a body edit); once the data change they are found anew."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-noop-warnings", srcdir)
    build_copy(srcdir)
    made: list[str] = []
    real_problems = placeholders.problems

    def spy_problems(*args: Any) -> Any:
        made.append("problems")
        return real_problems(*args)

    monkeypatch.setattr(placeholders, "problems", spy_problems)
    for name in ("_unpack_ref", "_unpack_query"):
        real = getattr(model, name)
        monkeypatch.setattr(model, name, lambda *args, name=name, real=real: made.append(name) or real(*args))
    again = build_copy(srcdir, warningiserror=True)
    assert "0 added, 0 changed, 0 removed" in again.status
    assert problems(again) == EXPECTED
    assert made == []
    # A body edit: second.md read again into the same records, references and queries.
    second = srcdir / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    edited = build_copy(srcdir)
    assert "0 added, 1 changed, 0 removed" in edited.status
    assert problems(edited) == EXPECTED
    assert "problems" not in made
    # The listing's filter fixed: the next build reads second.md and finds no problem there.
    fixed_text = second.read_text(encoding="utf-8").replace(":speaker: nobody", ":speaker: dupont")
    second.write_text(fixed_text, encoding="utf-8")
    fixed = build_copy(srcdir)
    assert problems(fixed) == EXPECTED[:2]
    assert "problems" in made
    assert problems(build_copy(srcdir)) == EXPECTED[:2]

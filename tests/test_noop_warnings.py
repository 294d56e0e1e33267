"""Problems only visible across pages warn on every build, a no-op rebuild included
(root ``test-noop-warnings``): ``-W`` keeps failing until the author fixes them.

They are checked after reading (``env-updated``), where nothing of a page that was
not read again is looked at; a rebuild that reads nothing must still report them.
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING

from tests.conftest import ROOTS, build_copy

if TYPE_CHECKING:
    from pathlib import Path

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

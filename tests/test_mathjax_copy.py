"""The shipped MathJax copy in ``_static/talkbase-mathjax/`` (talkbase/mathjax.py) is written
once: a rebuild copies no file the output already holds as shipped, and puts back one that
was changed or removed (root ``test-math``). The pages' use of it is tests/test_math.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.conftest import build_copy

from talkbase.mathjax import STATIC_NAME, VENDOR_DIR

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def copied(outdir: Path) -> dict[str, tuple[int, bytes]]:
    """Each file of the copy: its inode change time (a copy over it changes it) and content."""
    root = outdir / "_static" / STATIC_NAME
    return {
        str(path.relative_to(root)): (path.stat().st_ctime_ns, path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_rebuild_copies_only_what_differs(copy_root: Callable[[str], Path]) -> None:
    srcdir = copy_root("math")
    first = build_copy(srcdir)
    before = copied(first.outdir)
    shipped = {str(path.relative_to(VENDOR_DIR)): path.read_bytes() for path in VENDOR_DIR.rglob("*") if path.is_file()}
    assert {name: content for name, (_ctime, content) in before.items()} == shipped

    root = first.outdir / "_static" / STATIC_NAME
    (root / "tex-mml-chtml.js").write_text("broken", encoding="utf-8")
    removed = next(name for name in sorted(before) if name.startswith("output/"))
    (root / removed).unlink()
    again = copied(build_copy(srcdir).outdir)
    assert {name: content for name, (_ctime, content) in again.items()} == shipped
    untouched = set(before) - {"tex-mml-chtml.js", removed}
    assert {name: again[name][0] for name in untouched} == {name: before[name][0] for name in untouched}

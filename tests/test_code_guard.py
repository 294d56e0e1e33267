"""Sphinx's code-block post-transforms run only on pages holding code (talkbase.code_guard).

``code`` holds what the guarded steps act on: a literal block that takes its
language from a ``highlight`` directive, a ``pycon`` block and a doctest block
whose doctest flags are trimmed.  ``plain`` holds talkbase objects and no code.
Every page must be the same, byte for byte, as a build with Sphinx's own steps.
"""

from __future__ import annotations

import shutil
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from conftest import ROOTS, BuiltRoot, build_copy
from talkbase import code_guard

if TYPE_CHECKING:
    from pathlib import Path

ROOT = "code-guard"


def pages(build: BuiltRoot, suffix: str) -> dict[str, bytes]:
    return {str(path.relative_to(build.outdir)): path.read_bytes() for path in sorted(build.outdir.rglob(f"*{suffix}"))}


def count_applies(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """Count, by (step, page), the times Sphinx's own code steps do their work."""
    applied: Counter[tuple[str, str]] = Counter()
    for cls in code_guard.GUARDED:
        original = cls.apply

        def apply(self: Any, original: Any = original, name: str = cls.__name__, **kwargs: Any) -> None:
            applied[name, self.env.current_document.docname] += 1
            original(self, **kwargs)

        monkeypatch.setattr(cls, "apply", apply)
    return applied


def assert_code_steps_ran(build: BuiltRoot) -> None:
    """What the two steps do on ``code`` (so the comparison with stock means something)."""
    page = build.html("code")
    assert page.select_one("div.highlight-ruby") is not None  # the language from `highlight`
    text = page.get_text()
    assert "puts" in text and ">>> 1 + 1" in text and "doctest block" in text
    assert "doctest:" not in text  # the flags trimmed by TrimDoctestFlagsTransform


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(ROOTS / f"test-{ROOT}", target)
    return target


def test_steps_run_only_on_the_page_holding_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    applied = count_applies(monkeypatch)
    build = build_copy(copy(tmp_path, "guarded"))
    assert not build.warning_lines(), build.warnings
    assert_code_steps_ran(build)
    assert applied == {("HighlightLanguageTransform", "code"): 1, ("TrimDoctestFlagsTransform", "code"): 1}


@pytest.mark.parametrize(("buildername", "suffix"), [("html", ".html"), ("singlehtml", ".html"), ("text", ".txt")])
def test_output_same_as_sphinxs_own_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str, suffix: str
) -> None:
    guarded = build_copy(copy(tmp_path, "guarded"), buildername)
    assert not guarded.warning_lines(), guarded.warnings
    monkeypatch.setattr(code_guard, "setup", lambda app: None)
    stock = build_copy(copy(tmp_path, "stock"), buildername)
    if buildername == "html":
        assert_code_steps_ran(stock)
    assert pages(guarded, suffix) == pages(stock, suffix)

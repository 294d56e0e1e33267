"""The README's two commands on a machine without the system packages.

``make html`` must install what docs/ needs before it builds (python3-venv to
create ``.venv``, Graphviz for the relations graphs: docs/ builds with ``-W``),
and only that; ``make test`` everything in scripts/system-deps.sh.  The script
runs with a ``PATH`` that holds only stubs: ``apt-get`` records what it is asked
to install, ``dpkg -s`` knows no package, ``id`` says root (so no sudo).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
SCRIPT = REPO / "scripts" / "system-deps.sh"
BASH = shutil.which("bash") or "/bin/bash"


def stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!{BASH}\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def installed(tmp_path: Path, *args: str, commands: tuple[str, ...] = (), has_venv: bool = False) -> list[str]:
    """The packages the script asks apt-get to install; ``commands`` exist on the PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    stub(bin_dir, "apt-get", f'echo "$*" >> "{log}"')
    stub(bin_dir, "dpkg", "exit 1")
    stub(bin_dir, "id", "echo 0")
    stub(bin_dir, "python", f"exit {0 if has_venv else 1}")  # `python -c 'import ensurepip, venv'`
    for command in commands:
        stub(bin_dir, command, "exit 0")
    env = {"PATH": str(bin_dir), "PYTHON": str(bin_dir / "python"), "HOME": str(tmp_path)}
    run = subprocess.run(
        [BASH, str(SCRIPT), *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    installs = [line for line in lines if line.startswith("install")]
    return installs[0].split()[4:] if installs else []  # after "install -y -qq --no-install-recommends"


def test_html_installs_only_venv_and_graphviz(tmp_path: Path) -> None:
    assert installed(tmp_path, "html") == ["python3-venv", "graphviz"]


def test_html_installs_nothing_present(tmp_path: Path) -> None:
    assert installed(tmp_path, "html", commands=("dot",), has_venv=True) == []


def test_everything_for_the_tests(tmp_path: Path) -> None:
    packages = installed(tmp_path, has_venv=True)
    for package in ["graphviz", "latexmk", "texlive-xetex", "xindy", "poppler-utils", "tex-gyre",
                    "texlive-luatex", "texlive-lang-chinese", "texlive-lang-cjk", "fonts-wqy-microhei"]:
        assert package in packages
    assert "python3-venv" not in packages


@pytest.mark.parametrize("goal", ["html", "test"])
def test_make_installs_before_it_builds(goal: str) -> None:
    """``make -n -B GOAL``: the system packages come before the virtualenv and the build."""
    run = subprocess.run(
        ["make", "-n", "-B", goal], cwd=REPO, capture_output=True, text=True, check=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    lines = run.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "scripts/system-deps.sh html" in line)
    venv = next(i for i, line in enumerate(lines) if "-m venv" in line)
    build = next(i for i, line in enumerate(lines) if ("sphinx-build" if goal == "html" else "pytest") in line)
    assert first < venv < build

"""The CI files ``talkbase new`` writes: they parse, and their commands build the project once.

The commands are taken from the YAML files and run as written (in a shell,
with this venv's ``talkbase`` and ``sphinx-build`` first on the PATH); only
``pip install`` is left out. A ``setup()`` added to the project's conf.py
counts Sphinx's "reading sources" phases, so a second build cannot hide.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from tests.conftest import talkbase

COUNT_READS = """

def _count_read(app, env, docnames):
    with open({counter!r}, "a", encoding="utf-8") as stream:
        stream.write(app.builder.name + "\\n")


def setup(app):
    app.connect("env-before-read-docs", _count_read)
"""

#: What the PDF needs on Read the Docs (as scripts/system-deps.sh installs for the test suite).
PDF_PACKAGES = {
    "latexmk",
    "texlive-latex-recommended",
    "texlive-latex-extra",
    "texlive-fonts-recommended",
    "texlive-xetex",
    "fonts-freefont-otf",
    "xindy",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    assert talkbase("new", root).returncode == 0
    conf = root / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + COUNT_READS.format(counter=str(tmp_path / "reads")), "utf-8")
    return root


def builds(project: Path) -> list[str]:
    """The builders that read sources since the last call (one line per build)."""
    counter = project.parent / "reads"
    names = counter.read_text(encoding="utf-8").split() if counter.exists() else []
    counter.unlink(missing_ok=True)
    return names


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a CI line as the runner does, with this venv's commands first on the PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )


def commands(lines: list[str]) -> list[str]:
    """The lines to run here: all but installing the requirements (this venv has them)."""
    return [line for line in lines if not line.startswith("python -m pip install")]


def test_github_workflow_builds_once_and_annotates(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/docs.yml").read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow[True]
    assert set(triggers) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert re.fullmatch(r"\S+ \S+ \* \* \d", triggers["schedule"][0]["cron"])  # weekly
    jobs = workflow["jobs"]
    assert set(jobs) == {"build", "linkcheck"}  # the deploy job is commented out

    build = jobs["build"]
    assert build["if"] == "github.event_name != 'schedule'"
    runs = [step["run"] for step in build["steps"] if "run" in step]
    uses = [step["uses"].split("@")[0] for step in build["steps"] if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/upload-artifact"]
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-artifact"))
    results = [shell(command, project) for command in commands(runs)]
    assert [r.returncode for r in results] == [0] * len(results), [r.stdout + r.stderr for r in results]
    assert builds(project) == ["html"]  # one build, and it wrote what is uploaded
    # A clean project: no annotation, only the folded summary.
    assert [line for r in results for line in r.stdout.splitlines() if line.startswith("::")] == [
        "::group::talkbase check summary",
        "::endgroup::",
    ]
    talk = project / upload["with"]["path"] / "talks" / "example-talk.html"
    assert len(BeautifulSoup(talk.read_text(encoding="utf-8"), "lxml").select(".kb-object.kb-talk")) == 1

    linkcheck = jobs["linkcheck"]
    assert linkcheck["if"] == "github.event_name == 'schedule'"  # never on pull requests
    assert commands([step["run"] for step in linkcheck["steps"] if "run" in step]) == ["make linkcheck"]


def test_github_pages_deploy_job_is_ready_to_uncomment(project: Path) -> None:
    text = (project / ".github/workflows/docs.yml").read_text(encoding="utf-8")
    block = re.search(r"^  # deploy:\n(?:^  #.*\n)+", text, re.MULTILINE)
    assert block, "the commented deploy job"
    uncommented = re.sub(r"^  # ?", "  ", block.group(0), flags=re.MULTILINE)
    jobs = yaml.safe_load("jobs:\n" + uncommented)["jobs"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step["uses"].split("@")[0] for step in deploy["steps"]]
    assert uses == ["actions/download-artifact", "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert deploy["steps"][0]["with"]["name"] == "html"  # the build job's artifact: no second build


def test_gitlab_pipeline_builds_once_with_code_quality(project: Path) -> None:
    pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    build, pages, linkcheck = pipeline["build"], pipeline["pages"], pipeline["linkcheck"]
    results = [shell(command, project) for command in commands(build["script"])]
    assert [r.returncode for r in results] == [0] * len(results), [r.stdout + r.stderr for r in results]
    assert builds(project) == ["html"]
    assert "result: OK" in results[-1].stdout  # the job log shows the summary
    report = project / build["artifacts"]["reports"]["codequality"]
    assert json.loads(report.read_text(encoding="utf-8")) == []
    assert build["artifacts"]["when"] == "always"
    for path in build["artifacts"]["paths"]:
        assert (project / path / "index.html").is_file()

    # Pages publishes the build job's artifact.
    assert pages["needs"] == ["build"]
    for command in commands(pages["script"]):
        assert shell(command, project).returncode == 0
    assert builds(project) == []
    assert pages["artifacts"]["paths"] == ["public"]
    assert (project / "public" / "index.html").is_file()
    assert any("$CI_DEFAULT_BRANCH" in rule["if"] for rule in pages["rules"])

    assert [rule["if"] for rule in linkcheck["rules"]] == ['$CI_PIPELINE_SOURCE == "schedule"']
    assert commands(linkcheck["script"]) == ["make linkcheck"]


def test_linkcheck_target_runs(project: Path) -> None:
    """`make linkcheck` (both schedules) runs Sphinx's linkcheck builder on the project, offline here."""
    result = shell("make linkcheck SPHINXOPTS='-D linkcheck_ignore=.*'", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert builds(project) == ["linkcheck"]
    assert (project / "_build" / "linkcheck" / "output.json").is_file()


def test_read_the_docs_builds_html_and_pdf(project: Path) -> None:
    config = yaml.safe_load((project / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert config["formats"] == ["pdf"]
    assert (project / config["sphinx"]["configuration"]).is_file()
    assert config["sphinx"]["fail_on_warning"] is True
    assert set(config["build"]["apt_packages"]) >= PDF_PACKAGES
    assert [(project / r["requirements"]).is_file() for r in config["python"]["install"]] == [True]
    system_deps = (Path(__file__).parents[1] / "scripts" / "system-deps.sh").read_text(encoding="utf-8")
    for package in PDF_PACKAGES:  # what the test suite itself installs to build PDFs
        assert re.search(rf"\s{re.escape(package)}\n", system_deps), package

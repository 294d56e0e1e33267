"""Where a no-op rebuild's CPU goes before, in and after the build: talkbase against plain Sphinx.

A no-op at N = 100 is mostly what every ``sphinx-build`` process pays whatever the
project: starting Python, importing Sphinx, loading the extensions, and tearing the
interpreter down.  This script builds (if needed) the two generated projects of
``run.py`` at one size, then runs the no-op ``--runs`` times in fresh interpreters,
interleaved, and prints the median CPU time of each stage:

- ``import sphinx.cmd.build``; each extension's ``load_extension`` (its imports and
  ``setup``, the extensions it sets up included); ``app __init__``, ``app _init_env``
  (unpickling the environment) and ``app build``;
- ``until end of main``: the process's CPU when ``build_main`` returns;
- ``whole process``: the child's CPU as its parent sees it (``os.wait4``), so
  ``teardown`` is what the interpreter spends after ``build_main`` (finalisation).

Usage: ``python benchmarks/fixed_cost.py --n 100 --runs 7``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))


def child(srcdir: str) -> None:
    """One no-op build in this process, timed by stage; prints a JSON object."""
    started = time.process_time()
    import sphinx.cmd.build  # noqa: PLC0415
    from sphinx.application import Sphinx  # noqa: PLC0415
    from sphinx.registry import SphinxComponentRegistry  # noqa: PLC0415

    stages: dict[str, float] = {"import sphinx.cmd.build": time.process_time() - started}
    depth = [0]
    load_extension = SphinxComponentRegistry.load_extension

    def timed_load_extension(self: SphinxComponentRegistry, app: Sphinx, extname: str) -> None:
        depth[0] += 1
        begun = time.process_time()
        try:
            load_extension(self, app, extname)
        finally:
            depth[0] -= 1
            if depth[0] == 0:  # an extension set up by another counts in that one
                key = f"ext {extname}"
                stages[key] = stages.get(key, 0.0) + time.process_time() - begun

    SphinxComponentRegistry.load_extension = timed_load_extension  # type: ignore[method-assign]

    import timings  # noqa: PLC0415  (after the import timed above: it imports Sphinx's modules)

    timings.timed(Sphinx, "__init__", "app __init__")
    timings.timed(Sphinx, "_init_env", "app _init_env")
    timings.timed(Sphinx, "build", "app build")
    outdir = Path(srcdir) / "_build"
    argv = ["-q", "-b", "html", "-N", "-d", str(outdir / "doctrees"), "-D", "html_theme=basic"]
    status = sphinx.cmd.build.build_main([*argv, srcdir, str(outdir / "html")])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stages.update(timings.SPENT)
    stages["until end of main"] = usage.ru_utime + usage.ru_stime
    print(json.dumps({"status": status, "stages": stages}))  # noqa: T201


def measure(srcdir: Path) -> dict[str, float]:
    """One no-op of ``srcdir`` in a fresh interpreter, as ``run.py`` starts its builds."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.sync()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen([sys.executable, __file__, "--child", str(srcdir)], stdout=out, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        out.seek(0)
        report = json.loads(out.read().strip().splitlines()[-1])
    if status or report["status"]:
        raise RuntimeError(f"the no-op build of {srcdir} failed")
    stages: dict[str, float] = report["stages"]
    stages["whole process"] = usage.ru_utime + usage.ru_stime
    stages["teardown"] = stages["whole process"] - stages["until end of main"]
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=100, help="talks in the generated projects")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "talkbase-fixed")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    import generate  # noqa: PLC0415
    import run  # noqa: PLC0415

    kb = generate.build_model(args.n)
    projects = {}
    for variant in ("talkbase", "baseline"):
        srcdir = args.workdir / str(args.n) / variant
        if not (srcdir / "_build" / "doctrees" / "environment.pickle").is_file():
            srcdir.mkdir(parents=True, exist_ok=True)
            generate.write(kb, srcdir, variant)
            run.sphinx_build(srcdir)  # the build the no-ops follow
        run.sphinx_build(srcdir)  # the first no-op writes what the clean build left to write
        projects[variant] = srcdir
    runs: dict[str, list[dict[str, float]]] = {variant: [] for variant in projects}
    for _ in range(args.runs):
        for variant, srcdir in projects.items():
            runs[variant].append(measure(srcdir))
    keys = {key for stages in runs["talkbase"] + runs["baseline"] for key in stages}

    def median(variant: str, key: str) -> float:
        return statistics.median(stages.get(key, 0.0) for stages in runs[variant])

    print(f"no-op at N = {args.n}, CPU seconds, medians of {args.runs} interleaved runs")  # noqa: T201
    print(f"{'stage':<48}{'talkbase':>10}{'plain':>10}{'extra':>10}")  # noqa: T201
    for key in sorted(keys, key=lambda k: -median("talkbase", k)):
        a, b = median("talkbase", key), median("baseline", key)
        if a >= 0.002 or b >= 0.002:
            print(f"{key:<48}{a:10.3f}{b:10.3f}{a - b:+10.3f}")  # noqa: T201


if __name__ == "__main__":
    main()

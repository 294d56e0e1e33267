"""Where a build of the generated knowledge base spends its time: cProfile on CPU time.

Generates the N-talk project of ``--variant`` (default talkbase, N = 1 000), then
profiles one scenario in this process, with CPU time (``time.process_time``) as
the profiler's clock, so the figures do not grow with the load of a shared machine:

- ``clean``: a clean serial build;
- ``noop``, ``edit-body``, ``rename``, ``add-term-ref``: a clean build (not
  profiled), the change (:mod:`run`), then the profiled incremental build.

Prints the entries with the largest cumulative time (``--top``), the whole
build's first, and those of talkbase's own modules; ``--output`` keeps the
``pstats`` file.  Usage:
``python benchmarks/profiling.py [--n N] [--scenario S] [--variant V] [--top K] [--srcdir DIR [--talk T]]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import generate
from run import INCREMENTAL, Project
from sphinx.cmd.build import build_main


def build(srcdir: Path) -> int:
    out = srcdir / "_build"
    return build_main(["-q", "-b", "html", "-N", "-d", str(out / "doctrees"), str(srcdir), str(out / "html")])


def top(stats: pstats.Stats, count: int, *restrictions: str) -> str:
    stream = io.StringIO()
    stats.stream = stream  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(*restrictions, count)
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--scenario", choices=("clean", *INCREMENTAL), default="clean")
    parser.add_argument("--variant", choices=generate.VARIANTS, default="talkbase")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--output", type=Path, help="write the pstats file here")
    parser.add_argument("--srcdir", type=Path, help="an already built project of N talks (run.py's workdir): "
                        "profile its next incremental scenario without a clean build first")
    parser.add_argument("--talk", type=int, default=100, help="with --srcdir: the talk the change edits "
                        "(a talk edits once; run.py edits the first ones)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    workdir = args.srcdir or Path(tempfile.mkdtemp(prefix="talkbase-profile-"))
    try:
        if args.srcdir:
            kb = generate.build_model(args.n)
            project = Project(kb, workdir, args.variant)
            project.next_talk = args.talk
            project.edit(args.scenario)
        else:
            kb = generate.generate(args.n, workdir, args.variant)
            project = Project(kb, workdir, args.variant)
        if args.scenario != "clean" and not args.srcdir:
            if build(workdir):
                raise SystemExit("the unprofiled clean build failed")
            project.edit(args.scenario)
        profiler = cProfile.Profile(time.process_time)
        started = time.process_time()
        status = profiler.runcall(build, workdir)
        cpu = time.process_time() - started
        if status:
            raise SystemExit("the profiled build failed")
        stats = pstats.Stats(profiler)
        if args.output:
            stats.dump_stats(args.output)
        print(f"{args.variant}, N = {args.n}, {args.scenario}: {cpu:.2f} s CPU (profiled)\n")  # noqa: T201
        print(top(stats, args.top))  # noqa: T201
        print("\ntalkbase's own entries:\n")  # noqa: T201
        print(top(stats, args.top, "talkbase/"))  # noqa: T201
    finally:
        if not args.srcdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

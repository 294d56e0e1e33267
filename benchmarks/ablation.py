"""Where talkbase's clean-build time goes: the same project built with parts switched off.

Builds the generated N-talk project (default 300) cleanly, serially, in these variants:

- ``baseline``: plain Sphinx (the benchmark's baseline);
- ``talkbase``: everything on;
- ``no-cite``: without the "Cite this" block on talk pages (its filler is unregistered);
- ``no-cite-no-backlinks``: also ``talkbase_backlinks = False``.

The differences show what each feature costs on top of plain Sphinx.  Usage:
``python benchmarks/ablation.py [N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import generate
from run import sphinx_build

ABLATE = '''"""Benchmark-only extension: drop talkbase fillers named in conf.py (ablation)."""


def _drop(app):
    from talkbase import placeholders

    for kind in app.config.ablate_fillers:
        placeholders.FILLERS.pop(kind, None)


def setup(app):
    app.add_config_value("ablate_fillers", [], "env")
    app.connect("builder-inited", _drop)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''

VARIANTS = {
    "baseline": ("baseline", ""),
    "talkbase": ("talkbase", ""),
    "no-cite": ("talkbase", 'ablate_fillers = ["cite-this"]\n'),
    "no-cite-no-backlinks": ("talkbase", 'ablate_fillers = ["cite-this"]\ntalkbase_backlinks = False\n'),
}


def main() -> None:
    parser = argparse.ArgumentParser(description="talkbase clean-build cost by feature")
    parser.add_argument("n", type=int, nargs="?", default=300)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    kb = generate.build_model(args.n)
    work = Path(tempfile.mkdtemp(prefix="talkbase-ablation-"))
    results = {}
    try:
        for name, (variant, extra) in VARIANTS.items():
            srcdir = work / name
            srcdir.mkdir()
            generate.write(kb, srcdir, variant)
            if variant == "talkbase":
                (srcdir / "_ablate.py").write_text(ABLATE, encoding="utf-8")
                conf = srcdir / "conf.py"
                text = conf.read_text(encoding="utf-8").replace('"talkbase"]', '"talkbase", "_ablate"]')
                conf.write_text("import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n" + text + extra)
            times = []
            for _ in range(args.repeats):
                shutil.rmtree(srcdir / "_build", ignore_errors=True)
                times.append(sphinx_build(srcdir).seconds)
            results[name] = statistics.median(times)
            print(f"{name:<22} {results[name]:7.2f} s  ×{results[name] / results['baseline']:.2f}", flush=True)  # noqa: T201
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

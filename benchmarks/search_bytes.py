"""Bytes a reader downloads for one search, Pagefind against Sphinx's own search.

For each size N (default 1 000; ``--large`` adds 5 000) it generates the talkbase
variant of the benchmark knowledge base (:mod:`generate`), builds it twice with
``html_theme = "talkbase"`` in a subprocess (``talkbase_search = "auto"``, i.e.
Pagefind, and ``"sphinx"``), timing each clean build and the Pagefind step alone, then serves each output on
127.0.0.1 and opens ``search.html?q=WORD`` in Debian's Chromium (Playwright).
The bytes are the bodies of every response of the fresh tab (page, theme,
search code and index) from the first request until the results are shown and
the network is idle; Python's ``http.server`` sends them uncompressed, so this
is what crosses the wire without the headers.  The same responses gzipped
(level 6) tell what a compressing server would send.  WORD is the word found in the most talk pages (the worst case for
Sphinx's search, which fetches every result page for its snippet).

Usage: ``python benchmarks/search_bytes.py [--sizes 1000 5000] [--large] [--workdir DIR] [--reuse]``
(``--reuse``: measure again the builds already in DIR, without building);
writes ``benchmarks/results-search.json`` and prints a table.  See docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))
import generate  # noqa: E402
import harness  # noqa: E402

from talkbase.theme import pagefind_stable  # noqa: E402
from talkbase.theme import search as talkbase_search  # noqa: E402

SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")
_WORD = re.compile(r"[a-z]{4,}")


def build(srcdir: Path, outdir: Path, search: str) -> float:
    """A clean ``sphinx-build -b html`` with the talkbase theme; its wall time in seconds."""
    shutil.rmtree(outdir, ignore_errors=True)
    command = [
        str(SPHINX_BUILD), "-b", "html", "-q", "-E", "-d", str(outdir / ".doctrees"),
        "-D", "html_theme=talkbase", "-D", f"talkbase_search={search}", str(srcdir), str(outdir),
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def query_words(srcdir: Path) -> dict[str, tuple[str, int]]:
    """Two queries and the number of talk pages holding each: ``common``, the word found in
    the most talk pages; ``specific``, the most common word found in at most 1 % of them."""
    pages: collections.Counter[str] = collections.Counter()
    talks = sorted((srcdir / "talks").glob("*.md"))
    for path in talks:
        # The words of the text, not of the directive options (":date:") or the markup.
        lines = path.read_text(encoding="utf-8").lower().splitlines()
        text = " ".join(line for line in lines if not line.startswith((":", "`", "(")))
        pages.update(set(_WORD.findall(text)))
    ranked = sorted(pages.items(), key=lambda item: (-item[1], item[0]))  # ties: alphabetical, stable
    specific = next((word, count) for word, count in ranked if count <= max(1, len(talks) // 100))
    return {"common": ranked[0], "specific": specific}


def measure_query(browser: Any, url: str, done: str) -> dict[str, Any]:
    """Load ``url`` in a fresh tab, wait for ``done`` (a JS condition) and an idle network."""
    context = browser.new_context()
    page = context.new_page()
    bodies: dict[str, int] = {}
    gzipped: dict[str, int] = {}

    def on_response(response: Any) -> None:
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        bodies[response.url] = len(body)
        gzipped[response.url] = len(gzip.compress(body, 6))

    # On the context, not the page: Pagefind fetches part of its index from a web worker.
    context.on("response", on_response)
    page.goto(url)
    page.wait_for_function(done, timeout=600_000)
    page.wait_for_load_state("networkidle")
    results = page.evaluate(
        "document.querySelectorAll('.tb-search-result').length || "
        "document.querySelectorAll('#search-results ul.search li').length"
    )
    context.close()
    largest = sorted(bodies.items(), key=lambda item: -item[1])[:5]
    # What the search itself fetched, without the page and its theme: Pagefind's bundle, or
    # Sphinx's index and the pages it fetches for snippets.
    search_urls = [
        url
        for url in bodies
        if "/pagefind/" in url
        or "/talks/" in url
        or "/speakers/" in url
        or url.endswith(("searchindex.js", "-list.html", "glossary.html"))
    ]
    return {
        "requests": len(bodies),
        "search_body_bytes": sum(bodies[url] for url in search_urls),
        "search_gzip_bytes": sum(gzipped[url] for url in search_urls),
        "transferred_bytes": sum(bodies.values()),
        "gzip_bytes": sum(gzipped.values()),
        "results_shown": results,
        "largest": [(url.split("/", 3)[-1], size) for url, size in largest],
    }


#: When each search page has finished: Pagefind's results (or "no results"), Sphinx's status line.
DONE = {
    "pagefind": "document.querySelector('#tb-search-status').textContent !== ''",
    "sphinx": "document.querySelector('#search-results .search-summary') && "
    "document.querySelector('#search-results .search-summary').textContent !== ''",
}


def measure_size(n: int, workdir: Path, log: Any, *, reuse: bool = False) -> dict[str, Any]:
    srcdir = workdir / str(n) / "src"
    outdirs = {mode: workdir / str(n) / f"html-{mode}" for mode in ("pagefind", "sphinx")}
    reuse = reuse and all((outdir / "search.html").is_file() for outdir in outdirs.values())
    if not reuse:
        shutil.rmtree(srcdir, ignore_errors=True)
        srcdir.mkdir(parents=True)
        generate.write(generate.build_model(n), srcdir, "talkbase")
    words = query_words(srcdir)
    data: dict[str, Any] = {"words": words, "builds_s": {}, "queries": {}}
    for mode, outdir in outdirs.items():
        if reuse:
            data["builds_s"][mode] = None
            continue
        data["builds_s"][mode] = round(build(srcdir, outdir, "auto" if mode == "pagefind" else "sphinx"), 1)
        log(f"N={n}: clean build with {mode}: {data['builds_s'][mode]} s")
    # The Pagefind step alone, as talkbase runs it at the end of the build.
    executable = talkbase_search.pagefind_executable()
    assert executable is not None, "pagefind[bin] is not installed"
    bundle = outdirs["pagefind"] / talkbase_search.BUNDLE
    shutil.rmtree(bundle)
    started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(talkbase_search.pagefind_command(executable, outdirs["pagefind"], keep_index_url=True), check=True)
    pagefind_stable.stabilize(bundle)
    data["pagefind_step_s"] = round(time.perf_counter() - started, 1)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    data["pagefind_step_cpu_s"] = round(after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime, 1)
    log(f"N={n}: the Pagefind step alone: {data['pagefind_step_s']} s ({data['pagefind_step_cpu_s']} s CPU)")
    index = (outdirs["sphinx"] / "searchindex.js").read_bytes()
    data["searchindex_bytes"] = len(index)
    data["searchindex_gzip_bytes"] = len(gzip.compress(index, 6))
    bundle = outdirs["pagefind"] / "pagefind"
    data["pagefind_bundle_bytes"] = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    with harness.browser() as browser:
        for kind, (word, _count) in words.items():
            data["queries"][kind] = {}
            for mode, outdir in outdirs.items():
                with harness.serve(outdir) as base:
                    measured = measure_query(browser, f"{base}search.html?q={word}", DONE[mode])
                data["queries"][kind][mode] = measured
                log(f"N={n}: {kind} query {word!r}, {mode}: {measured['transferred_bytes']} bytes")
            pagefind = data["queries"][kind]["pagefind"]["transferred_bytes"]
            data["queries"][kind]["pagefind_over_searchindex"] = round(pagefind / data["searchindex_bytes"], 4)
    if not reuse:
        data["pagefind_build_extra_s"] = round(data["builds_s"]["pagefind"] - data["builds_s"]["sphinx"], 1)
    return data


def table(report: dict[str, Any]) -> str:
    lines = [
        "| N | query (talk pages) | searchindex.js (gzip) | Sphinx: page + query | Pagefind: page + query "
        "(gzip) | of which search | Pagefind / searchindex.js | clean build Sphinx / Pagefind |",
        "|---|---|---|---|---|---|---|---|",
    ]
    kb = 1024
    for n, d in report["sizes"].items():
        for kind, (word, count) in d["words"].items():
            query = d["queries"][kind]
            sphinx, pagefind = query["sphinx"], query["pagefind"]
            lines.append(
                f"| {n} | {kind}: {word} ({count}) "
                f"| {d['searchindex_bytes'] / kb:.0f} KB ({d['searchindex_gzip_bytes'] / kb:.0f} KB) "
                f"| {sphinx['transferred_bytes'] / kb:.0f} KB, {sphinx['requests']} requests "
                f"| {pagefind['transferred_bytes'] / kb:.0f} KB ({pagefind['gzip_bytes'] / kb:.0f} KB), "
                f"{pagefind['requests']} requests "
                f"| {pagefind['search_body_bytes'] / kb:.0f} KB "
                f"| {100 * query['pagefind_over_searchindex']:.1f} % "
                f"| {d['builds_s']['sphinx']} s / {d['builds_s']['pagefind']} s "
                f"({d['pagefind_step_s']} s, {d['pagefind_step_cpu_s']} s CPU) |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="bytes downloaded per search: Pagefind against Sphinx")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--large", action="store_true", help="add N = 5 000")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=HERE / "results-search.json")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the builds already in --workdir (no build times)"
    )
    args = parser.parse_args()
    missing = harness.missing_tools()
    if missing:
        parser.error("; ".join(missing))
    sizes = sorted(set(args.sizes + ([5000] if args.large else [])))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="talkbase-search-bench-"))

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)  # noqa: T201

    report = {"sizes": {str(n): measure_size(n, workdir, log, reuse=args.reuse) for n in sizes}}
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))  # noqa: T201
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""CPU seconds per transform, post-transform, event listener and build phase of one build.

cProfile inflates code that makes many small calls (docutils' tree walks) several
times over; this wraps only the coarse steps of a build and times them with
``time.process_time``, so the figures add up to the build's real CPU time and
two builds (plain Sphinx and talkbase, or two versions of talkbase) can be
compared line by line.  Full garbage collections are counted apart (``gc``
lines): they land inside whichever step is running when they happen.

Usage: ``python benchmarks/timings.py SRCDIR OUTDIR [--top K]`` (a clean, serial
HTML build of SRCDIR, e.g. a project made by ``benchmarks/generate.py``).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import Counter
from typing import Any

from docutils.transforms import Transformer
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.cmd.build import build_main
from sphinx.environment import BuildEnvironment
from sphinx.events import EventManager

SPENT: Counter[str] = Counter()


def timed_transforms(self: Transformer) -> None:
    """docutils' ``Transformer.apply_transforms``, timing each transform."""
    self.document.reporter.attach_observer(self.document.note_transform_message)
    while self.transforms:
        if not self.sorted:
            self.transforms.sort()
            self.transforms.reverse()
            self.sorted = 1
        priority, transform_class, pending, kwargs = self.transforms.pop()
        transform = transform_class(self.document, startnode=pending)
        started = time.process_time()
        transform.apply(**kwargs)
        SPENT[f"transform {transform_class.__module__}.{transform_class.__name__}"] += time.process_time() - started
        self.applied.append((priority, transform_class, pending, kwargs))


def timed_emit(
    self: EventManager, name: str, *args: Any, allowed_exceptions: tuple[type[Exception], ...] = ()
) -> list[Any]:
    """Sphinx's ``EventManager.emit`` (without its error wrapping), timing each listener."""
    results = []
    for listener in sorted(self.listeners[name], key=lambda listener: listener.priority):
        started = time.process_time()
        results.append(listener.handler(self.app, *args))
        handler = getattr(listener.handler, "func", listener.handler)  # a functools.partial's function
        where = f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', repr(handler))}"
        SPENT[f"event {name} {where}"] += time.process_time() - started
    return results


def timed(cls: type, method: str, label: str) -> None:
    original = getattr(cls, method)

    def wrapper(self: object, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - started

    setattr(cls, method, wrapper)


def time_collections() -> None:
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            SPENT[f"gc generation {info['generation']}"] += time.process_time() - started[0]

    gc.callbacks.append(callback)


def instrument() -> None:
    Transformer.apply_transforms = timed_transforms  # type: ignore[method-assign]
    EventManager.emit = timed_emit  # type: ignore[method-assign]
    timed(Builder, "read", "phase read")
    timed(Builder, "write", "phase write")
    timed(StandaloneHTMLBuilder, "write_doc", "html write_doc (translator)")
    timed(StandaloneHTMLBuilder, "index_page", "html index_page (search index)")
    timed(StandaloneHTMLBuilder, "handle_page", "html handle_page (template)")
    timed(StandaloneHTMLBuilder, "finish", "html finish")
    timed(BuildEnvironment, "apply_post_transforms", "post-transforms, all")
    time_collections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("srcdir")
    parser.add_argument("outdir")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    instrument()
    started = time.process_time()
    doctrees, html = f"{args.outdir}/doctrees", f"{args.outdir}/html"
    status = build_main(["-q", "-b", "html", "-N", "-E", "-d", doctrees, args.srcdir, html])
    print(f"{time.process_time() - started:8.2f} TOTAL CPU (exit status {status})")  # noqa: T201
    for label, seconds in SPENT.most_common(args.top):
        print(f"{seconds:8.2f} {label}")  # noqa: T201


if __name__ == "__main__":
    main()

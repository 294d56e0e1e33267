"""Incremental builds equal clean builds, after any sequence of edits.

Hypothesis draws short sequences of edits to a small knowledge base (add, remove,
rename and move objects, add and remove references, change the object a summary
mentions, delete a page).  Each listing has a page of its own and every object's
summary may mention another object, so a listing shows, in the hover previews of
the talkbase theme, titles defined on pages it neither lists nor links to.  After each
edit the project is built incrementally (a fresh Sphinx application on the same
source and output directories) and every HTML page is compared with a clean build
of the same sources.

Compared: the whole page, previews and metadata included, except the navigation
built from the toctree (the theme's navigation and previous/next links, whose
titles plain Sphinx itself leaves stale in incremental builds) and the ``?v=``
cache busters.  Pages left behind by a
deleted document are not compared (Sphinx never deletes outputs).  The ``_kb/``
exports are compared byte for byte.

Each incremental build also fingerprints every page after the fact: a page whose
fingerprint changed must be one the build fingerprinted (the dependencies of
:mod:`talkbase.dependencies` missed none), whether or not it shows the change.

Hypothesis is derandomized (the same examples on every run).  The number of
builds is bounded: 8 examples of at most 4 edits (at most 72 builds);
``TALKBASE_LONG_TESTS=1`` raises the budget to 60 examples of at most 8 edits.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup, NavigableString
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from talkbase import incremental

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

LONG = os.environ.get("TALKBASE_LONG_TESTS") == "1"
MAX_EXAMPLES = 60 if LONG else 8
MAX_STEPS = 8 if LONG else 4

CONF = """\
extensions = ["myst_parser", "talkbase"]
language = "en"
html_theme = "talkbase"
exclude_patterns = ["_build"]
"""

INDEX = """\
# Knowledge base

```{toctree}
:glob:

list-*
p*
```
"""

#: Each listing on a page of its own (list-talk.md…): a page listing talks shows
#: nothing of an event a talk's summary mentions, except in that talk's preview.
LISTINGS = ("talk", "speaker", "recommendation", "term", "event")

#: Object kind -> the role linking to it.
ROLES = {"talk": "talk", "speaker": "speaker", "term": "term", "rec": "rec", "event": "event"}
DIRECTIVES = {"talk": "talk", "speaker": "speaker", "term": "term", "rec": "recommendation", "event": "event"}
#: Object kind -> the role a summary mentions it with (showing the object's title).
MENTIONS = {"talk": "talk", "speaker": "speaker", "term": "kb:term", "rec": "rec", "event": "event"}


@dataclass
class Obj:
    kind: str
    id: str
    title: str
    page: str
    #: talk: its speakers and event; rec: its talk.
    links: tuple[str, ...] = ()
    #: (kind, id) of the object its summary mentions.
    mention: tuple[str, str] | None = None

    def render(self) -> str:
        options = [f":id: {self.id}"]
        if self.kind == "talk":
            speakers = [link for link in self.links if link.startswith("s")]
            events = [link for link in self.links if link.startswith("e")]
            options.append(f":speakers: {', '.join(speakers) or 's1'}")
            if events:
                options.append(f":event: {events[0]}")
        elif self.kind == "rec":
            options.append(f":talk: {self.links[0] if self.links else 't1'}")
        elif self.kind == "event":
            options.append(":date: 2011-09-05")
        body = f"About {self.title.lower()}"
        if self.mention:
            kind, target = self.mention
            body += f", with {{{MENTIONS[kind]}}}`{target}`"
        body += "."
        return f"```{{{DIRECTIVES[self.kind]}}} {self.title}\n" + "\n".join(options) + f"\n\n{body}\n```\n"


@dataclass
class Project:
    pages: list[str] = field(default_factory=lambda: ["p1", "p2", "p3"])
    objects: list[Obj] = field(default_factory=list)
    #: (page, kind, target id) of every reference made by a role.
    refs: list[tuple[str, str, str]] = field(default_factory=list)
    serial: int = 0

    def files(self) -> dict[str, str]:
        files = {"conf.py": CONF, "index.md": INDEX}
        for kind in LISTINGS:
            files[f"list-{kind}.md"] = f"# List of {kind}s\n\n```{{{kind}-list}}\n```\n"
        for page in self.pages:
            parts = [f"# Page {page}\n"]
            parts += [obj.render() for obj in self.objects if obj.page == page]
            refs = [f"{{{ROLES[kind]}}}`{target}`" for where, kind, target in self.refs if where == page]
            if refs:
                parts.append("See " + ", ".join(refs) + ".\n")
            files[f"{page}.md"] = "\n".join(parts)
        return files

    def new_id(self, kind: str) -> str:
        self.serial += 1
        prefix = {"talk": "t", "speaker": "s", "term": "term-", "rec": "r", "event": "e"}[kind]
        return f"{prefix}x{self.serial}"


def initial() -> Project:
    project = Project()
    project.objects = [
        Obj("event", "e1", "Docs Day", "p1"),
        Obj("speaker", "s1", "Ada Martin", "p2"),
        Obj("speaker", "s2", "Basile Roux", "p2"),
        Obj("talk", "t1", "Docs as code", "p1", ("s1", "e1")),
        Obj("rec", "r1", "Write tests first", "p1", ("t1",)),
        Obj("talk", "t2", "Search that works", "p3", ("s2",)),
        Obj("term", "term-a", "Docs as code term", "p3"),
        Obj("term", "term-b", "Proxemics", "p3"),
    ]
    project.refs = [("p2", "talk", "t1"), ("p3", "term", "term-a"), ("p1", "term", "term-b"), ("p3", "rec", "r1")]
    mentions = {"t2": ("term", "term-b"), "r1": ("speaker", "s2"), "term-b": ("talk", "t1"), "s1": ("term", "term-a")}
    project.objects = [replace(obj, mention=mentions.get(obj.id)) for obj in project.objects]
    return project


OPS = ("add", "remove", "rename", "add-ref", "remove-ref", "move", "delete-page", "add-page", "mention")
KINDS = ("talk", "speaker", "term", "rec", "event")


def apply(project: Project, op: str, a: int, b: int) -> str:  # noqa: PLR0911 (one branch per edit)
    """Apply one edit; ``a`` and ``b`` pick objects, pages and kinds. Returns a description."""
    objects, pages = project.objects, project.pages
    if op == "add" and pages:
        kind = KINDS[a % len(KINDS)]
        page = pages[b % len(pages)]
        objid = project.new_id(kind)
        speakers = [o.id for o in objects if o.kind == "speaker"][:1]
        talks = [o.id for o in objects if o.kind == "talk"][-1:]
        links = tuple(speakers) if kind == "talk" else tuple(talks) if kind == "rec" else ()
        objects.append(Obj(kind, objid, f"New {kind} {project.serial}", page, links))
        return f"add {kind} {objid} to {page}"
    if op == "remove" and objects:
        obj = objects.pop(a % len(objects))
        return f"remove {obj.id}"
    if op == "rename" and objects:
        index = a % len(objects)
        objects[index] = replace(objects[index], title=f"{objects[index].title} v{b % 7}")
        return f"rename {objects[index].id}"
    if op == "add-ref" and objects and pages:
        obj = objects[a % len(objects)]
        project.refs.append((pages[b % len(pages)], obj.kind, obj.id))
        return f"reference {obj.id} from {project.refs[-1][0]}"
    if op == "remove-ref" and project.refs:
        ref = project.refs.pop(a % len(project.refs))
        return f"remove reference {ref}"
    if op == "move" and objects and len(pages) > 1:
        index = a % len(objects)
        others = [p for p in pages if p != objects[index].page]
        objects[index] = replace(objects[index], page=others[b % len(others)])
        return f"move {objects[index].id} to {objects[index].page}"
    if op == "delete-page" and len(pages) > 1:
        page = pages.pop(a % len(pages))
        project.objects = [o for o in objects if o.page != page]
        project.refs = [r for r in project.refs if r[0] != page]
        return f"delete page {page}"
    if op == "mention" and objects:
        index, target = a % len(objects), objects[b % len(objects)]
        mention = (target.kind, target.id) if target is not objects[index] else None
        objects[index] = replace(objects[index], mention=mention)
        return f"{objects[index].id} mentions {mention}"
    if op == "add-page":
        project.serial += 1
        pages.append(f"p{project.serial + 10}")
        return f"add page {pages[-1]}"
    return "no-op"


def sync(project: Project, srcdir: Path) -> None:
    """Write changed files only (an untouched file must not be re-read) and delete removed pages."""
    files = project.files()
    for path in srcdir.glob("*.md"):
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        path = srcdir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def build(srcdir: Path, builddir: Path, *, fresh: bool = False) -> tuple[Path, str]:
    app = SphinxTestApp("html", srcdir=srcdir, builddir=builddir, freshenv=fresh)
    try:
        app.build()
    finally:
        app.cleanup()
    return app.outdir, app.warning.getvalue()


def build_checking_dependencies(srcdir: Path, builddir: Path) -> tuple[Path, list[str]]:
    """An incremental build, and the pages whose fingerprint changed while the build did not
    fingerprint them (computed after the fact: every page, every time)."""
    missed: list[str] = []
    original = incremental.changed_pages

    def checked(
        stored: dict[str, bytes],
        docnames: Iterable[str],
        current: Callable[[str], bytes],
        *,
        only: Iterable[str] | None = None,
    ) -> list[str]:
        docnames = set(docnames)
        before = dict(stored)
        outdated = original(stored, docnames, current, only=only)
        skipped = docnames - set(docnames if only is None else only)
        missed.extend(docname for docname in sorted(skipped & set(before)) if current(docname) != before[docname])
        return outdated

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(incremental, "changed_pages", checked)
        outdir, _warnings = build(srcdir, builddir)
    return outdir, missed


_CACHE_BUSTER = re.compile(r"\?v=[0-9a-f]+")


def normalized(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    for element in soup.select("nav.tb-nav, nav.tb-relations, link[rel=next], link[rel=prev]"):
        before = element.previous_sibling
        if isinstance(before, NavigableString) and not before.strip():
            before.extract()  # the line break before it, present only if it is
        element.decompose()
    return _CACHE_BUSTER.sub("", str(soup))


def html_pages(outdir: Path) -> dict[str, Path]:
    return {str(path.relative_to(outdir)): path for path in sorted(outdir.rglob("*.html"))}


def assert_same_pages(incremental: Path, clean: Path, history: list[str]) -> None:
    clean_pages, incremental_pages = html_pages(clean), html_pages(incremental)
    missing = sorted(set(clean_pages) - set(incremental_pages))
    assert not missing, f"pages missing from the incremental build after {history}: {missing}"
    differing = [name for name, path in clean_pages.items() if normalized(path) != normalized(incremental_pages[name])]
    assert not differing, f"incremental != clean after {history}: {differing}"
    exports = sorted(path.relative_to(clean) for path in (clean / "_kb").glob("*"))
    assert exports, "the clean build wrote no _kb/ exports"
    stale = [str(name) for name in exports if (clean / name).read_bytes() != (incremental / name).read_bytes()]
    assert not stale, f"exports of the incremental build differ after {history}: {stale}"


steps = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=MAX_STEPS
)


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    derandomize=True,
)
@given(edits=steps)
# Found by a long run: deleting the page after p1 leaves Sphinx's own stale <link rel="next">.
# Renaming the term t2's summary mentions: list-talk shows it only in t2's preview.
@example(edits=[("rename", 7, 1)])
@example(edits=[("add", 34, 0), ("add", 0, 25), ("delete-page", 25, 41), ("delete-page", 25, 41)])
def test_incremental_equals_clean(edits: list[tuple[str, int, int]]) -> None:
    work = Path(tempfile.mkdtemp(prefix="talkbase-inc-"))
    try:
        srcdir = work / "src"
        srcdir.mkdir()
        project = initial()
        sync(project, srcdir)
        build(srcdir, work / "incremental")
        history: list[str] = []
        for number, (op, a, b) in enumerate(edits):
            history.append(apply(project, op, a, b))
            sync(project, srcdir)
            outdir, missed = build_checking_dependencies(srcdir, work / "incremental")
            assert not missed, f"pages not fingerprinted after {history}: {missed}"
            clean_outdir, _clean_warnings = build(srcdir, work / f"clean-{number}", fresh=True)
            assert_same_pages(outdir, clean_outdir, history)
            shutil.rmtree(work / f"clean-{number}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_rename_then_move_then_delete() -> None:
    """A fixed sequence touching every kind of cross-page content (runs without hypothesis' draw)."""
    test_incremental_equals_clean.hypothesis.inner_test(  # type: ignore[attr-defined]
        [("rename", 3, 1), ("move", 6, 0), ("remove-ref", 0, 0), ("delete-page", 0, 0)]
    )

"""The left navigation: the current branch of the toctree, not the whole tree.

Runs when each HTML page is written (``html-page-context``).  Other themes call
``toctree()`` on every page, which resolves the whole tree each time and puts
every sibling in every page: with thousands of talk pages under one index the
build slows down quadratically and each page carries the full list.  Here the
tree is read once per build from ``env.toctree_includes`` (parents and
children) and the root document's toctrees (captions and explicit titles), and
each page gets:

* the entries of the root toctrees, under their captions;
* the path from the top to the page, each level expanded (up to the
  ``navigation_depth`` theme option);
* the page's own children, when the depth allows;
* of any list longer than :data:`LONG_LIST` entries, only a window of
  :data:`WINDOW` entries on each side of the current one, with a link to the
  parent page standing for the rest.

So the navigation's size is bounded by ``depth x (2 x WINDOW + 3)`` entries
whatever the size of the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sphinx import addnodes
from sphinx.locale import get_translation

from talkbase.theme import uses_theme

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

_ = get_translation("talkbase")

#: Lists longer than this show a window around the current entry.
LONG_LIST = 30
#: Entries shown on each side of the current one in a long list.
WINDOW = 7


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the navigation: a document (``docname``) or an outside URL."""

    title: str
    target: str
    external: bool = False


@dataclass(slots=True)
class NavTree:
    """The toctree of the whole project, read once per build."""

    root: str
    groups: list[tuple[str, list[Entry]]] = field(default_factory=list)
    parents: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def title(self, docname: str) -> str:
        return self.titles.get(docname, docname)

    def chain(self, docname: str) -> list[str]:
        """The documents from a top-level entry down to ``docname`` (empty if unreachable)."""
        path = [docname]
        while path[-1] in self.parents and path[-1] != self.root:
            parent = self.parents[path[-1]]
            if parent in path:  # a toctree cycle (Sphinx warns about it)
                return []
            path.append(parent)
        if path[-1] != self.root or docname == self.root:
            return []
        return path[-2::-1]


def read_tree(env: BuildEnvironment) -> NavTree:
    """Collect captions, parents, children and titles (once per build, first page written)."""
    root = env.config.root_doc
    tree = NavTree(root=root, titles={doc: node.astext() for doc, node in env.titles.items()})
    for parent in sorted(env.toctree_includes):
        kids = list(dict.fromkeys(env.toctree_includes[parent]))
        tree.children[parent] = kids
        for kid in kids:
            tree.parents.setdefault(kid, parent)
    if root in env.all_docs:
        for toctree in env.get_doctree(root).findall(addnodes.toctree):
            entries = []
            for title, ref in toctree["entries"]:
                if ref == "self":
                    continue
                external = ref not in env.all_docs
                entries.append(Entry(title or (ref if external else tree.title(ref)), ref, external))
            if entries:
                tree.groups.append((toctree.get("caption") or "", entries))
    return tree


@dataclass(slots=True)
class Renderer:
    """Writes the navigation HTML of one page."""

    tree: NavTree
    builder: Builder
    pagename: str
    maxdepth: int
    on_path: set[str] = field(default_factory=set)
    ids: int = 0

    def render(self) -> str:
        chain = self.tree.chain(self.pagename)
        self.on_path = set(chain)
        out: list[str] = []
        for number, (caption, entries) in enumerate(self.tree.groups):
            label = ""
            if caption:
                out.append(f'<p class="tb-nav-caption" id="tb-nav-caption-{number}">{escape(caption)}</p>')
                label = f' aria-labelledby="tb-nav-caption-{number}"'
            out.append(self.render_list(entries, 1, self.tree.root, label))
        return "".join(out)

    def render_list(self, entries: list[Entry], level: int, parent: str, attrs: str = "") -> str:
        shown: list[Entry | None] = list(entries)
        if len(entries) > LONG_LIST:
            current = next((i for i, entry in enumerate(entries) if entry.target in self.on_path), 0)
            start = max(0, min(current - WINDOW, len(entries) - 2 * WINDOW - 1))
            end = min(len(entries), start + 2 * WINDOW + 1)
            shown = [*([None] if start else []), *entries[start:end], *([None] if end < len(entries) else [])]
        items = []
        for entry in shown:
            if entry is None:
                items.append(self.more(parent, len(entries)))
            else:
                items.append(self.render_entry(entry, level))
        return f'<ul class="tb-nav-l{level}"{attrs}>{"".join(items)}</ul>'

    def more(self, parent: str, total: int) -> str:
        label = _("All %(count)d pages of %(title)s") % {"count": total, "title": self.tree.title(parent)}
        href = escape(self.builder.get_relative_uri(self.pagename, parent))
        return f'<li class="tb-nav-more"><a href="{href}">{escape(label)}</a></li>'

    def render_entry(self, entry: Entry, level: int) -> str:
        title = escape(entry.title)
        if entry.external:
            return f'<li><a class="tb-external" href="{escape(entry.target)}">{title}</a></li>'
        href = escape(self.builder.get_relative_uri(self.pagename, entry.target))
        current = entry.target == self.pagename
        aria = ' aria-current="page"' if current else ""
        link = f'<a href="{href}"{aria}>{title}</a>'
        kids = self.tree.children.get(entry.target, [])
        if not (entry.target in self.on_path and kids and level < self.maxdepth):
            css = ' class="tb-current"' if current else ""
            return f"<li{css}>{link}</li>"
        self.ids += 1
        list_id = f"tb-nav-{self.ids}"
        label = escape(_("Pages under %s") % entry.title)
        toggle = (
            f'<button type="button" class="tb-nav-toggle" aria-expanded="true" aria-controls="{list_id}"'
            f' aria-label="{label}"></button>'
        )
        entries = [Entry(self.tree.title(kid), kid) for kid in kids]
        sub = self.render_list(entries, level + 1, entry.target, f' id="{list_id}"')
        css = "tb-current tb-open" if current else "tb-open"
        return f'<li class="{css}">{link}{toggle}{sub}</li>'


@dataclass(slots=True)
class Navigation:
    """Holds the tree of the current build (reset after every read phase)."""

    tree: NavTree | None = None

    def reset(self, *_args: object) -> None:
        self.tree = None

    def page_context(
        self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
    ) -> None:
        """Put the page's navigation in ``talkbase_nav`` (``html-page-context``)."""
        if not uses_theme(context):
            return
        if self.tree is None:
            self.tree = read_tree(app.env)
        depth = _depth(context.get("theme_navigation_depth"))
        context["talkbase_nav"] = Markup(Renderer(self.tree, app.builder, pagename, depth).render())


def _depth(value: object) -> int:
    try:
        return max(1, int(str(value)))
    except ValueError:
        return 4


def setup(app: Sphinx) -> None:
    navigation = Navigation()
    app.connect("builder-inited", navigation.reset)
    app.connect("env-updated", navigation.reset)
    app.connect("html-page-context", navigation.page_context)

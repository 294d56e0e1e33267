"""talkbase on paper: its LaTeX style and the LaTeX structure of every object.

Objects are made of generic nodes (a :class:`~talkbase.nodes.kb_card` holding
the title and a field list, an admonition, a definition list), which Sphinx's
LaTeX writer would render as plain lists.  For the PDF:

- config-inited: the style ``latex/talkbase.sty`` shipped in the package is
  added to ``latex_additional_files`` (unless the project lists a
  ``talkbase.sty`` of its own, which then replaces it); ``talkbase_latex_style
  = False`` turns the style off.  Under pdfLaTeX, ``latex/talkbase-pdflatex.sty``
  (the spaces and dashes pdfLaTeX has no definition for, such as the thin
  spaces of CLDR's date ranges) is added whatever the style, and the index is
  sorted by xindy unless the project chose (makeindex takes the first *byte*
  of "Émile" or "Łukasz" as a letter group, which is no UTF-8).
- write-started (LaTeX builder): ``\\usepackage[pdflang=…,french]{talkbase}``:
  the document's language for the PDF catalog, and the languages the talks and
  terms are written in, so that their text gets that language's hyphenation and
  punctuation (French: a thin no-break space before ``;`` ``!`` ``?``); and
  ``\\usepackage{talkbase-pdflatex}`` under pdfLaTeX.
- post-transform :class:`LatexStructure` (LaTeX builder, priority 900: after
  :mod:`talkbase.placeholders` filled the backlinks and listings, Sphinx resolved
  the references and its own LaTeX transforms moved the citations to the
  bibliography): the generic structure is wrapped in
  :class:`~talkbase.nodes.kb_latex` nodes naming the style's environments
  (``kbheader``, ``kbrecommendation``, ``kbterm``…); "Referenced by" entries
  get the page they point to; the spots links point to become labels; a page
  left empty by the move of its citations to the bibliography is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.builders.latex.util import ExtBabel
from sphinx.transforms.post_transforms import SphinxPostTransform

from talkbase.domain import kb_domain
from talkbase.model import Talk, Term
from talkbase.nodes import kb_card, kb_latex, kb_object, kb_pageref

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

STYLE = Path(__file__).parent / "latex" / "talkbase.sty"
PACKAGE = "talkbase"
PDFLATEX_STYLE = Path(__file__).parent / "latex" / "talkbase-pdflatex.sty"
PDFLATEX_PACKAGE = "talkbase-pdflatex"


# -- the style file ------------------------------------------------------------------------


def style_files(config: Config) -> list[Path]:
    """The style files talkbase ships for this project's LaTeX engine and settings."""
    files = [STYLE] if config.talkbase_latex_style else []
    if config.latex_engine == "pdflatex":
        files.append(PDFLATEX_STYLE)
    return files


def configured(config: Config, name: str) -> bool:
    """Whether ``conf.py`` or ``-D`` set ``name`` (rather than Sphinx's default).

    Sphinx computes a callable default on every read and has no public "is set"
    test; ``conf.py``'s namespace is kept as ``_raw_config``.
    """
    return name in config.overrides or name in getattr(config, "_raw_config", {})


def add_style_file(app: Sphinx, config: Config) -> None:
    """Copy the shipped styles to the LaTeX output unless the project has its own (config-inited).

    Sphinx joins each entry of ``latex_additional_files`` to the configuration
    directory, so an absolute path names the file in the package as it is.
    """
    files = list(config.latex_additional_files or [])
    names = {Path(name).name for name in files}
    config.latex_additional_files = [*files, *(str(path) for path in style_files(config) if path.name not in names)]
    if config.latex_engine == "pdflatex" and not configured(config, "latex_use_xindy"):
        config.latex_use_xindy = True


def babel_name(code: str, config: Config) -> str:
    """The polyglossia/babel name of a language code (``fr`` → ``french``); ``""`` if unknown."""
    if not code or code == "und":
        return ""
    babel = ExtBabel(code, use_polyglossia=config.latex_engine in {"xelatex", "lualatex"})
    return babel.get_language() if babel.is_supported_language() else ""


def main_language(config: Config) -> str:
    return babel_name(config.language or "en", config) or "english"


def object_languages(builder: Builder) -> list[str]:
    """The babel names of the languages talks and terms are written in, but the document's.

    Only these are loaded: a translation in another language (``de: Proxemik``)
    is set in the document's language rather than requiring TeX's support for it.
    """
    index = kb_domain(builder.env).index
    codes: set[str] = set()
    for record in index.all_records():
        if isinstance(record, Talk):
            codes.add(record.language)
        elif isinstance(record, Term):
            codes.add(record.lang)
    names = {babel_name(code, builder.config) for code in codes}
    return sorted(names - {"", main_language(builder.config)})


#: Chinese, Japanese and Korean characters.  A pattern, not a compiled one: compiling a class
#: of 30 000 code points costs about 4 ms, which every build paid when this module was
#: imported; ``re`` compiles it at the first search (LaTeX builds) and keeps it.
CJK = "[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"


def has_cjk_titles(builder: Builder) -> bool:
    """Whether an object's title has Chinese, Japanese or Korean characters (the style then
    loads xeCJK under XeLaTeX, so that a speaker's name in those scripts is set)."""
    return any(re.search(CJK, record.title) for record in kb_domain(builder.env).index.all_records())


def add_package(app: Sphinx, builder: Builder) -> None:
    """``\\usepackage[pdflang=…,<languages>]{talkbase}`` and, under pdfLaTeX,
    ``\\usepackage{talkbase-pdflatex}`` (write-started, LaTeX builder)."""
    if builder.format != "latex":
        return
    loaded = {name for name, _options in app.registry.latex_packages}
    if app.config.latex_engine == "pdflatex" and PDFLATEX_PACKAGE not in loaded:
        app.add_latex_package(PDFLATEX_PACKAGE)
    if not app.config.talkbase_latex_style or PACKAGE in loaded:
        return
    pdflang = (app.config.language or "en").replace("_", "-")
    cjk = ["cjk"] if has_cjk_titles(builder) else []
    app.add_latex_package(PACKAGE, ",".join([f"pdflang={pdflang}", *cjk, *object_languages(builder)]))


# -- the structure -------------------------------------------------------------------------


def wrap(kind: str, name: str, content: Iterable[Node], *args: str, **attributes: Any) -> kb_latex:
    """A :class:`kb_latex` node: ``kind`` is ``env`` or ``macro``."""
    node = kb_latex("", *content, args=list(args), **{kind: name}, **attributes)
    return node


def inline(content: Iterable[Node]) -> nodes.inline:
    """Content as one inline node, so the writer treats links in it as running text."""
    return nodes.inline("", "", *content)


def unwrap_body(body: nodes.Element) -> list[Node]:
    """A field body's content: the text of its single paragraph, or its blocks."""
    if len(body) == 1 and isinstance(body[0], nodes.paragraph):
        return [inline(body[0].children)]
    return list(body.children)


def fields(field_list: nodes.field_list) -> kb_latex:
    items = []
    for field in (child for child in field_list.children if isinstance(child, nodes.field)):
        name = field.next_node(nodes.field_name)
        body = field.next_node(nodes.field_body)
        label = wrap("macro", "kbfieldlabel", [nodes.Text(name.astext() if name else "")])
        items.append(wrap("env", "kbfield", [label, *(unwrap_body(body) if body else [])]))
    return wrap("env", "kbfields", items)


def title(paragraph: nodes.Element) -> kb_latex:
    return wrap("macro", "kbtitle", [inline(paragraph.children)])


def header_content(children: Iterable[Node]) -> list[Node]:
    """The body of a header card or a recommendation box, with title and fields restyled."""
    result: list[Node] = []
    for child in children:
        if isinstance(child, nodes.field_list):
            result.append(fields(child))
        elif isinstance(child, (nodes.title, nodes.paragraph)) and (
            isinstance(child, nodes.title) or "kb-title" in child["classes"]
        ):
            result.append(title(child))
        else:
            result.append(child)
    return result


def with_classes(doctree: nodes.Node, cls: type[nodes.Element], name: str) -> list[Any]:
    return [node for node in doctree.findall(cls) if name in node["classes"]]


def restyle_headers(doctree: nodes.document) -> None:
    """Header cards of talks, speakers, events; recommendation boxes; listing cards."""
    for card in with_classes(doctree, nodes.container, "kb-header"):
        obj = card.parent
        objtype = obj["objtype"] if isinstance(obj, kb_object) else "talk"
        for image in card.findall(nodes.image):
            image.setdefault("width", "2.5cm")
        card.replace_self(wrap("env", "kbheader", header_content(card.children), objtype, ids=card["ids"]))
    for box in with_classes(doctree, nodes.admonition, "kb-recommendation-box"):
        box.replace_self(wrap("env", "kbrecommendation", header_content(box.children), ids=box["ids"]))
    for card in list(doctree.findall(kb_card)):  # the cards of listings
        card.replace_self(wrap("env", "kbcard", header_content(card.children), ids=card["ids"]))


def restyle_terms(doctree: nodes.document) -> None:
    for entry in with_classes(doctree, nodes.definition_list, "kb-term-entry"):
        item = entry.next_node(nodes.definition_list_item)
        if item is None:
            continue
        term = item.next_node(nodes.term)
        classifier = item.next_node(nodes.classifier)
        definition = item.next_node(nodes.definition)
        content: list[Node] = [wrap("macro", "kbtermname", [inline(term.children if term else [])])]
        if classifier is not None:
            content.append(wrap("macro", "kbtermlang", [inline(classifier.children)]))
        body = list(header_content(definition.children)) if definition is not None else []
        content.append(wrap("env", "kbtermbody", body))
        entry.replace_self(wrap("env", "kbterm", content, ids=entry["ids"]))


def restyle_sections(doctree: nodes.document) -> None:
    """"Referenced by" with page numbers, and "Cite this"."""
    for name, env in (("kb-backlinks", "kbbacklinks"), ("kb-cite", "kbcite")):
        for box in with_classes(doctree, nodes.container, name):
            if env == "kbbacklinks":
                add_page_numbers(box)
            content = [
                wrap("macro", "kbrubric", [inline(child.children)]) if isinstance(child, nodes.rubric) else child
                for child in box.children
            ]
            box.replace_self(wrap("env", env, content, ids=box["ids"]))


def own_docname(node: nodes.Element) -> str:
    """The page a node comes from, in the one doctree of a LaTeX document."""
    current: nodes.Element | None = node
    while current is not None:
        if isinstance(current, (kb_object, addnodes.start_of_file)) and current.get("docname"):
            return str(current["docname"])
        current = current.parent
    return ""


def add_page_numbers(box: nodes.Element) -> None:
    """``(p. 12)`` after each internal link: LaTeX links are ``%doc#id`` (``doc::doc`` for a
    page), or ``refid`` within the page the link is on."""
    for reference in list(box.findall(nodes.reference)):
        uri = reference.get("refuri", "")
        if not uri and reference.get("refid") and own_docname(reference):
            uri = f"%{own_docname(reference)}#{reference['refid']}"
        if not uri.startswith("%"):
            continue
        docname, _sep, spot = uri[1:].partition("#")
        target = f"{docname}:{spot}" if spot else f"{docname}::doc"
        reference.parent.insert(reference.parent.index(reference) + 1, kb_pageref(target=target))


def mark_spots(doctree: nodes.document) -> None:
    """The spans "Referenced by" links to (``kbref-N``) become labels."""
    for spot in with_classes(doctree, nodes.inline, "kb-ref-spot"):
        if spot["ids"]:
            spot.insert(0, kb_latex("", ids=list(spot["ids"])))


def mark_languages(doctree: nodes.document, builder: Builder) -> None:
    """Objects and words in one of :func:`object_languages` are set in that language."""
    languages = set(object_languages(builder))
    for obj in doctree.findall(kb_object):
        obj["latex_env"] = True
        name = babel_name(obj.get("lang", ""), builder.config)
        if name in languages:
            obj["latex_language"] = name
    for span in list(doctree.findall(nodes.inline)):
        codes = [c.removeprefix("language-") for c in span["classes"] if c.startswith("language-")]
        name = babel_name(codes[0], builder.config) if codes else ""
        if name in languages:
            span.replace_self(wrap("macro", "kbforeign", [span.deepcopy()], name))


def type_labels(doctree: nodes.document) -> None:
    for label in with_classes(doctree, nodes.inline, "kb-type-label"):
        following = label.parent[label.parent.index(label) + 1] if label is not label.parent[-1] else None
        if isinstance(following, nodes.Text) and not following.astext().strip():
            label.parent.remove(following)
        label.replace_self(wrap("macro", "kbtypelabel", [inline(label.children)]))


def shows_nothing(node: Node) -> bool:
    """No text, no image, no raw output: what an emptied ``{bibliography}`` container leaves."""
    if node.astext().strip():
        return False
    return next(node.findall(lambda n: isinstance(n, (nodes.image, nodes.raw))), None) is None


def drop_emptied_pages(doctree: nodes.document, env: BuildEnvironment) -> None:
    """A page that held only a bibliography leaves no empty chapter behind.

    Sphinx's LaTeX builder moves every citation to one bibliography at the end
    of the book (its own chapter), so a "References" page whose only content
    was ``{bibliography}`` would be a chapter with nothing but its heading.
    Its labels stay (a link to the page lands on the bibliography's side).
    """
    if next(doctree.findall(thebibliography), None) is None:
        return
    for start in list(doctree.findall(addnodes.start_of_file)):
        if len(start.children) != 1 or not isinstance(start[0], nodes.section):
            continue
        section = start[0]
        if not all(shows_nothing(child) for child in section.children if not isinstance(child, nodes.title)):
            continue
        # Empty now, but it held citations or a {bibliography} (sphinxcontrib-bibtex's
        # node, filled later) when it was read: not a page its author left empty.
        read = env.get_doctree(start["docname"]).findall(nodes.Element)
        if any(isinstance(node, nodes.citation) or node.tagname == "bibliography" for node in read):
            ids = [i for node in section.findall(nodes.Element) for i in node["ids"]]
            section.replace_self(kb_latex("", ids=ids))


class LatexStructure(SphinxPostTransform):
    """Give every talkbase object its paper layout (post-transform, LaTeX builders only)."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        # The builder as Sphinx's own ReferencesResolver reaches it: transforms have no public handle.
        restructure(self.env._app.builder, self.document)


def restructure(builder: Builder, doctree: nodes.document) -> None:
    drop_emptied_pages(doctree, builder.env)
    if not builder.config.talkbase_latex_style:
        return
    mark_spots(doctree)
    mark_languages(doctree, builder)
    type_labels(doctree)
    restyle_headers(doctree)
    restyle_terms(doctree)
    restyle_sections(doctree)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", add_style_file, priority=800)
    app.connect("write-started", add_package)
    app.add_post_transform(LatexStructure)

"""An object's summary: the first paragraph of its body, as the reader's text.

Read phase, :func:`summarize`: the paragraph's text, curled like the page's
(:mod:`talkbase.typography`), and for every reference whose text is not known
yet a :class:`~talkbase.model.Mention`: a kb role without its own text shows
its target's *current* title, a ``{cite:p}`` shows what sphinxcontrib-bibtex
renders ("(Putnam, 2000)"), a ``{doc}``/``{ref}`` the title it links to.

Write phase (page metadata, previews, citation abstract, exports),
:func:`plain_text`: the text with every mention resolved, cut at a word near
200 characters.  What leaves is text only: no marker, no id, no citation key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import is_smartquotable

from talkbase.model import Mention
from talkbase.typography import educate_tokens, smartquotes_language
from talkbase.values import clean_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from docutils.frontend import Values
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: Longest summary, in characters, before it is cut at a word.
SUMMARY_LENGTH = 200

#: The parts of a summary: text and mentions, in reading order.
Summary = tuple[str | Mention, ...]

#: Cross-references shown with a text found at resolution: (domain, role).  A kb role
#: shows its target's title; ``doc``/``ref`` the page's or section's title.
_RESOLVED_LATER = {("std", "doc"), ("std", "ref")}


def summarize(config: Config, settings: Values, body: nodes.Element) -> Summary:
    """The first paragraph of ``body``, as text and mentions (read phase).

    ``settings`` are the document's: its text is curled as Sphinx will curl the page's.
    """
    paragraph = next(body.findall(nodes.paragraph), None)
    if paragraph is None:
        return ()
    tokens = list(_tokens(paragraph))
    language = smartquotes_language(config, settings)
    texts = educate_tokens(
        [("literal" if isinstance(part, Mention) else kind, part if isinstance(part, str) else part.text)
         for kind, part in tokens],
        language,
        config.smartquotes_action,
    )
    parts: list[str | Mention] = []
    for (_kind, part), text in zip(tokens, texts, strict=True):
        if isinstance(part, Mention):
            parts.append(part)
        elif parts and isinstance(parts[-1], str):
            parts[-1] += clean_text(text)
        else:
            parts.append(clean_text(text))
    return tuple(parts)


def _tokens(node: nodes.Node) -> Iterator[tuple[str, str | Mention]]:
    """``("plain" | "literal", text)`` and ``("mention", Mention)`` in reading order."""
    if isinstance(node, addnodes.pending_xref) and (mention := _mention(node)) is not None:
        yield "mention", mention
    elif isinstance(node, nodes.Text):
        yield ("plain" if is_smartquotable(node) else "literal"), node.astext()
    elif isinstance(node, nodes.Element):
        for child in node.children:
            yield from _tokens(child)


def _mention(node: addnodes.pending_xref) -> Mention | None:
    domain, reftype = node.get("refdomain", ""), node.get("reftype", "")
    if domain == "cite" or (not node.get("refexplicit") and (domain == "kb" or (domain, reftype) in _RESOLVED_LATER)):
        return Mention(domain, reftype, node.get("reftarget", ""), clean_text(node.astext()))
    return None  # the author's own text (or {term}, which shows it): read as text


def plain_text(summary: Summary, resolve: Callable[[Mention], str | None]) -> str:
    """The summary as the reader sees it, cut near :data:`SUMMARY_LENGTH` (write phase).

    ``resolve`` gives a mention's text, or ``None`` when it does not resolve; then
    the text the page itself shows is used, except for a citation, whose page text
    would be its bibliography key: it is left out.
    """
    pieces = []
    for part in summary:
        if isinstance(part, str):
            pieces.append(part)
            continue
        text = resolve(part)
        pieces.append(text if text is not None else "" if part.domain == "cite" else part.text)
    return cut(" ".join("".join(pieces).split()))


def cut(text: str, length: int = SUMMARY_LENGTH) -> str:
    """``text`` cut at the last word that fits in ``length`` characters, with an ellipsis."""
    if len(text) <= length:
        return text
    shortened = text[:length].rsplit(" ", 1)[0]
    return shortened.rstrip(",;:") + "…"


class TextOnlyBuilder:
    """Stands in for the builder when a reference is resolved for its text only.

    sphinxcontrib-bibtex makes its citation nodes for the builder it is given (for
    LaTeX, raw ``\\hyperlink`` code around the text); the text is the same for all
    and only the links need URIs, which a summary drops.
    """

    name = "text"

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return ""

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""


def resolve_elsewhere(env: BuildEnvironment, docname: str, mention: Mention) -> str | None:
    """The text of a citation, ``{doc}`` or ``{ref}`` in ``docname``, from its own domain (write phase).

    Asks the domain that resolves it in the page (``cite`` after sphinxcontrib-bibtex
    has labelled its entries at ``env-updated``); a citation key it does not know is
    left out here, since the page already warns about it.
    """
    domain = env.domains.get(mention.domain)
    if domain is None:
        return None
    target = mention.target
    if mention.domain == "cite":
        target = _known_citations(domain, target)
        if not target:
            return None
    node = addnodes.pending_xref(
        "", refdomain=mention.domain, reftype=mention.reftype, reftarget=target, refdoc=docname, refexplicit=False
    )
    contnode = nodes.inline(mention.text, mention.text)
    builder: Any = TextOnlyBuilder()
    found = domain.resolve_xref(env, docname, builder, mention.reftype, target, node, contnode)
    return " ".join(found.astext().split()) if found is not None else None


def _known_citations(domain: Any, target: str) -> str:
    """``target`` without the keys sphinxcontrib-bibtex does not know (they are warned about already)."""
    try:
        from sphinxcontrib.bibtex.citation_target import parse_citation_targets  # noqa: PLC0415
    except ImportError:
        return ""
    known = {citation.key for citation in getattr(domain, "citations", ())}
    try:
        targets = list(parse_citation_targets(target))
    except ValueError:
        return ""
    return ",".join(
        (f"{{{item.pre}}}" if item.pre else "") + item.key + (f"{{{item.post}}}" if item.post else "")
        for item in targets
        if item.key in known
    )

"""The data behind the hover and focus previews of links to knowledge-base objects.

Runs when each HTML page is written (``html-page-context``): every link of the
page's doctree that points at a talkbase object (the ``kb-ref`` links of the
``talk``, ``speaker``, ``event`` and ``rec`` roles and options, and ``{term}``
links to talkbase terms) gets an entry keyed by the link's ``href`` exactly as
written, holding the object's title, type and one-line summary (for a speaker,
the photo too, for the avatars of talk cards).  The JSON goes into the page in a
``<script type="application/json">``, so a preview needs no request; its size
grows with the page's own links, never with the project.

Escaping: ``<``, ``>``, ``&``, U+2028 and U+2029 become ``\\uXXXX`` escapes so no
text can end the ``<script>`` element; the script reading it only ever sets
``textContent``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup

from talkbase.domain import kb_domain
from talkbase.metadata import script_json
from talkbase.model import OBJECT_TYPES, Record, Speaker
from talkbase.theme import builder_uses_theme, uses_theme

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from talkbase.lookup import KBIndex

#: Longest summary shown in a preview, in characters.
SUMMARY_LENGTH = 240


def href_of(node: nodes.reference) -> str:
    if node.get("refuri") is not None:
        return str(node["refuri"])
    if node.get("refid"):
        return "#" + str(node["refid"])
    return ""


def is_object_link(node: nodes.reference) -> bool:
    if "kb-ref" in node["classes"]:
        return True
    return any("std-term" in child["classes"] for child in node.findall(nodes.inline))


def record_at(index: KBIndex, href: str) -> Record | None:
    """The object whose anchor ends ``href`` (``…#talk-some-id``), if any."""
    _page, _hash, fragment = href.partition("#")
    objtype, _dash, objid = fragment.partition("-")
    if objtype not in OBJECT_TYPES or not objid:
        return None
    return index.get(objtype, objid)


def summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def photo_url(app: Sphinx, context: dict[str, Any], speaker: Speaker, photo: str) -> str:
    """The speaker's ``photo`` as a URL from the current page ("" when unknown)."""
    if not photo:
        return ""
    if photo.startswith(("https://", "http://")):
        return photo
    rel, _abs = app.env.relfn2path(photo, speaker.docname)
    found = app.env.images.get(rel)
    if not found:
        return ""
    imagedir = getattr(app.builder, "imagedir", "_images")
    return str(context["pathto"](f"{imagedir}/{found[1]}", 1))


def preview_data(app: Sphinx, context: dict[str, Any], doctree: nodes.document) -> dict[str, dict[str, str]]:
    domain = kb_domain(app.env)
    index = domain.index
    data: dict[str, dict[str, str]] = {}
    for node in doctree.findall(nodes.reference):
        href = href_of(node)
        if not href or href in data or "#" not in href or not is_object_link(node):
            continue
        record = record_at(index, href)
        if record is None:
            continue
        # Everything shown comes from ``index.preview``, which the fingerprints of
        # talkbase.incremental cover: a page is rewritten when one of its previews changes.
        preview = index.preview(record)
        entry = {
            "title": preview.title,
            "type": str(domain.object_types[preview.objtype].lname),
            "kind": preview.objtype,
            "summary": summary(preview.summary),
        }
        if isinstance(record, Speaker) and (photo := photo_url(app, context, record, preview.photo)):
            entry["photo"] = photo
        data[href] = entry
    return data


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Put the page's preview data in ``talkbase_previews`` (``html-page-context``)."""
    if not uses_theme(context) or not isinstance(doctree, nodes.document):
        return
    data = preview_data(app, context, doctree)
    if data:
        context["talkbase_previews"] = Markup(script_json(data, sort_keys=True))


def note_previews(app: Sphinx) -> None:
    """Tell the kb domain whether this build's pages show previews (``builder-inited``)."""
    kb_domain(app.env).show_previews(builder_uses_theme(app.builder))


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", note_previews)
    app.connect("html-page-context", page_context)

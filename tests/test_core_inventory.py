"""Objects in Sphinx's search index and in ``objects.inv`` (usable through intersphinx)."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from sphinx.util.inventory import InventoryFile

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import BuiltRoot

# The title as typed, with its apostrophe curled as Sphinx curls the page's text (smartquotes).
ETAT = "Médias sociaux : état des lieux sociétal et perspectives pour l’entreprise"

#: (inventory type, id) -> (page#anchor, title) for every object of test-core-myst.
OBJECTS = {
    ("kb:event", "ams-2011"): (
        "events.html#event-ams-2011",
        "Assises des Médias Sociaux, 1re session",
    ),
    ("kb:event", "rencontre-sans-identifiant"): (
        "events.html#event-rencontre-sans-identifiant",
        "Rencontre sans identifiant",
    ),
    ("kb:event", "cafe-2012"): ("events.html#event-cafe-2012", "Café numérique"),
    ("kb:speaker", "stephane-hugon"): ("speakers.html#speaker-stephane-hugon", "Stéphane Hugon"),
    ("kb:speaker", "recap-author"): (
        "speakers.html#speaker-recap-author",
        "Auteur du récapitulatif",
    ),
    ("kb:speaker", "zoe-eluard"): ("speakers.html#speaker-zoe-eluard", "Zoë Éluard"),
    ("kb:talk", "etat-des-lieux"): ("talks.html#talk-etat-des-lieux", ETAT),
    ("kb:talk", "second-talk"): ("talks.html#talk-second-talk", "Deuxième exposé"),
    ("kb:rec", "integrer-digital"): (
        "talks.html#rec-integrer-digital",
        "Intégrer les médias sociaux dans une réflexion digitale large",
    ),
    ("kb:rec", "ecouter-avant-de-parler"): (
        "talks.html#rec-ecouter-avant-de-parler",
        "Écouter avant de parler",
    ),
    ("kb:rec", "mesurer"): ("recs.html#rec-mesurer", "Mesurer l’engagement"),
    ("kb:term", "proxemie"): ("terms.html#term-proxemie", "proxémie"),
    ("kb:term", "signaux-faibles"): ("terms.html#term-signaux-faibles", "signaux faibles"),
    ("kb:term", "whuffie-effect"): ("terms.html#term-whuffie-effect", "Whuffie effect"),
}


def alias(uri: str) -> str:
    """objects.inv and the search index use each object's alias id, ``kb-<anchor>``,
    which sits on the same element as ``<anchor>`` (see talkbase.domain.alias_anchor)."""
    page, anchor = uri.split("#")
    return f"{page}#kb-{anchor}"


#: The same objects as the inventory and the search index point to them.
INVENTORY = {key: (alias(uri), title) for key, (uri, title) in OBJECTS.items()}


@pytest.fixture(params=["core-myst", "core-rst"])
def core(request: pytest.FixtureRequest, built_root: Callable[..., BuiltRoot]) -> BuiltRoot:
    return built_root(request.param)


def search_index(core: BuiltRoot) -> dict[str, Any]:
    text = core.text("searchindex.js").strip()
    prefix, suffix = "Search.setIndex(", ")"
    assert text.startswith(prefix)
    assert text.endswith(suffix)
    data: dict[str, Any] = json.loads(text[len(prefix) : -len(suffix)])
    return data


def test_objects_inv_has_every_object(core: BuiltRoot) -> None:
    inventory = InventoryFile.loads((core.outdir / "objects.inv").read_bytes(), uri="")
    found = {
        (objtype, name): (item.uri, item.display_name)
        for objtype, items in inventory.data.items()
        if objtype.startswith("kb:")
        for name, item in items.items()
    }
    assert found == INVENTORY
    assert {"kb:talk", "kb:speaker", "kb:event", "kb:rec", "kb:term", "std:term"} <= set(
        inventory.data
    )
    assert inventory.data["std:term"]["proxémie"].uri == "terms.html#term-proxemie"


def test_objects_inv_through_intersphinx_loader(core: BuiltRoot) -> None:
    """The legacy ``InventoryFile.load`` API intersphinx uses gives the same entries."""
    with (core.outdir / "objects.inv").open("rb") as stream:
        data = InventoryFile.load(stream, "https://kb.example.org", lambda *p: "/".join(p))
    item = data["kb:talk"]["etat-des-lieux"]
    assert item.uri == "https://kb.example.org/talks.html#kb-talk-etat-des-lieux"
    assert item.display_name == ETAT


def _search_objects(core: BuiltRoot) -> dict[tuple[str, str], tuple[str, str]]:
    """Search index objects as the search page reads them: type -> (page#anchor, name).

    Mirrors ``performObjectSearch`` in Sphinx's ``searchtools.js``: an anchor
    ``""`` means the full name, ``"-"`` means ``<type>-<full name>``.
    """
    index = search_index(core)
    objtypes = index["objtypes"]
    objnames = index["objnames"]
    result = {}
    for prefix, matches in index["objects"].items():
        for docindex, typeindex, _prio, short, name in matches:
            fullname = f"{prefix}.{name}" if prefix else name
            anchor = short
            if short == "":
                anchor = fullname
            elif short == "-":
                anchor = f"{objnames[str(typeindex)][1]}-{fullname}"
            page = index["filenames"][docindex].rsplit(".", 1)[0] + ".html"
            result[objtypes[str(typeindex)], fullname] = (page, anchor)
    return result


def test_search_index_has_kb_objects(core: BuiltRoot) -> None:
    index = search_index(core)
    kb_types = {value for value in index["objtypes"].values() if value.startswith("kb:")}
    assert kb_types == {"kb:talk", "kb:speaker", "kb:event", "kb:rec", "kb:term"}
    entries = _search_objects(core)
    found_types = {objtype for objtype, _name in entries if objtype.startswith("kb:")}
    assert found_types == kb_types
    assert len([key for key in entries if key[0].startswith("kb:")]) == len(OBJECTS)
    # Each object's entry is on the page that defines it.
    pages = sorted(page for (objtype, _), (page, _a) in entries.items() if objtype == "kb:talk")
    assert pages == ["talks.html", "talks.html"]


def test_search_results_link_to_object_anchor(core: BuiltRoot) -> None:
    """A search hit on a kb object opens the page at the object's anchor."""
    entries = _search_objects(core)
    anchors = {
        f"{page}#{anchor}" for (objtype, _name), (page, anchor) in entries.items()
        if objtype.startswith("kb:")
    }
    assert anchors == {uri for uri, _title in INVENTORY.values()}


def test_intersphinx_links_from_another_project(
    built_root: Callable[..., BuiltRoot],
    build_sphinx: Callable[..., BuiltRoot],
    rootdir: Path,
    tmp_path: Path,
) -> None:
    core = built_root("core-myst")
    srcdir = tmp_path / "consumer"
    shutil.copytree(rootdir / "test-core-intersphinx", srcdir)
    mapping = {"core": ("https://kb.example.org/", str(core.outdir / "objects.inv"))}
    consumer = build_sphinx(srcdir, confoverrides={"intersphinx_mapping": mapping})
    assert "WARNING" not in consumer.warnings, consumer.warnings
    hrefs = {}
    for item in consumer.html("index").select("div.body li"):
        label = item.get_text().split(":", 1)[0]
        links = item.select("a")
        assert len(links) == 1, item
        hrefs[label] = links[0]["href"]
    base = "https://kb.example.org/"
    assert hrefs == {
        "ext-talk": base + "talks.html#kb-talk-etat-des-lieux",
        "ext-speaker": base + "speakers.html#kb-speaker-stephane-hugon",
        "ext-event": base + "events.html#kb-event-ams-2011",
        "ext-rec": base + "recs.html#kb-rec-mesurer",
        "ext-term": base + "terms.html#kb-term-proxemie",
        "ext-std-term": base + "terms.html#term-proxemie",
    }

"""Deciding, after reading, which unchanged pages must be written again.

A page shows things about other pages: the titles of the objects it links to
and their hover previews (``KBIndex.link_shown``), the date a talk inherits from
its event, the recommendations and talks attached to its objects, its listings
and graphs (each placeholder filler's ``shown``), the summaries of its own
objects in its metadata.  For every page a fingerprint of those things is kept
in the domain data; a page whose fingerprint changed since the last build is
returned from ``env-updated`` so Sphinx rewrites it, and no other page is.

Which pages are fingerprinted again (:func:`pages_to_fingerprint`) is kept apart
from what a fingerprint covers (:func:`fingerprint`).  Every fingerprint is a
function of the domain data of all documents, their page titles and, for
summaries citing through other domains, those domains.  When every document this
build purged came back with the same data and title, and no summary cites through
another domain, no other page's fingerprint can have changed: only the pages just
read are fingerprinted (a body edit costs the size of the edit, not of the project).
Otherwise the pages read and those whose fingerprint reads a fact of the derived
index that changed since the last build (:mod:`talkbase.dependencies`: an object
renamed, added or removed, the references to an object…) are fingerprinted, and
no other: a rename costs the pages that show the name, not the project.

The same hook reports the problems only visible across pages (duplicate ids,
term texts claimed twice, listing filters naming no object), on every build so
``-W`` keeps failing until fixed; a build that read nothing warns the queries'
problems the last build that read found (:func:`report_query_problems`).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from talkbase import dependencies, placeholders
from talkbase.domain import PageTitles, kb_domain
from talkbase.lookup import build_index
from talkbase.model import TYPE_NAMES
from talkbase.warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from talkbase.dependencies import Fact
    from talkbase.domain import KBDomain
    from talkbase.lookup import KBIndex
    from talkbase.model import DocData

#: Priority of the ``env-updated`` handler: after sphinxcontrib-bibtex's (500), which
#: formats the citations that summaries show.
PRIORITY = 600
#: Keys of the kb domain data: the fingerprints by builder; how many builds read
#: something; the generation each builder's fingerprints were computed at.
FINGERPRINTS = "fingerprints"
GENERATION = "generation"
FINGERPRINTED = "fingerprinted"
#: Key of the kb domain data: the problems of the queries by builder, with the generation
#: they were found at (:func:`report_query_problems`).
PROBLEMS = "query problems"


def fingerprint(domain: KBDomain, data: DocData | None) -> bytes:
    """A digest of everything a page shows that other pages define."""
    if data is None:
        return b""
    index = domain.index
    shown: list[object] = []
    for ref in data.refs:
        target = index.resolve(ref)
        # A link shows its target's title and, in HTML, its preview (the summary).
        shown.append(("missing", ref.target_type, ref.target) if target is None else index.link_shown(target))
    shown.extend((query.kind, query.params, placeholders.shown(domain, query)) for query in data.queries)
    # Which of two same-id definitions wins decides what links and anchors show; the
    # page's metadata shows its objects' summaries, where citations and {doc} titles
    # come from elsewhere.
    shown.extend((index.get(r.objtype, r.id) is r, index.summary(r)) for r in data.objects)
    return digest(shown)


def report_clashes(index: KBIndex) -> None:
    for clash in index.duplicates:
        kind = TYPE_NAMES[clash.loser.objtype]
        warn(
            Subtype.DUPLICATE_ID,
            f"duplicate {kind} id {clash.loser.id!r}: already defined in {clash.winner.docname}, "
            f"line {clash.winner.lineno}; this definition is not linkable",
            location=(clash.loser.docname, clash.loser.lineno),
        )
    for clash in index.term_clashes:
        warn(
            Subtype.DUPLICATE_TERM,
            f"term {clash.loser.id!r}: {clash.text!r} already names term {clash.winner.id!r} "
            f"({clash.winner.docname}, line {clash.winner.lineno}); {{term}} links it there",
            location=(clash.loser.docname, clash.loser.lineno),
        )


def report_query_problems(domain: KBDomain, builder: Builder, env: BuildEnvironment) -> None:
    """Listing filters and graph roots naming no object, and the like (each filler's ``problems``).

    They are a function of the domain data (its records and queries): the problems found
    are kept in the data with the generation they were found at, and a build that read
    nothing, or read documents back into the data they had (:func:`read_back_unchanged`:
    a body edit), warns the kept ones again instead of making every document's queries.
    """
    generation = domain.data.get(GENERATION, 0)
    kept: dict[str, tuple[int, tuple[tuple[str, str, str, int], ...]]] = domain.data.setdefault(PROBLEMS, {})
    found = kept.get(builder.name)
    if found is not None and domain.changed and found[0] == generation - 1 and read_back_unchanged(domain, env):
        found = kept[builder.name] = (generation, found[1])  # found in the last build, with the same data
    if found is None or found[0] != generation:
        problems = tuple(
            (subtype.value, message, query.docname, query.lineno)
            for query, subtype, message in placeholders.problems(domain, builder)
        )
        found = kept[builder.name] = (generation, problems)
    for subtype, message, docname, lineno in found[1]:
        warn(Subtype(subtype), message, location=(docname, lineno))


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Validate across pages and return the pages to rewrite (after reading)."""
    domain = kb_domain(env)
    index = domain.index
    # Every fingerprint is a function of the domain data, the page titles and the
    # citations, all only changed by reading: a generation counts the builds that read.
    data = domain.data
    fingerprinted = data.setdefault(FINGERPRINTED, {})
    builder = app.builder.name
    # This builder's fingerprints describe the data as it was before this build read anything.
    current_before = fingerprinted.get(builder) == data.get(GENERATION, 0)
    if domain.changed:
        data[GENERATION] = data.get(GENERATION, 0) + 1
    report_clashes(index)
    report_query_problems(domain, app.builder, env)
    if fingerprinted.get(builder) == data.get(GENERATION, 0):
        return []  # nothing read since this builder stored its fingerprints
    fingerprinted[builder] = data.get(GENERATION, 0)
    stored = builder_fingerprints(env, FINGERPRINTS, builder)
    pages = pages_to_fingerprint(domain, env, stored) if current_before else env.all_docs
    domain.forget_before()
    return changed_pages(
        stored,
        env.all_docs,
        lambda docname: fingerprint(domain, domain.docs.get(docname)),
        only=pages,
    )


def remember_before_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Keep a document's data and title before Sphinx purges them (``env-purge-doc``, before
    the title collector's handler)."""
    title = env.titles.get(docname)
    kb_domain(env).remember_before_purge(docname, title.astext() if title is not None else None)


def pages_to_fingerprint(domain: KBDomain, env: BuildEnvironment, stored: dict[str, bytes]) -> Iterable[str]:
    """The pages whose fingerprint may have changed in this build (after reading).

    When each document purged in this build was read again into the same data and title
    (a body edit), none: every fingerprint is a function of what did not change, the
    fingerprints of the pages read included.  Otherwise, the pages read again and those
    reading a fact of the index that differs from the last build's
    (:mod:`talkbase.dependencies`), found by deriving the index of the last build from
    this one's data and the data the purged documents had.  Summaries citing through other domains ({doc}, {ref},
    citations) may show text those domains changed while our data stayed the same:
    with any such summary in the project, every page is fingerprinted.
    """
    purged = domain.purged_before()
    if not purged or _cites_elsewhere(domain.docs.values()):
        return env.all_docs
    titles = PageTitles(env.titles)
    if read_back_unchanged(domain, env) and all(
        title == titles.get(docname) for docname, (_data, title) in purged.items()
    ):
        # Nothing a fingerprint is a function of changed, the pages read included:
        # their stored fingerprints still hold (Sphinx writes those pages anyway).
        return ()
    read = [docname for docname in purged if docname in env.all_docs]
    # The last build's documents (every page it fingerprinted) as they were then.
    docs_before = {docname: data for docname, data in domain.docs.items() if docname in stored}
    titles_before = {docname: title for docname, title in titles.items() if docname in stored}
    for docname, (data, title) in purged.items():
        docs_before.pop(docname, None)
        titles_before.pop(docname, None)
        if docname in stored:
            if data is not None:
                docs_before[docname] = data
            if title is not None:
                titles_before[docname] = title
    before, now = build_index(docs_before, titles_before), domain.index
    facts = {
        docname: _facts(now, domain, data)
        for docname, data in domain.docs.items()
        if docname not in purged
    }
    return read + dependencies.changed_pages(before, now, facts)


def read_back_unchanged(domain: KBDomain, env: BuildEnvironment) -> bool:
    """Whether every document purged in this build was read again into the data it had (after reading)."""
    return all(
        docname in env.all_docs and data == domain.docs.get(docname)
        for docname, (data, _title) in domain.purged_before().items()
    )


def _facts(index: KBIndex, domain: KBDomain, data: DocData) -> Callable[[], Iterable[Fact]]:
    return lambda: dependencies.page_facts(index, domain.fillers, data)


def _cites_elsewhere(docs: Iterable[DocData]) -> bool:
    return any(record.cites_elsewhere for data in docs for record in data.objects)


def builder_fingerprints(env: BuildEnvironment, key: str, builder: str) -> dict[str, bytes]:
    """The fingerprints ``builder`` stored under ``key`` of the domain data in its last build.

    Builders share the environment (``make html latexpdf`` reads once), but each
    has its own output: a page that one builder rewrote is still stale in another's.
    """
    stores: dict[str, dict[str, bytes]] = kb_domain(env).data.setdefault(key, {})
    return stores.setdefault(builder, {})


def digest(shown: object) -> bytes:
    """The fingerprint of what a page shows (empty when it shows nothing of other pages).

    128 bits, as bytes: one is pickled with the environment for every page and builder,
    and the hexadecimal text of a SHA-256 took four times the room.
    """
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).digest() if shown else b""


def changed_pages(
    stored: dict[str, bytes],
    docnames: Iterable[str],
    current: Callable[[str], bytes],
    *,
    only: Iterable[str] | None = None,
) -> list[str]:
    """Store every page's new fingerprint; return the pages whose fingerprint changed.

    A page without a stored fingerprint is new, so Sphinx writes it anyway; the
    fingerprints of pages that no longer exist are dropped.  ``only`` limits the
    pages fingerprinted again to those whose fingerprint may have changed.
    """
    outdated = []
    docnames = set(docnames)
    for docname in set(stored) - docnames:
        del stored[docname]
    for docname in sorted(docnames if only is None else docnames.intersection(only)):
        fingerprint_now = current(docname)
        previous = stored.get(docname)
        if previous is not None and previous != fingerprint_now:
            outdated.append(docname)
        stored[docname] = fingerprint_now
    return outdated


def setup(app: Sphinx) -> None:
    app.connect("env-purge-doc", remember_before_purge, priority=100)
    # After sphinxcontrib-bibtex labels its citations (priority 500): summaries show them.
    app.connect("env-updated", on_env_updated, priority=PRIORITY)

"""Write a synthetic knowledge base of N talks: with talkbase, as plain Sphinx, with sphinx-needs.

The variants hold the same words on the same pages (MyST Markdown):

- ``talks/tNNNN.md``: one talk (2 speakers, ~150 words, 3 sections, 3
  recommendations, 5 term references, 2 references to other talks);
- ``speakers/sNNNN.md``: N/2 speakers, each with a short bio and the list of their talks;
- ``talk-list.md``, ``recommendation-list.md``, ``glossary.md`` (N/5 terms);
- ``index.md`` with a hidden glob toctree.

talkbase: the ``talk``, ``speaker``, ``recommendation`` and ``term`` directives,
``{talk}``/``{term}`` roles, ``talk-list``/``recommendation-list``/``term-list``
listings (computed) and the speakers' talks (computed).
Baseline: sections with labels, rubrics with labels for recommendations,
Sphinx's ``glossary`` and ``{term}``, ``{ref}`` and ``{doc}``; the listings and
speakers' talks are written out by the generator, as an author would by hand.
sphinx-needs (``needs``, the peer): one need type per object kind (``talk``,
``speaker``, ``rec``), speakers, references between talks and a recommendation's
talk as need links (so a speaker's talks and a talk's "referenced by" are its
incoming links), ``{need}`` for talk references, ``needtable`` for the talk and
recommendation lists, Sphinx's ``glossary`` and ``{term}`` for terms.

The talk directive opens the talk page and its three sections follow as page
sections (MyST allows no headings inside directives), so a talk page reads the
same in both variants.  Output is deterministic for a given ``(n, seed)``.

Usage: ``python benchmarks/generate.py N OUTDIR [--variant talkbase|baseline|needs|all] [--seed S]``
(with ``all``, ``OUTDIR/<variant>`` is written for each).
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

VARIANTS = ("talkbase", "baseline", "needs")

_SYLLABLES = (
    "ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "pe", "ro", "li", "ma", "zu", "fe", "gi",
    "ho", "ne", "sa", "tu", "bo", "ce", "ly", "qua", "ren", "tor", "mel", "dan", "sil", "var",
)
_FIRST = ("Ada", "Basile", "Chloé", "Dario", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jonas", "Katia", "Léo")
_LAST = ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Roux", "Fontaine")

CONF = {
    "talkbase": '''project = "talkbase benchmark"
extensions = ["myst_parser", "talkbase"]
language = "en"
html_theme = "basic"
exclude_patterns = ["_build"]
''',
    "baseline": '''project = "talkbase benchmark"
extensions = ["myst_parser"]
language = "en"
html_theme = "basic"
exclude_patterns = ["_build"]
''',
    "needs": '''project = "talkbase benchmark"
extensions = ["myst_parser", "sphinx_needs"]
language = "en"
html_theme = "basic"
exclude_patterns = ["_build"]
needs_id_regex = "^[a-z0-9-]+$"
needs_types = [
    {"directive": "talk", "title": "Talk", "prefix": "t", "color": "#BFD8D2", "style": "node"},
    {"directive": "speaker", "title": "Speaker", "prefix": "s", "color": "#FEDCD2", "style": "node"},
    {"directive": "rec", "title": "Recommendation", "prefix": "r", "color": "#DF744A", "style": "node"},
]
needs_fields = {"date": {"nullable": True}, "affiliation": {"nullable": True}}
needs_links = {
    "speakers": {"incoming": "talks", "outgoing": "speakers"},
    "builds_on": {"incoming": "referenced by", "outgoing": "builds on"},
    "talk": {"incoming": "recommendations", "outgoing": "talk"},
}
''',
}

INDEX = """# Knowledge base

A generated knowledge base of {n} talks: the {{doc}}`talk-list`, the
{{doc}}`recommendation-list` and the {{doc}}`glossary`.

```{{toctree}}
:hidden:
:glob:

talk-list
recommendation-list
glossary
talks/*
speakers/*
```
"""


@dataclass
class Talk:
    id: str
    title: str
    date: str
    speakers: tuple[str, str]
    #: Paragraphs: [intro, section 1, section 2, section 3]; each a list of text chunks.
    intro: str
    sections: list[tuple[str, str]]
    recs: list[tuple[str, str, str]]  # (rec id, title, body)
    terms: list[int]  # indices into the term list, 5 distinct
    talk_refs: list[int]  # indices of 2 other talks


@dataclass
class KB:
    n: int
    talks: list[Talk] = field(default_factory=list)
    speakers: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, name, affiliation, bio
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # id, title, definition


class Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(1, 3)))

    def words(self, count: int) -> str:
        return " ".join(self.word() for _ in range(count))

    def sentence(self, count: int) -> str:
        text = self.words(count)
        return text[0].upper() + text[1:] + "."

    def title(self, count: int) -> str:
        return " ".join(w.capitalize() for w in self.words(count).split())


def build_model(n: int, seed: int = 0) -> KB:
    """The knowledge base's content, independent of the syntax it is written in."""
    rng = random.Random(f"talkbase-bench-{n}-{seed}")
    words = Words(rng)
    kb = KB(n)
    n_speakers, n_terms = max(2, n // 2), max(8, n // 5)
    for number in range(n_speakers):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {number + 1}"
        kb.speakers.append((f"s{number + 1:04d}", name, words.title(2) + " Lab", words.sentence(25)))
    used_titles: set[str] = set()
    for number in range(n_terms):
        title = words.words(2)
        while title in used_titles:
            title = words.words(2)
        used_titles.add(title)
        kb.terms.append((f"term-{number + 1:04d}", title, words.sentence(20)))
    for number in range(n):
        talk_id = f"t{number + 1:04d}"
        speakers = rng.sample(range(n_speakers), 2)
        others = [i for i in rng.sample(range(n), 3) if i != number][:2]
        kb.talks.append(Talk(
            id=talk_id,
            title=words.title(rng.randint(3, 6)),
            date=f"{2010 + number % 12}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            speakers=(kb.speakers[speakers[0]][0], kb.speakers[speakers[1]][0]),
            intro=words.sentence(22),
            sections=[(words.title(3), words.sentence(24)) for _ in range(3)],
            recs=[(f"{talk_id}-r{k + 1}", words.title(4), words.sentence(10)) for k in range(3)],
            terms=rng.sample(range(n_terms), 5),
            talk_refs=others,
        ))
    return kb


# -- writers ---------------------------------------------------------------------------------


def _talk_page_talkbase(kb: KB, talk: Talk) -> str:
    term = [kb.terms[i][1] for i in talk.terms]
    other = [kb.talks[i].id for i in talk.talk_refs]
    lines = [
        f"# {talk.title}",
        "",
        f"```{{talk}} {talk.title}",
        f":id: {talk.id}",
        f":speakers: {', '.join(talk.speakers)}",
        f":date: {talk.date}",
        "",
        f"{talk.intro} It builds on {{talk}}`{other[0]}` and uses {{term}}`{term[0]}`.",
        "```",
        "",
    ]
    for k, (heading, text) in enumerate(talk.sections):
        rec_id, rec_title, rec_body = talk.recs[k]
        extra = f" Compare {{talk}}`{other[1]}`." if k == 0 else ""
        mentions = {0: f"{{term}}`{term[1]}`", 1: f"{{term}}`{term[2]}` and {{term}}`{term[3]}`",
                    2: f"{{term}}`{term[4]}`"}[k]
        lines += [
            f"## {heading}",
            "",
            f"{text} See {mentions}.{extra}",
            "",
            f"```{{recommendation}} {rec_title}",
            f":id: {rec_id}",
            "",
            rec_body,
            "```",
            "",
        ]
    return "\n".join(lines)


def _talk_page_baseline(kb: KB, talk: Talk) -> str:
    term = [kb.terms[i][1] for i in talk.terms]
    other = [kb.talks[i].id for i in talk.talk_refs]
    speakers = ", ".join(f"{{doc}}`/speakers/{s}`" for s in talk.speakers)
    lines = [
        f"({talk.id})=",
        f"# {talk.title}",
        "",
        f"Talk by {speakers}, {talk.date}.",
        "",
        f"{talk.intro} It builds on {{ref}}`{other[0]}` and uses {{term}}`{term[0]}`.",
        "",
    ]
    for k, (heading, text) in enumerate(talk.sections):
        rec_id, rec_title, rec_body = talk.recs[k]
        extra = f" Compare {{doc}}`/talks/{other[1]}`." if k == 0 else ""
        mentions = {0: f"{{term}}`{term[1]}`", 1: f"{{term}}`{term[2]}` and {{term}}`{term[3]}`",
                    2: f"{{term}}`{term[4]}`"}[k]
        lines += [
            f"({talk.id}-s{k + 1})=",
            f"## {heading}",
            "",
            f"{text} See {mentions}.{extra}",
            "",
            f"({rec_id})=",
            f"```{{rubric}} Recommendation: {rec_title}",
            "```",
            "",
            rec_body,
            "",
        ]
    return "\n".join(lines)


def _talk_page_needs(kb: KB, talk: Talk) -> str:
    term = [kb.terms[i][1] for i in talk.terms]
    other = [kb.talks[i].id for i in talk.talk_refs]
    lines = [
        f"# {talk.title}",
        "",
        f"```{{talk}} {talk.title}",
        f":id: {talk.id}",
        f":speakers: {', '.join(talk.speakers)}",
        f":date: {talk.date}",
        f":builds_on: {', '.join(other)}",
        "",
        f"{talk.intro} It builds on {{need}}`{other[0]}` and uses {{term}}`{term[0]}`.",
        "```",
        "",
    ]
    for k, (heading, text) in enumerate(talk.sections):
        rec_id, rec_title, rec_body = talk.recs[k]
        extra = f" Compare {{need}}`{other[1]}`." if k == 0 else ""
        mentions = {0: f"{{term}}`{term[1]}`", 1: f"{{term}}`{term[2]}` and {{term}}`{term[3]}`",
                    2: f"{{term}}`{term[4]}`"}[k]
        lines += [
            f"## {heading}",
            "",
            f"{text} See {mentions}.{extra}",
            "",
            f"```{{rec}} {rec_title}",
            f":id: {rec_id}",
            f":talk: {talk.id}",
            "",
            rec_body,
            "```",
            "",
        ]
    return "\n".join(lines)


def _speaker_page(kb: KB, speaker: tuple[str, str, str, str], talks: list[Talk], variant: str) -> str:
    sid, name, affiliation, bio = speaker
    if variant in {"talkbase", "needs"}:  # sphinx-needs: the talks are the need's incoming links
        return f"# {name}\n\n```{{speaker}} {name}\n:id: {sid}\n:affiliation: {affiliation}\n\n{bio}\n```\n"
    listed = ", ".join(f"{{ref}}`{talk.id}`" for talk in talks)
    return f"({sid})=\n# {name}\n\nAffiliation: {affiliation}\n\nTalks: {listed}\n\n{bio}\n"


def _lists_talkbase(kb: KB) -> dict[str, str]:
    terms = "\n".join(
        f"```{{term}} {title}\n:id: {tid}\n\n{definition}\n```\n" for tid, title, definition in kb.terms
    )
    return {
        "talk-list.md": "# Talks\n\n```{talk-list}\n```\n",
        "recommendation-list.md": "# Recommendations\n\n```{recommendation-list}\n```\n",
        "glossary.md": f"# Glossary\n\n```{{term-list}}\n```\n\n{terms}",
    }


def _lists_baseline(kb: KB) -> dict[str, str]:
    by_date = sorted(kb.talks, key=lambda t: (t.date, t.title.casefold(), t.id))
    talk_items = "\n".join(
        f"- {{ref}}`{t.id}` — {', '.join(f'{{ref}}`{s}`' for s in t.speakers)} · {t.date}" for t in by_date
    )
    rec_items = "\n".join(
        f"- {{ref}}`{t.id}`\n" + "\n".join(f"  - {{ref}}`{rec_id}`" for rec_id, _t, _b in t.recs)
        for t in sorted(kb.talks, key=lambda t: (t.title.casefold(), t.id))
    )
    ordered = sorted(kb.terms, key=lambda term: term[1])
    term_items = "\n".join(f"- {{term}}`{title}`" for _tid, title, _d in ordered)
    glossary = "\n".join(f"{title}\n  {definition}\n" for _tid, title, definition in ordered)
    return {
        "talk-list.md": f"# Talks\n\n{talk_items}\n",
        "recommendation-list.md": f"# Recommendations\n\n{rec_items}\n",
        "glossary.md": f"# Glossary\n\n{term_items}\n\n```{{glossary}}\n{glossary}```\n",
    }


def _lists_needs(kb: KB) -> dict[str, str]:
    lists = _lists_baseline(kb)  # the glossary: Sphinx's, as in the baseline
    lists["talk-list.md"] = (
        "# Talks\n\n```{needtable}\n:types: talk\n:columns: id;title;speakers;date\n:sort: date\n```\n"
    )
    lists["recommendation-list.md"] = (
        "# Recommendations\n\n```{needtable}\n:types: rec\n:columns: id;title;talk\n:sort: talk\n```\n"
    )
    return lists


LISTS = {"talkbase": _lists_talkbase, "baseline": _lists_baseline, "needs": _lists_needs}
PAGES = {"talkbase": _talk_page_talkbase, "baseline": _talk_page_baseline, "needs": _talk_page_needs}


def write(kb: KB, outdir: Path, variant: str) -> None:
    """Write the project of ``variant`` to ``outdir`` (replacing its sources)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    for sub in ("talks", "speakers"):
        if (outdir / sub).exists():
            shutil.rmtree(outdir / sub)
        (outdir / sub).mkdir(parents=True)
    files = {"conf.py": CONF[variant], "index.md": INDEX.format(n=kb.n)}
    files.update(LISTS[variant](kb))
    page = PAGES[variant]
    for talk in kb.talks:
        files[f"talks/{talk.id}.md"] = page(kb, talk)
    talks_of: dict[str, list[Talk]] = {}
    for talk in kb.talks:
        for sid in talk.speakers:
            talks_of.setdefault(sid, []).append(talk)
    for speaker in kb.speakers:
        files[f"speakers/{speaker[0]}.md"] = _speaker_page(kb, speaker, talks_of.get(speaker[0], []), variant)
    for name, text in files.items():
        (outdir / name).write_text(text, encoding="utf-8")


def generate(n: int, outdir: Path, variant: str = "talkbase", seed: int = 0) -> KB:
    """Generate one variant of the N-talk knowledge base into ``outdir``."""
    kb = build_model(n, seed)
    outdir.mkdir(parents=True, exist_ok=True)
    write(kb, outdir, variant)
    return kb


# -- the edits the benchmark times ----------------------------------------------------------


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError(f"{old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(kb: KB, srcdir: Path, number: int = 0, stamp: str = "edited") -> None:
    """(a) Change a word in the second section of one talk (no title or summary changes)."""
    talk = kb.talks[number]
    text = talk.sections[1][1]
    _replace(srcdir / "talks" / f"{talk.id}.md", text, f"{text[:-1]} {stamp}.")


def rename_title(kb: KB, srcdir: Path, number: int = 0, suffix: str = "Renamed") -> None:
    """(b) Rename one talk (its heading, and in talkbase and sphinx-needs its directive)."""
    talk = kb.talks[number]
    path = srcdir / "talks" / f"{talk.id}.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"# {talk.title}\n", f"# {talk.title} {suffix}\n", 1)
    text = text.replace(f"```{{talk}} {talk.title}\n", f"```{{talk}} {talk.title} {suffix}\n", 1)
    path.write_text(text, encoding="utf-8")


def add_term_ref(kb: KB, srcdir: Path, number: int = 0) -> str:
    """(c) Mention one more term in a talk's third section; return the term's id."""
    talk = kb.talks[number]
    term = next(i for i in range(len(kb.terms)) if i not in talk.terms)
    text = talk.sections[2][1]
    _replace(srcdir / "talks" / f"{talk.id}.md", text, f"{text} Also {{term}}`{kb.terms[term][1]}`.")
    return kb.terms[term][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of talks")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--variant", choices=[*VARIANTS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    variants = VARIANTS if args.variant == "all" else (args.variant,)
    for variant in variants:
        target = args.outdir / variant if args.variant == "all" else args.outdir
        generate(args.n, target, variant, args.seed)


if __name__ == "__main__":
    main()

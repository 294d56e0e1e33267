"""``talkbase import``: both programme formats, re-import, bad files, and the round trip
into a built knowledge base (run as subprocesses on temporary directories)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tests.conftest import sphinx_build_html, talkbase

FIXTURES = Path(__file__).parent / "fixtures" / "schedules"
JSON_TALKS = {"jdll2024-kx7fqm", "jdll2024-b3rnqa", "jdll2024-c9ttpw", "jdll2024-d4vhxk"}
JSON_SPEAKERS = {"zoe-lefevre", "jurgen-muller", "lukasz-wisniewski", "siobhan-ni-bhriain", "nguyen-van-an"}
XML_TALKS = {"rhl23-201", "rhl23-202", "rhl23-203"}
XML_SPEAKERS = {"ana-duric", "francois-nunez", "soren-kjaergaard", "malgorzata-wojcik"}




def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A bare project: just a conf.py (import needs nothing else)."""
    root = tmp_path / "kb"
    root.mkdir()
    (root / "conf.py").write_text('extensions = ["myst_parser", "talkbase"]\nlanguage = "en"\n', encoding="utf-8")
    return root


def ids_in(root: Path, folder: str) -> set[str]:
    return {p.stem for p in (root / folder).glob("*.md")}


def test_import_json(project: Path) -> None:
    result = talkbase("import", FIXTURES / "schedule.json", "--into", project)
    assert result.returncode == 0, result.stderr
    assert ids_in(project, "talks") == JSON_TALKS
    assert ids_in(project, "speakers") == JSON_SPEAKERS
    assert ids_in(project, "events") == {"jdll2024"}
    assert "10 created" in result.stdout
    # The opening session has no speaker: reported, not imported.
    assert "'Accueil des participants' has no speakers; not imported" in result.stderr

    talk = (project / "talks" / "jdll2024-kx7fqm.md").read_text(encoding="utf-8")
    assert "````{talk} Proxémie et télétravail : ce que les outils changent\n" in talk
    assert ":speakers: zoe-lefevre, jurgen-muller\n" in talk
    assert ":event: jdll2024\n:date: 2024-04-06\n:language: fr\n" in talk
    assert ":tags: Société numérique\n" in talk  # the track; its comma would split it in two tags
    assert ":slides: https://pretalx.example.org/media/jdll2024/kx7fqm-diapos.pdf\n" in talk
    assert ":video: https://media.ccc.de/v/jdll2024-101-proxemie-et-teletravail\n" in talk
    assert "- **Room:** Salle Hélène Boucher" in talk
    assert "- **When:** 2024-04-06, 10:00 (0:45)" in talk
    assert "[Article de blog](<https://blog.example.org/2024/04/proxemie>)" in talk
    # Programme text is inert: no directive, role or raw HTML can come from it.
    assert "\\{raw\\}\\`\\<script\\>" in talk
    assert "\\`\\`\\`\\{include\\} /etc/passwd" in talk
    assert "\n# Pas un titre" not in talk
    # A relative attachment URL is resolved against the base URL and typed as slides.
    workshop = (project / "talks" / "jdll2024-c9ttpw.md").read_text(encoding="utf-8")
    assert ":slides: https://pretalx.example.org/media/jdll2024/c9ttpw-support.odp\n" in workshop
    assert ":speakers: siobhan-ni-bhriain, zoe-lefevre\n" in workshop
    closing = (project / "talks" / "jdll2024-d4vhxk.md").read_text(encoding="utf-8")
    assert ":video: https://www.youtube.com/watch?v=dQw4w9WgXcQ" in closing

    speaker = (project / "speakers" / "nguyen-van-an.md").read_text(encoding="utf-8")
    assert speaker.startswith("# Nguyễn Văn An\n\n```{speaker} Nguyễn Văn An\n:id: nguyen-van-an\n")
    assert ":url: https://an.example.org/\n" in speaker
    assert "[Mastodon](<https://mastodon.example.org/@an>)" in speaker
    assert "An anime la communauté libre de Hô Chi Minh-Ville." in speaker
    event = (project / "events" / "jdll2024.md").read_text(encoding="utf-8")
    assert ":date: 2024-04-06\n:end: 2024-04-07\n" in event
    assert "```{talk-list}\n:event: jdll2024\n```" in event


def test_import_xml(project: Path) -> None:
    result = talkbase("import", FIXTURES / "schedule.xml", "--into", project, "--event-id", "RHL23")
    assert result.returncode == 0, result.stderr
    assert ids_in(project, "talks") == XML_TALKS
    assert ids_in(project, "speakers") == XML_SPEAKERS
    talk = (project / "talks" / "rhl23-201.md").read_text(encoding="utf-8")
    assert ":speakers: ana-duric, francois-nunez\n" in talk
    assert ":slides: https://frab.example.org/system/attachments/201/slides.pdf\n" in talk
    assert ":video: https://media.ccc.de/v/rhl23-201-chiffrement\n" in talk
    assert "*Ce que « E2EE » promet et ce qu’il tient*" in talk  # the subtitle, in the body
    assert "Avec des démonstrations \\& des exemples." in talk
    lightning = (project / "talks" / "rhl23-203.md").read_text(encoding="utf-8")
    assert ":speakers: malgorzata-wojcik, ana-duric\n" in lightning
    assert ":slides: https://slides.com/malgorzata/sleeper-trains\n" in lightning
    assert ":tags:" not in lightning  # no track
    assert (project / "speakers" / "soren-kjaergaard.md").read_text(encoding="utf-8").startswith("# Søren Kjærgaard\n")


def test_block_labels_follow_the_project_language(project: Path) -> None:
    """Labels and headings come from talkbase's catalogue for the conf.py's language."""
    english = talkbase("import", FIXTURES / "schedule.xml", "--into", project)
    assert english.returncode == 0, english.stderr
    assert "\n## Talks\n" in (project / "events" / "rhl23.md").read_text(encoding="utf-8")
    assert "- **Room:** Salle Ōkubo" in (project / "talks" / "rhl23-202.md").read_text(encoding="utf-8")
    for page in project.rglob("*.md"):
        page.unlink()
    (project / "conf.py").write_text('extensions = ["talkbase"]\nlanguage = "fr"\n', encoding="utf-8")
    assert talkbase("import", FIXTURES / "schedule.xml", "--into", project).returncode == 0
    talk = (project / "talks" / "rhl23-202.md").read_text(encoding="utf-8")
    assert "- **Salle:** Salle Ōkubo" in talk
    assert "- **Quand:** 2023-10-15, 10:30 (1:00)" in talk
    event = (project / "events" / "rhl23.md").read_text(encoding="utf-8")
    assert "\n## Interventions\n\n```{talk-list}\n" in event
    assert "- **Salles:** " in event


def test_reimport_keeps_author_text_and_updates_the_programme(project: Path, tmp_path: Path) -> None:
    assert talkbase("import", FIXTURES / "schedule.xml", "--into", project).returncode == 0
    page = project / "talks" / "rhl23-201.md"
    original = page.read_text(encoding="utf-8")
    # The author adds a tag, rewrites the starting text and adds a recommendation.
    edited = original.replace(":tags: Sécurité\n", ":tags: Sécurité, cryptographie\n")
    edited = edited.replace("Un tour d’horizon des messageries chiffrées.", "Mon compte rendu, écrit à la main.")
    edited = (
        edited.rstrip("\n").removesuffix("````") + "```{recommendation} Vérifier les clés\nEn personne.\n```\n````\n"
    )
    page.write_text(edited, encoding="utf-8")
    # A speaker page the author took over (markers removed) is never touched again.
    speaker = project / "speakers" / "ana-duric.md"
    speaker.write_text("# Ana\n\n```{speaker} Ana Đurić\n:id: ana-duric\n\nMine.\n```\n", encoding="utf-8")

    changed = (FIXTURES / "schedule.xml").read_text(encoding="utf-8")
    changed = changed.replace("Chiffrement de bout en bout, pour de vrai", "Chiffrement de bout en bout : la suite")
    changed = changed.replace("<start>11:00</start>", "<start>11:30</start>")
    changed = changed.replace("<track>Sécurité</track>", "<track>Vie privée</track>")
    new_file = tmp_path / "schedule.xml"
    new_file.write_text(changed, encoding="utf-8")
    result = talkbase("import", new_file, "--into", project)
    assert result.returncode == 0, result.stderr
    assert "updated   talks/rhl23-201.md" in result.stdout
    assert "kept      speakers/ana-duric.md" in result.stdout

    text = page.read_text(encoding="utf-8")
    assert text.startswith(
        "# Chiffrement de bout en bout : la suite\n\n````{talk} Chiffrement de bout en bout : la suite\n"
    )
    assert "- **When:** 2023-10-14, 11:30 (0:40)" in text
    assert ":tags: Vie privée, cryptographie\n" in text  # the track is the first tag; the author's tags stay
    assert "Mon compte rendu, écrit à la main." in text
    assert "Un tour d’horizon" not in text  # starting text is only written once
    assert "```{recommendation} Vérifier les clés\nEn personne.\n```\n````\n" in text
    assert speaker.read_text(encoding="utf-8").endswith("Mine.\n```\n")

    again = talkbase("import", new_file, "--into", project)
    assert again.returncode == 0
    assert "0 page(s) written" in again.stdout  # idempotent


def test_bad_json_writes_nothing_and_names_every_field(project: Path, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "schedule.json").read_text(encoding="utf-8"))
    days = data["schedule"]["conference"]["days"]
    del days[0]["rooms"]["Salle Hélène Boucher"][1]["title"]
    days[1]["rooms"]["Salle Hélène Boucher"][1]["persons"][0] = {"code": "X"}
    days[1]["rooms"]["Salle Hélène Boucher"][0]["date"] = "2024-02-30T10:00:00+02:00"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(project)
    result = talkbase("import", bad, "--into", project)
    assert result.returncode == 3
    assert result.stdout == ""
    assert "nothing was written" in result.stderr
    assert "schedule.conference.days[0].rooms['Salle Hélène Boucher'][1].title: missing" in result.stderr
    assert "schedule.conference.days[1].rooms['Salle Hélène Boucher'][1].persons[0].name: missing" in result.stderr
    assert "days[1].rooms['Salle Hélène Boucher'][0].date: '2024-02-30T10:00:00+02:00' is not an ISO date" in (
        result.stderr
    )
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<schedule><conference><title>X</title></conference>", "not well-formed XML"),
        (
            '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><schedule>&b;</schedule>',
            "refused unsafe XML",
        ),
        (
            '<schedule><conference><title>X</title></conference><day date="2024-01-01"><room name="A">'
            '<event id="1"><persons><person id="2">Bo</person></persons></event></room></day></schedule>',
            "/schedule/day[1]/room[@name='A']/event[1]/title: missing",
        ),
        ('{"schedule": {"conference": {"title": "X"}}}', "schedule.conference.days: missing"),
        ('{"schedule": [1, 2]}', "schedule: expected an object, got list"),
        ("title: not a programme", "neither JSON nor XML"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_files_write_nothing(project: Path, tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "programme.txt"
    bad.write_text(content, encoding="utf-8")
    before = snapshot(project)
    result = talkbase("import", bad, "--into", project)
    assert result.returncode == 3
    assert message in result.stderr
    assert result.stderr.startswith("talkbase import: error: ")
    assert snapshot(project) == before


def test_import_needs_a_project(tmp_path: Path) -> None:
    result = talkbase("import", FIXTURES / "schedule.json", "--into", tmp_path)
    assert result.returncode == 3
    assert "no conf.py" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_dry_run_writes_nothing(project: Path) -> None:
    result = talkbase("import", FIXTURES / "schedule.json", "--into", project, "--dry-run")
    assert result.returncode == 0
    assert "created   talks/jdll2024-kx7fqm.md" in result.stdout
    assert "would be written" in result.stdout
    assert sorted(snapshot(project)) == ["conf.py"]


def test_round_trip_into_a_new_project(tmp_path: Path) -> None:
    """N talks and M speakers in the programmes are exactly N talk and M speaker objects."""
    root = tmp_path / "kb"
    assert talkbase("new", root).returncode == 0
    for name in ("schedule.json", "schedule.xml"):
        result = talkbase("import", FIXTURES / name, cwd=root)
        assert result.returncode == 0, result.stderr
    for example in ("talks/example-talk.md", "speakers/example-speaker.md", "events/example-event.md"):
        (root / example).unlink()
    outdir = tmp_path / "html"
    build = sphinx_build_html(root, outdir)
    assert build.returncode == 0, build.stderr
    talks, speakers = set(), set()
    for page in outdir.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        talks |= {node["id"] for node in soup.select(".kb-object.kb-talk[id]")}
        speakers |= {node["id"] for node in soup.select(".kb-object.kb-speaker[id]")}
    assert talks == {f"talk-{t}" for t in JSON_TALKS | XML_TALKS}
    assert speakers == {f"speaker-{s}" for s in JSON_SPEAKERS | XML_SPEAKERS}
    talk = BeautifulSoup((outdir / "talks" / "jdll2024-kx7fqm.html").read_text(encoding="utf-8"), "lxml")
    assert not [s for s in talk.select("script") if "alert(1)" in s.get_text()]
    assert "{raw}`<script>alert(1)</script>`" in talk.select_one(".kb-object.kb-talk").get_text()
    shutil.rmtree(outdir)


def test_large_programme_shows_progress(project: Path, tmp_path: Path) -> None:
    talks = [
        {
            "id": n,
            "guid": f"00000000-0000-4000-8000-{n:012d}",
            "date": "2024-05-01T10:00:00+02:00",
            "start": "10:00",
            "duration": "00:20",
            "room": "Hall",
            "title": f"Talk n°{n}",
            "persons": [{"code": f"P{n % 40}", "public_name": f"Speaker {n % 40}"}],
        }
        for n in range(1, 201)
    ]
    programme = {
        "schedule": {
            "version": "1",
            "conference": {
                "title": "Big Con",
                "acronym": "big",
                "days": [{"date": "2024-05-01", "rooms": {"Hall": talks}}],
            },
        }
    }
    big = tmp_path / "big.json"
    big.write_text(json.dumps(programme), encoding="utf-8")
    result = talkbase("import", big, "--into", project)
    assert result.returncode == 0, result.stderr
    assert "preparing pages: 50% (" in result.stderr
    assert "writing pages: 100% (241/241)" in result.stderr
    assert len(list((project / "talks").glob("*.md"))) == 200
    assert len(list((project / "speakers").glob("*.md"))) == 40
    quiet = talkbase("import", big, "--into", project, "--quiet")
    assert quiet.stderr == ""
    assert "0 page(s) written (241 unchanged)" in quiet.stdout


def test_reimport_keeps_a_renamed_speakers_id(project: Path, tmp_path: Path) -> None:
    """Speaker ids are stable across re-imports by the programme's person code: a person the
    programme renames keeps their page and id; the page's name follows the programme."""
    assert talkbase("import", FIXTURES / "schedule.xml", "--into", project).returncode == 0
    page = project / "speakers" / "soren-kjaergaard.md"
    assert "% talkbase:import:person " in page.read_text(encoding="utf-8")
    renamed = (FIXTURES / "schedule.xml").read_text(encoding="utf-8").replace("Søren Kjærgaard", "Søren K. Kjærgaard")
    new_file = tmp_path / "schedule.xml"
    new_file.write_text(renamed, encoding="utf-8")
    result = talkbase("import", new_file, "--into", project)
    assert result.returncode == 0, result.stderr
    assert ids_in(project, "speakers") == XML_SPEAKERS  # no second page for the same person
    text = page.read_text(encoding="utf-8")
    assert "```{speaker} Søren K. Kjærgaard\n:id: soren-kjaergaard\n" in text
    for talk in (project / "talks").glob("*.md"):
        assert "soren-k-kjaergaard" not in talk.read_text(encoding="utf-8")


# -- pages the author wrote (issue 13 §4) ------------------------------------------------------

HAND_WRITTEN = {
    # MyST, another file name than the import's, the id given explicitly.
    "speakers/lukasz.md": (
        "# Łukasz\n\n```{speaker} Łukasz W.\n:id: lukasz-wisniewski\n\n"
        "Written by hand: the biography of Łukasz.\n```\n"
    ),
    # rST with the docname the import would use for its .md: the id comes from the title.
    "speakers/zoe-lefevre.rst": (
        "Zoé Lefèvre\n===========\n\n.. speaker:: Zoé Lefèvre\n   :affiliation: Université Lumière\n\n"
        "   Biography of Zoé, written by hand in reStructuredText.\n"
    ),
    # A page the author took over and renamed: found by the programme's person code.
    "speakers/an.md": (
        "# An\n\n```{speaker} Nguyễn Văn An\n:id: an-nguyen\n\n% talkbase:import:person NVAN05\n\n"
        "Mine now.\n```\n"
    ),
    # Notes that take the docname of a talk the import creates: the talk goes to another name.
    "talks/jdll2024-kx7fqm.rst": "Notes on KX7FQM\n===============\n\nNot a talk object, just notes.\n",
}


def test_import_respects_pages_written_by_hand(tmp_path: Path) -> None:
    """Objects the author wrote (any file name, .md or .rst) are found by id or person code
    and kept untouched; no file is written beside a source of the same name; --dry-run says
    exactly what the run does; a re-import changes nothing; the project builds without a
    warning and shows the author's rST biography."""
    root = tmp_path / "kb"
    assert talkbase("new", root).returncode == 0
    for name, text in HAND_WRITTEN.items():
        (root / name).write_text(text, encoding="utf-8")
    programme = tmp_path / "jdll-programme.json"
    shutil.copyfile(FIXTURES / "schedule.json", programme)
    before = snapshot(root)

    dry = talkbase("import", programme, "--into", root, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert snapshot(root) == before
    real = talkbase("import", programme, "--into", root)
    assert real.returncode == 0, real.stderr
    assert dry.stdout.replace(" would be written ", " written ") == real.stdout
    assert dry.stderr == real.stderr

    lines = real.stdout.splitlines()
    for name in ("speakers/lukasz.md", "speakers/zoe-lefevre.rst", "speakers/an.md"):
        assert f"kept      {name}, written by hand" in lines
    assert "created   talks/jdll2024-kx7fqm-2.md" in lines
    assert "note: talks/jdll2024-kx7fqm.rst does not define talk 'jdll2024-kx7fqm'" in real.stderr
    assert lines[-1].startswith(f"{programme}: Journées du Logiciel Libre 2024: 7 page(s) written (7 created, 3 kept)")
    after = snapshot(root)
    assert {name: after[name] for name in HAND_WRITTEN} == HAND_WRITTEN
    written = set(after) - set(before)
    assert written == {
        "events/jdll2024.md",
        "talks/jdll2024-kx7fqm-2.md",
        "talks/jdll2024-b3rnqa.md",
        "talks/jdll2024-c9ttpw.md",
        "talks/jdll2024-d4vhxk.md",
        "speakers/jurgen-muller.md",
        "speakers/siobhan-ni-bhriain.md",
    }
    assert ":speakers: zoe-lefevre, jurgen-muller\n" in after["talks/jdll2024-kx7fqm-2.md"]
    assert ":speakers: jurgen-muller, an-nguyen\n" in after["talks/jdll2024-d4vhxk.md"]
    assert ":speakers: lukasz-wisniewski\n" in after["talks/jdll2024-b3rnqa.md"]

    again = talkbase("import", programme, "--into", root)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].endswith("0 page(s) written (7 unchanged, 3 kept)")
    assert snapshot(root) == after

    outdir = tmp_path / "html"
    build = sphinx_build_html(root, outdir)
    assert build.returncode == 0, build.stderr
    assert build.stderr == ""  # no duplicate id, no "multiple files found for the document"
    zoe = BeautifulSoup((outdir / "speakers" / "zoe-lefevre.html").read_text(encoding="utf-8"), "lxml")
    card = zoe.select_one(".kb-object.kb-speaker#speaker-zoe-lefevre")
    assert "Biography of Zoé, written by hand in reStructuredText." in card.get_text()
    talk = BeautifulSoup((outdir / "talks" / "jdll2024-kx7fqm-2.html").read_text(encoding="utf-8"), "lxml")
    hrefs = {a["href"] for a in talk.select(".kb-object.kb-talk a[href]")}
    assert "../speakers/zoe-lefevre.html#speaker-zoe-lefevre" in hrefs
    lukasz = BeautifulSoup((outdir / "speakers" / "lukasz.html").read_text(encoding="utf-8"), "lxml")
    assert "the biography of Łukasz" in lukasz.select_one("#speaker-lukasz-wisniewski").get_text()


SCANNED_SOURCES = {
    "conf.py": 'extensions = ["myst_parser", "talkbase"]\nmyst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["drafts"]\n',
    "index.md": "# Index\n\n```{toctree}\n:glob:\n\n*\nsub/*\n```\n",
    "a.md": (
        "# A\n\n````{talk} A talk, the id from its title\n:speakers: s-one\n\n"
        "```{recommendation} Nested recommendation\n:id: rec-one\nText.\n```\n````\n\n"
        ":::{kb:speaker} Colon fence, prefixed\n:id: s-one\n:::\n\n"
        "```{speaker} Options as YAML\n---\nid: s-yaml\n---\nText.\n```\n\n"
        '```{speaker} Quoted id\n:id: "S Quoted"\n```\n\n'
        "````{note}\n```{speaker} Inside a note\n```\n````\n\n"
        "`````markdown\n```{speaker} Only an example in a code block\n```\n`````\n\n"
        "```{code-block} md\n```{speaker} Another example\n```\n"
    ),
    "sub/b.rst": (
        "B\n=\n\n.. speaker:: Łukasz\n   Wiśniewski\n   :affiliation: X\n\n   Biography.\n\n"
        ".. kb:event:: An event\n   :id: ev-1\n   :date: 2024-01-01\n\n"
        ".. code-block:: rst\n\n   .. speaker:: Not a speaker\n\n"
        ".. note::\n\n   .. term:: Nested term\n\n      Definition.\n"
    ),
    "drafts/c.md": "# C\n\n```{speaker} Excluded draft\n```\n",
}


def test_scan_finds_what_sphinx_reads(tmp_path: Path) -> None:
    """The import's scan of the sources (talkbase.cli.sources) finds exactly the objects a
    Sphinx build of the same sources defines, with the directive's own ids."""
    from talkbase.cli import sources  # noqa: PLC0415 (the CLI module under test)

    for name, text in SCANNED_SOURCES.items():
        (tmp_path / "kb" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "kb" / name).write_text(text, encoding="utf-8")
    scanned = sources.scan(tmp_path / "kb")
    found = {(item.objtype, item.objid) for item in scanned.objects}
    outdir = tmp_path / "html"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(tmp_path / "kb"), str(outdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    built = set()
    for page in outdir.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for node in soup.select(".kb-object[data-kb-id]"):
            # The domain's object type "rec" is the directive `recommendation`.
            built.add(({"rec": "recommendation"}.get(node["data-kb-type"], node["data-kb-type"]), node["data-kb-id"]))
    assert found == built
    assert ("speaker", "lukasz-wisniewski") in found  # the rST title continued on the next line
    assert ("speaker", "s-quoted") in found
    assert sorted(scanned.files) == ["a", "index", "sub/b"]


def test_reimport_after_the_author_changed_an_id(project: Path) -> None:
    """A talk page the import wrote gets its `:id:` back (the import owns it) in the same
    page; a speaker whose id the author changed is found by the person code and keeps the
    new id, which the talks then use. No second page either way."""
    assert talkbase("import", FIXTURES / "schedule.xml", "--into", project).returncode == 0
    talk = project / "talks" / "rhl23-201.md"
    talk.write_text(talk.read_text(encoding="utf-8").replace(":id: rhl23-201\n", ":id: mine\n"), encoding="utf-8")
    speaker = project / "speakers" / "ana-duric.md"
    speaker.write_text(speaker.read_text(encoding="utf-8").replace(":id: ana-duric\n", ":id: ana\n"), encoding="utf-8")
    result = talkbase("import", FIXTURES / "schedule.xml", "--into", project)
    assert result.returncode == 0, result.stderr
    assert "updated   talks/rhl23-201.md" in result.stdout
    assert ":id: rhl23-201\n" in talk.read_text(encoding="utf-8")
    assert ":speakers: ana, francois-nunez\n" in talk.read_text(encoding="utf-8")
    assert ":id: ana\n" in speaker.read_text(encoding="utf-8")
    assert ids_in(project, "talks") == XML_TALKS
    assert ids_in(project, "speakers") == XML_SPEAKERS

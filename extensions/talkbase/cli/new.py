"""``talkbase new DIR``: a ready-to-build knowledge base from the templates in ``skeleton/``.

Every file under ``skeleton/`` is copied with ``{{name}}`` placeholders filled
and ``{{_("text")}}`` replaced by the text in the project's language, from
talkbase's message catalogue (``make catalog`` extracts these strings from the
skeleton's Markdown pages, see babel.cfg); a leading ``dot-`` in a file or
folder name becomes ``.`` (package data cannot hold hidden files reliably) and
a trailing ``.tmpl`` is dropped (so that ``conf.py.tmpl`` is not mistaken for a
module of the package).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gettext
import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

from talkbase import __version__
from talkbase.cli.common import LOCALE, CliError, Exit, out, translator, write_atomic
from talkbase.cli.markdown import escape_inline
from talkbase.values import BadValue, check_language

if TYPE_CHECKING:
    from argparse import _SubParsersAction
    from collections.abc import Callable

SKELETON = Path(__file__).parent / "skeleton"
#: ``{{_("text")}}`` in a skeleton file: a string of the catalogue (Jinja's syntax, so pybabel finds it).
MESSAGE = re.compile(r"""\{\{\s*_\("((?:[^"\\]|\\.)*)"\)\s*\}\}""")

HELP = "create a ready-to-build knowledge base in DIR"
DESCRIPTION = """\
Create a knowledge base in DIR: conf.py (talkbase, MyST, sphinx-design,
sphinxcontrib-bibtex, the talkbase theme when installed), an index page with
listings, one example event, talk, speaker, recommendation and term,
references.bib, a Makefile (html, pdf, live, check), requirements.txt, CI files
for GitHub Actions and GitLab CI (building with -W --keep-going),
.readthedocs.yaml and a README.

DIR must not exist or be empty, unless --force is given (files of the same
name are then overwritten; other files are left alone).
"""


def add_parser(subparsers: _SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "new", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", metavar="DIR", help="where to create the knowledge base")
    parser.add_argument("--title", help="title of the knowledge base (default: the directory name)")
    parser.add_argument(
        "--language", default="en", help="language of the pages, a code like en, fr, de, pt-BR (default: en)"
    )
    parser.add_argument("--author", default="The authors", help="author shown in the copyright line")
    parser.add_argument(
        "--theme",
        help="HTML theme (default: talkbase when the talkbase theme is installed, else basic)",
    )
    parser.add_argument("--force", action="store_true", help="write into a non-empty DIR")
    parser.set_defaults(run=run)


def default_theme() -> str:
    """``talkbase`` if its theme can be imported here, else Sphinx's ``basic``."""
    try:
        found = importlib.util.find_spec("talkbase.theme") is not None
    except ImportError:
        found = False
    return "talkbase" if found else "basic"


def target_name(relative: Path) -> Path:
    parts = [part.replace("dot-", ".", 1) if part.startswith("dot-") else part for part in relative.parts]
    parts[-1] = parts[-1].removesuffix(".tmpl")
    return Path(*parts)


def render(text: str, values: dict[str, str], _: Callable[[str], str] = str) -> str:
    """A skeleton file with its messages translated by ``_`` and its ``{{name}}`` values filled."""
    text = MESSAGE.sub(lambda match: _(re.sub(r"\\(.)", r"\1", match.group(1))), text)
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def messages(text: str) -> list[str]:
    """The ``{{_("text")}}`` messages of a skeleton file (for tests and translators)."""
    return [re.sub(r"\\(.)", r"\1", match.group(1)) for match in MESSAGE.finditer(text)]


def text_language(language: str) -> str:
    """The language the example pages are written in: ``language`` if talkbase has a
    catalogue for it (``fr``, ``fr-CA``), else English, the language of the skeleton."""
    found = gettext.find("talkbase", str(LOCALE), languages=[language.replace("-", "_")])
    return language if found else "en"


def skeleton_files() -> list[Path]:
    return sorted(path for path in SKELETON.rglob("*") if path.is_file() and "__pycache__" not in path.parts)


def run(args: argparse.Namespace) -> int:
    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        msg = f"{target}: exists and is not a directory"
        raise CliError(msg)
    if target.is_dir() and any(target.iterdir()) and not args.force:
        msg = f"{target}: directory is not empty; choose another one or pass --force"
        raise CliError(msg)
    try:
        language = check_language(args.language)
    except BadValue as exc:
        msg = f"--language: {exc}"
        raise CliError(msg, Exit.USAGE) from None
    _ = translator(language)
    title = " ".join((args.title or target.resolve().name).split()) or _("Knowledge base")
    author = " ".join(args.author.split())
    values = {
        "title": repr(title),
        "title_text": title.replace('"""', "'''"),
        "title_md": escape_inline(title),
        "author": repr(author),
        "copyright": repr(f"{dt.date.today().year}, {author}"),
        "language": repr(language.replace("-", "_")),
        # The language the example objects are written in (:lang:, :language:).
        "text_language": text_language(language),
        "theme": repr(args.theme or default_theme()),
        "version": __version__,
    }
    written = []
    for source in skeleton_files():
        relative = target_name(source.relative_to(SKELETON))
        write_atomic(target / relative, render(source.read_text(encoding="utf-8"), values, _))
        written.append(relative.as_posix())
    out(f"created {len(written)} files in {target}:")
    for name in written:
        out(f"  {name}")
    out()
    out("next steps:")
    out(f"  cd {target}")
    out("  make html                      # or: sphinx-build -W --keep-going -b html . _build/html")
    out("  talkbase import schedule.json  # pages from a conference programme")
    out("  talkbase check                 # what is missing or broken")
    return Exit.OK

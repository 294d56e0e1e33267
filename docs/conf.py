"""Sphinx configuration for the talkbase documentation."""

import importlib.metadata

project = "talkbase"
author = "The talkbase contributors"
copyright = "The talkbase contributors"

extensions = ["myst_parser", "sphinx_design", "talkbase", "sphinxcontrib.bibtex"]
myst_heading_anchors = 2
myst_enable_extensions = ["colon_fence", "deflist"]

language = "en"
exclude_patterns = ["_build"]

html_theme = "talkbase"

# -- citations (docs/reference/citing.md) -------------------------------------------------
# The showcase glossary cites its sources; talks are citable by their id too.
bibtex_bibfiles = ["showcase/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- PDF (make pdf: sphinx-build -M latexpdf) ----------------------------------------
# XeLaTeX with polyglossia: the French parts (a talk's :language:, a term's :lang:)
# are set in French by talkbase's LaTeX style, with French punctuation spacing.
latex_engine = "xelatex"
latex_documents = [
    ("index", "talkbase.tex", "talkbase: a knowledge base of talks", author, "manual"),
]
latex_elements = {
    "papersize": "a4paper",
}

# -- other builders -------------------------------------------------------------------
man_pages = [("index", "talkbase", "a knowledge base of talks", [author], 7)]
texinfo_documents = [
    ("index", "talkbase", "talkbase", author, "talkbase", "A knowledge base of talks.", "Documentation"),
]
# The docs build offline: linkcheck checks the links inside the project only
# (the _kb/ exports are written by the HTML builders, so they are not checked either).
linkcheck_ignore = [r"https?://", r"mailto:", r"(\.\./)*_kb/"]
# EPUB 3 requires a version.
release = importlib.metadata.version("sphinx-talkbase")
version = ".".join(release.split(".")[:2])

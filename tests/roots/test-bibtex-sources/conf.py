"""Talks written in every way a page can hold them, each cited with ``{cite:p}`` from citing.md."""

extensions = ["myst_parser", "sphinx_design", "talkbase", "sphinxcontrib.bibtex"]
html_theme = "basic"
project = "bibtex-sources"
language = "fr"
locale_dirs = ["locale"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_parts"]
bibtex_bibfiles: list[str] = []
bibtex_default_style = "plain"

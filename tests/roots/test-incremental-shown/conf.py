"""What a page shows of objects defined on other pages, kept fresh by incremental builds.

The talkbase theme, because the hover previews (a summary shown on another page)
are written by it; sphinxcontrib-bibtex for a citation inside a summary.
"""

extensions = ["myst_parser", "talkbase", "sphinxcontrib.bibtex"]
html_theme = "talkbase"
project = "incremental-shown"
language = "en"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

"""The author's words reach the reader unchanged: term texts, titles, summaries.

The talkbase theme, because the hover previews (one more place a summary is shown)
are written by it.
"""

extensions = ["myst_parser", "talkbase", "sphinxcontrib.bibtex"]
html_theme = "talkbase"
project = "author-words"
language = "en"
html_baseurl = "https://kb.example.org/"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
# Every output file is checked for citation keys: leave out the copies of the sources.
html_copy_source = False

"""Two pages sharing words, for the search index's memoised stemmer (talkbase/stems.py)."""

extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "stems"
language = "en"

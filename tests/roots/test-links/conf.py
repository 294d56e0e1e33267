"""Every kind of internal link talkbase makes, for every HTML builder (tests/test_links.py)."""

project = "links"
extensions = ["myst_parser", "talkbase"]
html_theme = "talkbase"
language = "en"
# The graph's fallback list of links (the drawing is an SVG file of its own).
graphviz_dot = "talkbase-test-no-such-dot"
suppress_warnings = ["talkbase.graph-unavailable"]
html_baseurl = "https://kb.example.org/"
copyright = "2026, The talkbase contributors"  # EPUB3 wants both
version = "1.0"

"""One page per theme component the browser tests look at (tests/test_theme_items_browser.py)."""

project = "Theme items"
extensions = ["myst_parser", "sphinx_design", "talkbase"]
html_theme = "talkbase"
html_baseurl = "https://kb.example.org/"
language = "en"
exclude_patterns = ["_build"]

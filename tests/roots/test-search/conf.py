"""A small knowledge base for the search tests: one talk per page, so each page has its own filters."""

project = "Search"
copyright = "2026, The talkbase contributors"
extensions = ["myst_parser", "talkbase"]
html_theme = "talkbase"
exclude_patterns = ["_build"]

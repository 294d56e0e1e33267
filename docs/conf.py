"""Sphinx configuration for the talkbase documentation."""

project = "talkbase"
author = "The talkbase contributors"
copyright = "The talkbase contributors"

extensions = ["myst_parser", "sphinx_design", "talkbase"]
myst_heading_anchors = 2
myst_enable_extensions = ["colon_fence", "deflist"]

language = "en"
exclude_patterns = ["_build"]

html_theme = "basic"

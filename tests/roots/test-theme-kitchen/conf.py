"""Every standard element on one page, for the theme's browser tests."""

project = "Kitchen sink"
copyright = "2026, The talkbase contributors"
extensions = ["myst_parser", "sphinx_design", "talkbase"]
html_theme = "talkbase"
html_static_path = ["_static"]
html_last_updated_fmt = "%Y-%m-%d"
exclude_patterns = ["_build"]

"""Every standard element on one page, for the theme's browser tests."""

project = "Kitchen sink"
copyright = "2026, The talkbase contributors"
extensions = ["myst_parser", "sphinx_design", "talkbase"]
html_theme = "talkbase"
html_static_path = ["_static"]
html_last_updated_fmt = "%Y-%m-%d"
# Offline: MathJax would come from a CDN; a local stub keeps math as its TeX source.
mathjax_path = "mathjax-stub.js"
exclude_patterns = ["_build"]

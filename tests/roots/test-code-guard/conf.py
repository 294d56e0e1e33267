extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "code-guard"
language = "en"
exclude_patterns = ["_build"]

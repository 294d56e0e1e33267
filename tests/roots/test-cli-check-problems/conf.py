extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "check"
language = "en"
exclude_patterns = ["_build", "parts"]

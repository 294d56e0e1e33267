extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "check"
language = "en"
exclude_patterns = ["_build", "parts"]
# A warning without location, logged while Sphinx starts (config checks).
html_short_title = 5

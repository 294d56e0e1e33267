extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "noop-warnings"
language = "en"

extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "collation"
language = "en"

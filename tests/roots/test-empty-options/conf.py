extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "empty options"

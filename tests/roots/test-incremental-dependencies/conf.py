extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "incremental-dependencies"
language = "en"

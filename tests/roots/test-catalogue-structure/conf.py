extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "catalogue"
exclude_patterns = ["excluded.md"]

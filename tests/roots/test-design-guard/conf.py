extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "design-guard"
language = "en"
exclude_patterns = ["_build", "_fragments"]
locale_dirs = ["locale"]

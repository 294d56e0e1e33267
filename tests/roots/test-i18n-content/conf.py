"""A French knowledge base whose objects are translated into English through gettext."""

extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
language = "fr"
locale_dirs = ["locale"]
exclude_patterns = ["_build", "locale"]

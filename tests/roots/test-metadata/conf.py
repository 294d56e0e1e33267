extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "metadata"
language = "fr"
html_baseurl = "https://kb.example.org/recap/"

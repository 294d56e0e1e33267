extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "injection"
html_baseurl = "https://kb.example.org/"

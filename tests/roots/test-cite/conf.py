extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "cite"
language = "en"
html_baseurl = "https://kb.example.org/recap/"

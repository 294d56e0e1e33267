extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "Recaps & “Notes” <edge>"
language = "en"
html_baseurl = "https://kb.example.org/edge/"

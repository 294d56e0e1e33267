extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "generic-nodes"
language = "en"
html_baseurl = "https://kb.example.org/"
latex_documents = [("index", "generic.tex", "generic-nodes", "talkbase", "manual")]
man_pages = [("index", "generic", "generic-nodes", ["talkbase"], 1)]
texinfo_documents = [("index", "generic", "generic-nodes", "talkbase", "generic", "talkbase", "Misc")]

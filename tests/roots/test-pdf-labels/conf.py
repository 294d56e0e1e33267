extensions = ["myst_parser", "talkbase"]
project = "Étiquettes"
author = "talkbase"
latex_engine = "xelatex"
latex_documents = [("index", "labels.tex", "Étiquettes", "talkbase", "howto")]

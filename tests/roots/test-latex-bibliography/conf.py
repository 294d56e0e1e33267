extensions = ["myst_parser", "sphinxcontrib.bibtex", "talkbase"]
project = "Bibliography"
bibtex_bibfiles = ["refs.bib"]
latex_documents = [("index", "book.tex", "Bibliography", "talkbase", "manual")]

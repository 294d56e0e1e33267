# An existing English project that adds talkbase and keeps Sphinx's default
# LaTeX engine (pdflatex); test_pdf_engines.py also builds it with xelatex and lualatex.
extensions = ["myst_parser", "talkbase"]
project = "Engines"
author = "talkbase"
latex_documents = [("index", "engines.tex", "Engines", "talkbase", "howto")]

extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "graph"
# The hostile titles must reach the output with their straight quotes, to test their escaping.
smartquotes = False

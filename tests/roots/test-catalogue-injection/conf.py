extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "injection"
html_baseurl = "https://kb.example.org/"
# The hostile titles must reach the output with their straight quotes, to test their escaping.
smartquotes = False

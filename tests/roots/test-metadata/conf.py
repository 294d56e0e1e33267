extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "metadata"
language = "fr"
html_baseurl = "https://kb.example.org/recap/"
# The hostile titles must reach the output with their straight quotes, to test their escaping.
smartquotes = False

extensions = ["myst_parser", "talkbase"]
html_theme = "basic"
project = "cite"
language = "en"
html_baseurl = "https://kb.example.org/recap/"
# The hostile titles must reach the output with their straight quotes, to test their escaping.
smartquotes = False

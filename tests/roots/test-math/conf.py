"""Math with no network: talkbase's own MathJax (test_math.py)."""

project = "Math"
extensions = ["myst_parser", "talkbase"]
myst_enable_extensions = ["dollarmath"]
html_theme = "basic"
exclude_patterns = ["_build"]

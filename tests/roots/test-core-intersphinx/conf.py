extensions = ["myst_parser", "talkbase", "sphinx.ext.intersphinx"]
html_theme = "basic"
project = "consumer"
# intersphinx_mapping is set by the test: it points at a build of test-core-myst.

# talkbase — the two commands: `make html` (build docs/) and `make test` (whole suite).
# Both create the virtualenv on first use and install, with apt-get, the system
# packages they need when missing: `make html` only python3-venv and graphviz
# (system-deps-html), `make test` everything in scripts/system-deps.sh.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SPHINXOPTS ?=

.PHONY: html test lint system-deps system-deps-html clean

$(STAMP): pyproject.toml | system-deps-html
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

# docs/ draws relations graphs with Graphviz and builds with -W: dot must be there.
html: system-deps-html $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html $(SPHINXOPTS) docs docs/_build/html

# The PDF (docs/_build/latex/talkbase.pdf): Sphinx's LaTeX builder, then latexmk with XeLaTeX.
.PHONY: pdf
pdf: $(STAMP) system-deps
	$(BIN)/sphinx-build -W --keep-going -M latexpdf docs docs/_build $(SPHINXOPTS)

system-deps:
	PYTHON=$(PYTHON) bash scripts/system-deps.sh

system-deps-html:
	PYTHON=$(PYTHON) bash scripts/system-deps.sh html

test: $(STAMP) system-deps
	$(BIN)/ruff check extensions tests
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTESTOPTS)

lint: $(STAMP)
	$(BIN)/ruff check extensions tests
	$(BIN)/mypy

clean:
	rm -rf docs/_build

# Message catalogue (docs/i18n.md): re-extract talkbase's strings into the template,
# merge it into every language's .po, then compile the .mo files that are shipped.
LOCALE := extensions/talkbase/locale
.PHONY: catalog
catalog: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --project=talkbase --copyright-holder="The talkbase contributors" \
		--version="$$($(BIN)/python -c 'import talkbase; print(talkbase.__version__)')" \
		--add-location=file --width=100 -o $(LOCALE)/talkbase.pot extensions/talkbase
	$(BIN)/pybabel update -D talkbase -i $(LOCALE)/talkbase.pot -d $(LOCALE) --width=100
	$(BIN)/pybabel compile -D talkbase -d $(LOCALE) --statistics

# Browser tests (tests/test_theme_browser.py): axe-core from the npm registry, pinned by
# tests/browser/package-lock.json; Chromium is Debian's (system-deps). Nothing else is downloaded.
.PHONY: browser-deps shots
browser-deps:
	test -f tests/browser/node_modules/axe-core/axe.min.js || npm ci --prefix tests/browser --no-audit --no-fund
test: browser-deps

# Citation tests (tests/test_cite_edge.py): citeproc-js, the CSL processor Zotero uses, from
# the npm registry, pinned by tests/csl/package-lock.json; run with Debian's node.
.PHONY: csl-deps
csl-deps:
	test -f tests/csl/node_modules/citeproc/citeproc_commonjs.js || npm ci --prefix tests/csl --no-audit --no-fund
test: csl-deps

# Screenshots of the home, a talk, a speaker, the glossary, the showcase's home, the term index and the search page,
# light and dark, 1280 and 375 px, in docs/_build/shots/; also refreshes the images of docs/theme.md (docs/theme/*.png).
shots: $(STAMP) system-deps browser-deps html
	$(BIN)/python tests/browser/shots.py docs/_build/html docs/_build/shots --docs-images docs/theme

# Build-cost benchmark (docs/performance.md): talkbase against the same knowledge base in plain
# Sphinx and in sphinx-needs (the `bench` extra), N = 100 and 1 000 talks (< 10 minutes on 2 cores);
# BENCHOPTS=--large adds N = 5 000.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py $(BENCHOPTS)

# talkbase — the two commands: `make html` (build docs/) and `make test` (whole suite).
# Both create the virtualenv on first use; `make test` also installs the system
# packages the tests need (apt-get, when missing).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SPHINXOPTS ?=

.PHONY: html test lint system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

html: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html $(SPHINXOPTS) docs docs/_build/html

system-deps:
	bash scripts/system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest $(PYTESTOPTS)

lint: $(STAMP)
	$(BIN)/ruff check extensions tests
	$(BIN)/mypy

clean:
	rm -rf docs/_build

# Two set-up commands on a fresh machine with only Python 3 and make:
#   make scan   create .venv, install lockscan, scan a sample repo
#   make test   create .venv with the dev extras, run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE ?= sample_repos/openai_chatbot

.PHONY: scan test lint bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

scan: $(VENV)/.installed
	$(BIN)/lockscan scan $(SAMPLE)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check lockscan tests bench

docs: $(VENV)/.installed
	$(BIN)/lockscan docs --output docs/rules.md

bench: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .lockscan

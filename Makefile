# Two set-up commands on a fresh machine with only Python 3 and make:
#   make scan   create .venv, install lockscan, scan a sample repo
#   make test   create .venv with the dev extras, run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE ?= sample_repos/openai_chatbot

.PHONY: scan test test-browser screenshot readme lint bench docs clean

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

# The HTML report in headless Chromium (part of `make test`; skipped without Chromium:
# `sudo apt-get install -y chromium`).
test-browser: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m browser -p no:cacheprovider

# Retake docs/html-report.png, the README's picture of the HTML report.
screenshot: $(VENV)/.installed-dev
	LOCKSCAN_REQUIRE_BROWSER=1 LOCKSCAN_UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest \
		-p no:cacheprovider tests/e2e/test_html_browser.py -k screenshot

# Rewrite the README's example outputs (<!-- readme-example --> blocks) from real output.
readme: $(VENV)/.installed-dev
	LOCKSCAN_UPDATE_README=1 $(BIN)/python -m pytest -p no:cacheprovider tests/e2e/test_readme.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check lockscan tests bench

docs: $(VENV)/.installed
	$(BIN)/lockscan docs --output docs/rules.md

bench: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .lockscan

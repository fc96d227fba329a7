# Two commands set everything up on a fresh Debian/Ubuntu machine:
#   make demo   - system packages, .venv, docmine, a synthetic archive, the pipeline on it, a summary
#   make test   - the same install, then the whole test suite
# Both are idempotent: a second run skips what is already installed.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.docmine-installed
# System packages the project needs (OCR engine, its English model, PDF rasteriser; Chromium
# opens the HTML report headless in the tests).
# libtesseract-dev and libleptonica-dev: tesserocr is built against the same Tesseract as the
# binary (`docmine.ingest.tesseract`: one engine per process, the same readings as the CLI).
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng libtesseract-dev libleptonica-dev pkg-config g++ poppler-utils chromium
DEMO_DIR := demo

.PHONY: all demo test lint install sysdeps clean

all: test

sysdeps:
	@bash scripts/install_system_packages.sh $(APT_PACKAGES)

$(STAMP): pyproject.toml
	@bash scripts/check_python.sh
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PIP_NO_BINARY=tesserocr $(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: sysdeps $(STAMP)

# The linters and the layer contracts first (seconds), then the tests.
lint: install
	$(VENV)/bin/ruff check docmine scripts tests
	$(VENV)/bin/ruff format --check docmine scripts tests
	$(VENV)/bin/lint-imports

test: lint
	OMP_THREAD_LIMIT=1 $(VENV)/bin/pytest -q

demo: install
	$(PY) scripts/demo.py --out $(DEMO_DIR)

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist .pytest_cache

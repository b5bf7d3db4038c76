# bilingual — the two commands a newcomer needs:
#   make translate   create .venv, install, translate every document in bilingual.toml, build the English
#   make test        install the test tools and run ruff + the test suite
# Variables: ENGINE=argos|pseudo|none (default argos), CONFIG=bilingual.toml, PYTHON=python3

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ENGINE ?= argos
CONFIG ?= bilingual.toml
QUIET  ?=

.PHONY: install install-test translate check test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(BIN)/.installed-test: $(BIN)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(BIN)/.installed

install-test: $(BIN)/.installed-test

## Translate every document listed in $(CONFIG), then rebuild its English publication.
## With ENGINE=argos and no zh→en model installed, the model is installed from the Argos index first.
translate: $(BIN)/.installed
	$(BIN)/bilingual translate --config $(CONFIG) --engine $(ENGINE) $(if $(filter argos,$(ENGINE)),--install-model) $(QUIET)
	$(BIN)/bilingual build --config $(CONFIG) $(QUIET)

## QA gate over every PO file listed in $(CONFIG): non-zero exit on errors.
check: $(BIN)/.installed
	$(BIN)/bilingual check --config $(CONFIG) $(QUIET)

lint: $(BIN)/.installed-test
	$(BIN)/ruff check bilingual tests bench

test: $(BIN)/.installed-test lint
	$(BIN)/python -m pytest -q

## Benchmark (not part of make test): writes bench/results.json (single document, 10×, limits)
## and bench/lt_results.json (20 documents: in-process vs LibreTranslate on loopback, --jobs).
bench: $(BIN)/.installed-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/lt_bench.py > bench/lt_results.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/.model-cache bench/.work

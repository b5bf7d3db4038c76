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

.PHONY: install install-test install-mutation translate pot check test lint bench clean pofilter wheel mutation

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@# bytecode as a regular pip install writes it (an editable one does not): with PYTHONDONTWRITEBYTECODE
	@# set, every run would otherwise compile bilingual from source again (0.1-0.2 s per run)
	$(BIN)/python -m compileall -q bilingual
	@touch $@

$(BIN)/.installed-test: $(BIN)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

$(BIN)/.installed-mutation: $(BIN)/.installed-test pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
	@touch $@

install: $(BIN)/.installed

install-test: $(BIN)/.installed-test

## Translate every document listed in $(CONFIG), then rebuild its English publication.
## With ENGINE=argos and no zh→en model installed, the model is installed from the Argos index first.
translate: $(BIN)/.installed
	$(BIN)/bilingual translate --config $(CONFIG) --engine $(ENGINE) $(if $(filter argos,$(ENGINE)),--install-model) $(QUIET)
	$(BIN)/bilingual build --config $(CONFIG) $(QUIET)

## The gettext template (<doc>.pot, next to each PO file) of every document: msgmerge, msginit, Weblate.
pot: $(BIN)/.installed
	$(BIN)/bilingual extract --config $(CONFIG) $(QUIET)

## QA gate over every PO file listed in $(CONFIG): non-zero exit on errors.
check: $(BIN)/.installed
	$(BIN)/bilingual check --config $(CONFIG) $(QUIET)

## Translate Toolkit's pofilter over the reviewed entries of $(PO) (default: every PO file under
## translations/); prints the entries that fail a check, non-zero exit when one does.
## The checks excluded misfire on every zh→en sentence (README "pofilter for zh→en" says why);
## `bilingual check` covers what they were meant to find, with Chinese in mind.
## translations/pofilter-words.txt: capitals Chinese writes as words, not acronyms (掌上APP → mobile app),
## one a line: the acronyms check lets them be translated.
PO ?= $(wildcard translations/*/*.en.po)
POFILTER_WORDS ?= translations/pofilter-words.txt
POFILTER_OPTS = --language=en --nofuzzy --progress=none \
  --excludefilter=untranslated \
  --excludefilter=simplecaps --excludefilter=startcaps \
  --excludefilter=startpunc --excludefilter=endpunc --excludefilter=puncspacing \
  --excludefilter=brackets --excludefilter=doublequoting --excludefilter=singlequoting \
  --excludefilter=sentencecount --excludefilter=numbers --excludefilter=printf \
  --musttranslatefile=$(POFILTER_WORDS)

pofilter: $(BIN)/.installed-test
	@status=0; for po in $(PO); do \
	  out=$$($(BIN)/pofilter $(POFILTER_OPTS) -i "$$po") || exit 2; \
	  if printf '%s\n' "$$out" | grep -q '^# (pofilter)'; then printf '%s:\n%s\n\n' "$$po" "$$out"; status=1; fi; \
	done; exit $$status

## The wheel (dist/bilingual-*.whl), with the termbase of glossary/ inside: pipx install dist/bilingual-*.whl
wheel: $(BIN)/.installed
	$(BIN)/python -m pip wheel . --no-deps --disable-pip-version-check -q -w dist

lint: $(BIN)/.installed-test
	$(BIN)/ruff check bilingual tests bench

test: $(BIN)/.installed-test lint
	$(BIN)/python -m pytest -q

## Benchmark (not part of make test): writes bench/results.json (single document, 10×, limits)
## and bench/lt_results.json (20 documents: in-process vs LibreTranslate on loopback, --jobs).
bench: $(BIN)/.installed-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/lt_bench.py > bench/lt_results.json

## Mutation testing (not part of make test; ~1-2 hours for every module on two cores): mutmut changes
## the modules that carry the README's promises one small change at a time and runs their tests;
## writes tests/mutation/REPORT.md. One module: make mutation MODULE=bilingual/fileio.py
MODULE ?=
mutation: $(BIN)/.installed-mutation
	$(BIN)/python tests/mutation/run.py $(MODULE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/.model-cache bench/.work build dist mutants

# Puente: `make demo` serves the demo portal; `make test` runs every test. Both are safe to run again.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo install install-test test lint format bench messages clean

demo: $(VENV)/.installed  ## install, migrate, load the demo data and serve on http://127.0.0.1:8000
	$(BIN)/puente migrate
	$(BIN)/puente seed
	$(BIN)/puente serve --host $(HOST) --port $(PORT)

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Needs root for apt-get (Chromium for the browser tests) and to start the local PostgreSQL if it is stopped.
test: $(VENV)/.installed-test
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-axe.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: $(VENV)/.installed-test  ## print the benchmark figures (several minutes)
	$(BIN)/python -m bench.hs_picker
	$(BIN)/python -m bench.search_engine --n 20000
	$(BIN)/python -m bench.search --n 20000

messages: $(VENV)/.installed-test  ## re-extract translatable messages and update the es/pt/fr catalogs
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k NP_:1c,2 -k _ -k _n -o marketplace/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) data dist build .pytest_cache .ruff_cache

# jwmetrics: two commands on a fresh machine.
#   make run    set up a virtual environment, create and seed the SQLite database, start the app
#   make test   set up everything the tests need (Python packages, Chromium, axe-core, a
#               throwaway PostgreSQL 15) and run ruff and the whole pytest suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint install install-dev bench clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

run: install
	$(PY) -m jwmetrics init
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: install-dev
	bash scripts/install_system_deps.sh
	bash scripts/run_tests.sh $(PY)

bench: install-dev
	$(PY) bench/import_bench.py
	$(PY) bench/scale_bench.py --reuse

clean:
	rm -rf $(VENV) node_modules test-artifacts data/jwmetrics.sqlite*

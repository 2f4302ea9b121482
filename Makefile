# jwmetrics: two commands on a fresh machine.
#   make run    set up a virtual environment, create and seed the SQLite database, start the app
#   make test   set up everything the tests need (Python packages, Chromium, axe-core, a
#               throwaway PostgreSQL 15) and run ruff, mypy and the whole pytest suite
#   (make lint and make test-fast are the quick checks while working; see CONTRIBUTING.md)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast lint install install-dev lock bench clean

# The lock files pin every package, with hashes, resolved from requirements*.txt against
# PyPI (see "Development" in README.md to regenerate them).
$(VENV)/.runtime: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# PIP_CONFIG_FILE=/dev/null: resolve against pip's default index (PyPI) only, not any
# local wheel folder this machine's pip configuration may add.
LOCK := $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url

lock: install-dev
	$(PY) -m pip install --quiet pip-tools
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(LOCK) -o requirements.lock requirements.txt
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(LOCK) -o requirements-dev.lock requirements-dev.txt

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

run: install
	$(PY) -m jwmetrics init
	$(PY) -m streamlit run dashboard/server.py --server.port $(PORT) --browser.gatherUsageStats false

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: install-dev
	bash scripts/install_system_deps.sh
	bash scripts/run_tests.sh $(PY)

# The fast lane: the library's tests on SQLite, without the AppTests and the browser (5 to 10
# minutes on 2 cores); `make test` runs everything.
test-fast: install-dev
	$(PY) -m pytest -q -m "not app and not browser"

bench: install-dev
	$(PY) bench/import_bench.py
	$(PY) bench/scale_bench.py --reuse

clean:
	rm -rf $(VENV) node_modules test-artifacts data/jwmetrics.sqlite*

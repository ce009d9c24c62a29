# make site: set up (runtime dependencies only) and build the example register into site/.
# make test: set up with the test tools (the dev extras), lint, test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: help install site test lint pytest nightly bench clean
help:
	@echo "make site   build the example register/ into site/ (installs the runtime only)"
	@echo "make test   install the test tools, lint (ruff, mypy) and run every test"
	@echo "make lint   ruff and mypy only"
	@echo "make nightly  the long stateful model and fuzzers (DIPCTL_LONG_TESTS=1)"
	@echo "make bench  issue 21's targets at 1,000-50,000 items beside Hugo: docs/benchmarks.md"
	@echo "make clean  remove the venv, caches and site/"

$(RUNTIME): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $(RUNTIME)

$(DEV): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[dev]'
	touch $(DEV) $(RUNTIME)

install: $(DEV)

site: $(RUNTIME)
	$(BIN)/dipctl build --register register --out site

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: $(DEV)
	$(BIN)/python -m pytest -n auto --durations=15

test: lint pytest

# the default suite runs short versions of these; the long ones take about 10 minutes
nightly: $(DEV)
	DIPCTL_LONG_TESTS=1 $(BIN)/python -m pytest -n auto tests/test_stateful.py tests/test_fuzz.py

bench: $(DEV)
	command -v hugo >/dev/null || if [ "$$(id -u)" = 0 ]; then apt-get install -y hugo; \
		else sudo apt-get install -y hugo; fi
	$(BIN)/python tests/bench.py

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Siaga: the two commands of the README are `make demo` and `make test`; both set up .venv if needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench lock audit clean

setup: $(STAMP)

# Exactly the versions and files of requirements.lock (hashes checked), then Siaga itself without resolving again.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing dependencies in pyproject.toml (or to take newer releases): write requirements.lock again, then
# review its diff, run `make test` and commit both files (docs/configuration.md "Dependencies").
lock: setup
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --no-emit-trusted-host --output-file requirements.lock $(LOCK_FLAGS) pyproject.toml

# Known vulnerabilities of the locked packages (PyPI's advisory data; needs the network). --strict: a package that
# could not be checked fails the audit instead of passing unseen.
audit: setup
	$(BIN)/pip-audit --strict --require-hashes --disable-pip -r requirements.lock

demo: setup
	$(BIN)/siaga demo

test: setup
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/import_bench.py
	$(BIN)/python benchmarks/plan_bench.py
	$(BIN)/python benchmarks/map_bench.py
	$(BIN)/python benchmarks/ops_load_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache

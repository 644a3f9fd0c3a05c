# Claims Portal — developer commands. `make run` and `make test` are the README quick start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SQLITE_DB ?= var/claimsportal.sqlite3
PG_URL ?= postgres://postgres@127.0.0.1:5432/claimsportal_test_base
NPM ?= npm
HOST ?= 127.0.0.1
PORT ?= 8000
PIP_FLAGS := --quiet --disable-pip-version-check --no-cache-dir --no-input
NODE_STAMP := node_modules/.installed-stamp
# GOV.UK Frontend vendored into the web app's static files (generated, gitignored; scripts/build_assets.py).
ASSETS := src/claimsportal/web/static/govuk/govuk-frontend.min.css
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run run-prod test test-browser test-postgres lint bench docs lock install assets clean

## The locked environment, exactly: a new venv, the interpreter's own pip, every distribution from
## requirements.lock by hash with --no-deps (pip resolves nothing, so a new upstream release cannot
## change or break the install), no cache; then the project itself without build isolation (its build
## backend, setuptools, is locked too), and proof that the venv is the lock and the lock is complete.
## See docs/decisions.md, "An exact install".
$(STAMP): pyproject.toml requirements.lock scripts/check_lock.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
	  { echo "Claims Portal needs Python 3.12+ (pyenv: 'pyenv install 3.12.1'; .python-version selects it)." >&2; exit 1; }
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	$(BIN)/python scripts/check_lock.py
	$(BIN)/python -m pip check
	@touch $(STAMP)

install: $(STAMP) $(ASSETS)

## Front-end packages (package-lock.json): GOV.UK Frontend, and axe-core for the browser tests.
$(NODE_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null || \
	  { echo "Claims Portal needs Node.js and npm to build its GOV.UK Frontend assets (Debian: 'apt-get install nodejs npm')." >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS): $(NODE_STAMP) scripts/build_assets.py
	$(PYTHON) scripts/build_assets.py

assets: $(ASSETS)

## Run the product: web UI + A2A API on http://$(HOST):$(PORT) and the timer worker, on SQLite with demo data.
run: $(STAMP) $(ASSETS)
	@mkdir -p var
	$(BIN)/claimsportal migrate --no-input -v 0
	$(BIN)/claimsportal seed-demo --quiet
	$(BIN)/claimsportal run-dev --host $(HOST) --port $(PORT)

## The production topology on one machine: PgBouncer (transaction pooling), 2 app servers (granian, ports
## $(PORT) and the next), 2 timer workers, on PostgreSQL (DATABASE_URL). See docs/deployment.md.
run-prod: $(STAMP) $(ASSETS)
	@test -n "$$DATABASE_URL" || { echo "make run-prod needs DATABASE_URL=postgres://... (see docs/deployment.md)" >&2; exit 1; }
	$(BIN)/claimsportal migrate --no-input -v 0
	$(BIN)/claimsportal run-prod --host $(HOST) --port $(PORT)

## The whole test suite on SQLite (browser tests included: they need /usr/bin/chromium, see README).
test: $(STAMP) $(ASSETS)
	$(BIN)/pytest -n 2 --dist loadgroup

## Only the browser tests (Playwright + the system Chromium, axe-core); screenshots in var/test-artefacts/.
test-browser: $(STAMP) $(ASSETS)
	$(BIN)/pytest -m browser tests/browser

## The same suite on PostgreSQL (DATABASE_URL; pytest-django creates test_<name> databases).
test-postgres: $(STAMP) $(ASSETS)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

## Benchmarks: figures printed, never asserted. Needs PostgreSQL and pgbench.
bench: $(STAMP)
	$(BIN)/python -m bench

## Regenerate docs/phases-*.md from the protocol tables.
docs: $(STAMP)
	$(BIN)/claimsportal generate-docs

## Re-resolve requirements.lock from pyproject.toml (needs the registry).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml requirements-build.in --extra dev --generate-hashes --python-version 3.12 -q -o requirements.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .hypothesis node_modules src/claimsportal/web/static/govuk

# KOMDIR-portalen: `make run` serves the portal, `make test` runs every test.
# Both set everything up on a fresh machine (Python >= 3.12, Node >= 20, make).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# The first Python >= 3.12 on PATH (pyenv honours .python-version).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c "import sys; sys.exit(sys.version_info < (3, 12))" 2>/dev/null && { echo $$p; break; }; done)

.PHONY: help setup run test test-fast lint format migrate seed clean screenshots bench multiserver mutation

help:
	@echo "make run    - set up, migrate, load demo data and serve http://127.0.0.1:8000/"
	@echo "make test   - set up and run the whole test suite (SQLite, or DATABASE_URL)"
	@echo "make lint   - ruff check and format check"
	@echo "make mutation - mutation test (mutmut) of the permission rules and visibility querysets"
	@echo "make screenshots - save README screenshots under docs/screenshots/ (needs chromium)"
	@echo "make bench  - load-test the portal under gunicorn on PostgreSQL with the large data set"
	@echo "make multiserver - two gunicorn instances on one PostgreSQL and Redis share sessions and limits"

$(STAMP): requirements.lock
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is required (none found on PATH)." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm (Node >= 20) is required for the design system." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(STAMP) $(NODE_STAMP)

migrate: setup
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo

run: seed
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@if [ -z "$$CI" ] && ! command -v chromium >/dev/null 2>&1 && [ -z "$$KOMDIR_CHROMIUM" ]; then \
		echo "NOTICE: chromium is not installed, so the real-browser tests in tests/browser are NOT run here."; \
		echo "        Install it with 'apt-get install chromium' (CI always installs it and runs them)."; \
		DJANGO_DEBUG=1 $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); \
	else \
		DJANGO_DEBUG=1 $(PY) -m pytest $(PYTEST_ARGS); \
	fi

# Mutates the functions listed in [tool.mutmut] in pyproject.toml (who may see and do what) and
# runs the tests listed there against each mutant, in a copy under mutants/. SQLite, like `test`.
mutation: $(STAMP)
	env -u DATABASE_URL -u REDIS_URL DJANGO_DEBUG=1 $(PY) -m tests.mutation.run

# The load tool, locust, lives in a virtualenv of its own: none of its packages reach the portal's.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): requirements-bench.lock
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	@touch $@

# Needs PostgreSQL on 127.0.0.1:5432 (KOMDIR_BENCH_PG) and Redis on 127.0.0.1:6379 (KOMDIR_BENCH_REDIS).
bench: setup $(NODE_STAMP) $(BENCH_STAMP)
	$(PY) bench/run.py

multiserver: setup $(NODE_STAMP)
	$(PY) bench/multiserver.py

# Starts the portal itself (live_server, fresh SQLite test database, seed_demo) and saves the
# README's screenshots at desktop and phone width.
screenshots: setup
	@command -v chromium >/dev/null 2>&1 || [ -n "$$KOMDIR_CHROMIUM" ] || { \
		echo "chromium is required for screenshots: apt-get install chromium" >&2; exit 1; }
	env -u DATABASE_URL DJANGO_DEBUG=1 $(PY) -m pytest -q tests/browser/screenshots.py
	@echo "Screenshots saved under docs/screenshots/."

clean:
	rm -rf $(VENV) $(BENCH_VENV) node_modules staticfiles db.sqlite3

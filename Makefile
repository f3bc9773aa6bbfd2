# Tsunagu — the few commands that matter. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run run-line test check install install-dev system-packages lint format messages load-data lock

help:
	@echo "make run    - set up everything and serve the demo site on http://$(HOST):$(PORT)"
	@echo "make run-line - the demo with the LINE account on, against a local fake of LINE's Messaging API"
	@echo "make test   - install what the tests need and run the whole suite (about 11 minutes)"
	@echo "make check  - the inner loop: every test but the browser, worker, Redis, PostgreSQL and process ones, on SQLite"
	@echo "make lint   - ruff check, format check and the import contracts (lint-imports)"
	@echo "make messages - refresh and compile the translation catalogues"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A stamp per lock file: installing again only when the lock changed keeps a second run fast.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The demo with the LINE channel on: the site talks to the local fake (manage.py run_fake_line), never to
# LINE; the fake prints what LINE would deliver. Weekly picks: `manage.py shell -c` with
# coordination.line.tasks.weekly_picks() (README, "LINE official account").
LINE_DEMO := LINE_CHANNEL_SECRET=demo-line-secret LINE_CHANNEL_ACCESS_TOKEN=demo-line-token LINE_API_BASE=http://127.0.0.1:8091
run-line: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py run_fake_line --port 8091 & trap "kill $$!" EXIT; \
	$(LINE_DEMO) $(BIN)/python manage.py runserver $(HOST):$(PORT)

load-data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_areas

system-packages:
	@scripts/system-packages

# The whole suite on PostgreSQL (production's database, a throwaway cluster), then a smoke run of
# the embedded SQLite default that `make run` uses.
# pytest-xdist spreads the suite over the machine's cores (one test database per worker); the 20
# slowest tests are printed at the end of every run.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Compiled modules (and pytest's rewritten test modules) are kept in __pycache__ between runs, as
# Python does by default: an environment that sets PYTHONDONTWRITEBYTECODE made every test process
# compile the project and its tests again, about 3 s each (docs/decisions.md, "A fast suite").
test check: export PYTHONDONTWRITEBYTECODE :=
test: install-dev system-packages
	$(BIN)/lint-imports
	$(BIN)/python scripts/test-postgres -n $(JOBS) --durations=20 -p no:cacheprovider
	PYTHON=$(BIN)/python scripts/smoke-sqlite

# The inner loop: the same tests but those that start a browser, a worker, redis-server, a
# PostgreSQL cluster or another Django process (marker "process"), on the embedded SQLite default. Arguments: make check ARGS="areas -x".
check: install-dev
	$(BIN)/python -m pytest -n $(JOBS) -q -p no:cacheprovider -m "not browser and not redis and not postgres and not process" --durations=10 $(ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev
	$(BIN)/python manage.py makemessages --locale ja --locale en --ignore '.venv/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

# Pinned, host-free locks (no index URLs are written): commit both files.
lock: install-dev
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --no-header --quiet -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header --quiet -o requirements/dev.txt

# Tsunagu — the few commands that matter. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test install install-dev system-packages lint format messages load-data lock

help:
	@echo "make run    - set up everything and serve the demo site on http://$(HOST):$(PORT)"
	@echo "make test   - install what the tests need and run the whole suite"
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

load-data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_areas

system-packages:
	@scripts/system-packages

# The whole suite on PostgreSQL (production's database, a throwaway cluster), then a smoke run of
# the embedded SQLite default that `make run` uses.
test: install-dev system-packages
	$(BIN)/lint-imports
	$(BIN)/python scripts/test-postgres
	PYTHON=$(BIN)/python scripts/smoke-sqlite

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

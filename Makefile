# zhifa — two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export ZHIFA_DATA_DIR ?= var

.PHONY: install run test test-sqlite test-postgres lint system-packages bench demo-province lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

## install: the shared first step — .venv from the lock file, plus the `zhifa` command
install: $(VENV)/.installed

## run: migrate, load the demo city (idempotent), serve on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/zhifa migrate --noinput
	$(BIN)/zhifa demo
	$(BIN)/zhifa runserver 127.0.0.1:$(PORT)

## test: lint, then the whole suite on SQLite, then on a real PostgreSQL started for the run
test: install system-packages lint test-sqlite test-postgres

system-packages:
	@scripts/system-packages.sh

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy zhifa config

test-sqlite: install
	@echo "== tests on SQLite =="
	$(BIN)/pytest

test-postgres: install
	@echo "== tests on PostgreSQL =="
	scripts/with-postgres.sh $(BIN)/pytest

## bench: generate a province and time the registry (prints its figures)
bench: install
	$(BIN)/python bench/registry_bench.py

## lock: re-resolve requirements.in into the hashed lock file
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras -o requirements.lock requirements.in

# zhifa — two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export ZHIFA_DATA_DIR ?= var

.PHONY: install run dev test test-sqlite test-postgres lint system-packages bench bench-supervision demo-province lock

$(BIN)/python:
	@PYTHON=$(PYTHON) scripts/system-packages.sh venv
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

## install: the shared first step — .venv from the lock file, plus the `zhifa` command
install: $(VENV)/.installed

DEMO_NOTE := 演示账号见 docs/demo.md，例如 admin / zhifa-admin（系统管理员）、officer / zhifa-officer（执法人员）、supervisor / zhifa-supervisor（执法监督人员）

## run: the production server (gunicorn + WhiteNoise, DEBUG off) on http://127.0.0.1:$(PORT),
## after migrating and loading the demo city (idempotent)
run: install
	@scripts/system-packages.sh run
	$(BIN)/zhifa migrate --noinput
	$(BIN)/zhifa demo
	$(BIN)/zhifa serve --bind 127.0.0.1:$(PORT) --banner "$(DEMO_NOTE)"

## dev: Django's development server (DEBUG on, reloads on change), same data folder
dev: install
	@scripts/system-packages.sh run
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/zhifa migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/zhifa demo
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/zhifa runserver 127.0.0.1:$(PORT)

## test: lint, then the whole suite on SQLite and on a real PostgreSQL started for the run —
## the two passes side by side (each prints its output when it ends)
test: install system-packages lint
	@echo "== tests on SQLite and on PostgreSQL, side by side =="
	@$(MAKE) --no-print-directory --output-sync=target -j2 test-sqlite test-postgres SHARE=1

system-packages:
	@scripts/system-packages.sh test

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy zhifa config

# Each pass in a throw-away data folder of its own (config/settings/test.py), not $(ZHIFA_DATA_DIR).
# With SHARE=1 (make test) the access matrix and the API fuzz are shared between the two passes.
test-sqlite: install
	@echo "== tests on SQLite =="
	ZHIFA_DATA_DIR= ZHIFA_TEST_SHARE=$(if $(SHARE),sqlite,) $(BIN)/pytest

test-postgres: install
	@echo "== tests on PostgreSQL =="
	ZHIFA_DATA_DIR= ZHIFA_TEST_SHARE=$(if $(SHARE),postgresql,) scripts/with-postgres.sh $(BIN)/pytest

## bench: generate a province and time the registry (prints its figures)
bench: install
	$(BIN)/python bench/registry_bench.py

## bench-supervision: a province year of cases; the warning run and the supervisor's dashboard,
## on SQLite then on a throw-away PostgreSQL (prints its figures; bench/README.md)
bench-supervision: install
	$(BIN)/python bench/supervision_bench.py $(BENCH_ARGS)
	ZHIFA_DATA_DIR= scripts/with-postgres.sh $(BIN)/python bench/supervision_bench.py \
		--data-dir /tmp/zhifa-bench-supervision-pg $(BENCH_ARGS)

## lock: re-resolve requirements.in into the hashed lock file
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras -o requirements.lock requirements.in

# The two commands a newcomer needs:  make run   and   make test
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

-include .env
export

.PHONY: run test venv venv-dev system-deps system-deps-test node-deps lint check worker bench smoke clean

run: venv system-deps  ## Set up everything and serve the app with demo data on http://127.0.0.1:8000/
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST)

test: venv-dev system-deps-test node-deps  ## Lint, check migrations and run the whole test suite
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt

venv-dev: $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt

system-deps:
	scripts/system-deps.sh run

system-deps-test:
	scripts/system-deps.sh test

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

node-deps: node_modules/axe-core/axe.min.js

lint: venv-dev
	$(PY) -m ruff check .

worker: venv  ## A Celery worker (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A socialaftale worker --beat -l info --concurrency 2

bench: venv-dev  ## Performance figures (not part of the test suite)
	scripts/system-deps.sh bench
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

smoke: venv  ## The production stack (nginx, gunicorn, worker) checked from outside; needs PostgreSQL + Redis
	scripts/system-deps.sh smoke
	$(PY) scripts/smoke_production.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache

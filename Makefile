# The two commands: `make run` (embedded defaults, demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite's PostgreSQL and Redis; pytest-django creates and drops its own test database.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/officebooking
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
CHROMIUM ?= /usr/bin/chromium
# `make run SEED_FLAGS=--force` seeds a database that holds organisations of its own too.
SEED_FLAGS ?=

.PHONY: install run test lint format test-services chromium test-postgres test-sqlite clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo $(SEED_FLAGS)
	@echo "Serving on http://$(HOST):$(PORT)/ (periodic jobs run beside it; Ctrl-C stops both)"
	@$(PY) manage.py run_periodic_jobs & jobs=$$!; \
	trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test-services: install
	@$(PY) tests/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"

chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@ldconfig -p | grep -q libzbar || { \
		echo "Installing Debian's libzbar0 for the QR code tests (pyzbar)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzbar0 >/dev/null; }

test-postgres: install test-services chromium
	$(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" CHROMIUM="$(CHROMIUM)" \
		$(PY) -m pytest --create-db -q

# The embedded default must keep working: migrate, seed_demo, a booking, the main pages.
test-sqlite: install
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest --create-db -q -m smoke

test: lint test-postgres test-sqlite

clean:
	rm -rf $(VENV) staticfiles

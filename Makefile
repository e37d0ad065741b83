# Everything a newcomer needs: `make run` serves the site, `make test` runs the suite.
# manage.py runs with the local settings (config.settings.local) unless DJANGO_SETTINGS_MODULE
# says otherwise; the suite with config.settings.test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What running the site needs, and the test tools on top (pytest, Playwright, ruff, ...).
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
SOURCE_PAGE := tests/fixtures/memoirs_of_a_revolutionary.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-run run test test-browser ci lint format migrate reset clean screenshots

# A developer's set-up: the site and the test tools.
install: $(TEST_STAMP)

install-run: $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV): this Python lacks venv (on Debian or Ubuntu: apt-get install python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

migrate: install-run
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py import_goodreads_page $(SOURCE_PAGE)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Start again with empty data: the next `make run` migrates a new SQLite file. A database
# named by DATABASE_URL is left alone.
reset:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm db.sqlite3-journal

# With COVERAGE=1 the run records coverage data as well (.ci/run does so); see pyproject.toml.
# The tests spread over every core, a test file per worker at a time (files share their
# module-scoped fixtures, such as the imported real export).
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m $(if $(COVERAGE),coverage run -m pytest,pytest) -n $(PYTEST_WORKERS) --dist loadfile

# Everything but the browser journeys: the quick check to run after each change.
test: install
	$(PYTEST) --ignore=tests/browser

# The reader journeys in Chromium (Debian's chromium package, /usr/bin/chromium).
test-browser: install
	$(PYTEST) tests/browser

# All that guards main, as CI runs it: both test runs, PostgreSQL, coverage, the API's schema,
# migrations, import contracts, deployment checks and the linter.
ci:
	bash .ci/run

# PNGs of the main pages at 390 and 1280 px into screenshots/, from a throw-away in-memory
# database (DATABASE_URL is left out, so the database you work with is never touched).
screenshots: install
	env -u DATABASE_URL $(BIN)/python manage.py screenshots --output screenshots

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

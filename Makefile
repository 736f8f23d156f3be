# Rounds: `make run` serves the app on the embedded default; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# 127.0.0.1: this machine only. HOST=0.0.0.0: every interface, so tablets on the ward network
# can reach a pilot (README "A pilot on the ward network" says what that exposes).
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= backend.settings.dev
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0

.PHONY: run dev test install install-test lint typecheck test-sqlite test-postgres test-fuzz test-browser bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -r <($(PY) tools/deps.py)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -c constraints.txt -r <($(PY) tools/deps.py test)
	touch $@

# Test-only npm packages (the outside PHI corpus's @faker-js/faker), pinned in their lock file.
PHI_JS := tests/feedback/js
$(PHI_JS)/node_modules/.installed: $(PHI_JS)/package.json $(PHI_JS)/package-lock.json
	npm ci --prefix $(PHI_JS) --silent --no-audit --no-fund
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(PHI_JS)/node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput
	PORT=$(PORT) $(PY) manage.py load_demo --if-empty
	@$(PY) tools/lan.py --host $(HOST) --port $(PORT)
	$(PY) manage.py rounds_worker --verbosity 0 & worker=$$!; trap 'kill $$worker' EXIT; \
	export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$$($(PY) tools/lan.py --host $(HOST) --allowed-hosts)}"; \
	export PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-$$($(PY) tools/lan.py --host $(HOST) --port $(PORT) --base-url)}"; \
	$(PY) -m backend.server -b $(HOST) -p $(PORT) backend.asgi:application

# Working on Rounds itself: Django's debug pages and code autoreload (never for users).
dev: install
	$(PY) manage.py migrate --noinput
	PORT=$(PORT) $(PY) manage.py load_demo --if-empty
	ROUNDS_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-test
	$(VENV)/bin/mypy feedback api backend pwa

# Leg 1: SQLite + in-process channel layer (+ the browser tests when Chromium is there).
test-sqlite: install-test
	env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=backend.settings.test \
		$(PY) -m pytest -m "not redis" -p no:cacheprovider

# Leg 2: the suite again on PostgreSQL + Redis (skipped with a message when unreachable, outside CI).
test-postgres: install-test
	@if $(PY) tools/reachable.py $(PG_URL) $(REDIS_TEST_URL); then \
		DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) DJANGO_SETTINGS_MODULE=backend.settings.test \
		$(PY) -m pytest -m "not browser and not fuzz" -p no:cacheprovider; \
	elif [ "$$CI" = "true" ]; then echo "CI: PostgreSQL or Redis unreachable: failing"; exit 1; \
	else echo "SKIPPED the PostgreSQL + Redis leg: start PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379"; fi

# The API fuzzed from its OpenAPI schema for longer than the SQLite leg's short seeded run.
test-fuzz: install-test
	env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=backend.settings.test \
		ROUNDS_FUZZ_EXAMPLES=$${ROUNDS_FUZZ_EXAMPLES:-20} $(PY) -m pytest tests/fuzz -p no:cacheprovider

test: lint typecheck test-sqlite test-postgres

bench: install-test
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

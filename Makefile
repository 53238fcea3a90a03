# The README's two commands: `make run` and `make test`. Both do the whole set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# PostgreSQL used by the test suite's second pass (trust auth on loopback in CI and on dev machines).
PG_URL ?= postgres://postgres@127.0.0.1:5432/civicspace
CIVICSPACE := $(BIN)/civicspace
# Root runs apt-get directly; others through sudo when it is there.
APT := $(if $(filter 0,$(shell id -u)),apt-get,sudo apt-get)

.PHONY: test-durations stack stack-stop stack-deps bench-stack run test setup install data messages fonts static browser-deps axe pagefind test-sqlite test-postgres map clean lock bench bench-deps

run: setup
	@echo "Serving the Civic Space Monitor on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/gunicorn civicspace.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - --forwarded-allow-ips=127.0.0.1

# The suite on both cores: the SQLite and PostgreSQL passes run side by side, each with TEST_WORKERS pytest-xdist
# workers (a test database each, loaded once per worker: tests/conftest.py). Each pass's output is printed
# when that pass ends. `make test-sqlite` or `make test-postgres` runs one pass. Tests marked "once" run in the
# PostgreSQL pass; when there is no PostgreSQL pass (no server reachable), the SQLite pass runs them.
TEST_WORKERS ?= 2
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
PG_REACHABLE = $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null

test: setup browser-deps stack-deps
	@echo "=== SQLite and PostgreSQL passes side by side, $(TEST_WORKERS) workers each (output when each pass ends) ==="
	@if $(PG_REACHABLE); then pg=1; else pg=; fi; \
	  $(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres WITH_PG_PASS=$$pg

setup: install messages fonts data static pagefind

# DejaVu Sans draws the social-card images in Latin, Cyrillic and Arabic (without it Pillow's own font draws
# Latin only, and the cards say so by looking plain). Debian's fonts-dejavu-core, installed when missing.
fonts:
	@test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { echo "Installing fonts-dejavu-core with apt-get"; \
	  ($(APT) update -qq && $(APT) install -y -qq fonts-dejavu-core >/dev/null) || echo "fonts-dejavu-core could not be installed: social cards fall back to Latin-only text"; }

install: $(VENV)/.installed

$(VENV)/.installed: requirements/lock.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	@# Debian splits venv/ensurepip into python3.11-venv; install it when the first attempt fails.
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(APT) update -qq && $(APT) install -y -qq python3.11-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Translations are compiled from the committed .po files (GNU gettext's msgfmt, a Debian package).
messages: install
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt) with apt-get"; $(APT) update -qq && $(APT) install -y -qq gettext >/dev/null; }
	cd civicspace && ../$(CIVICSPACE) compilemessages --ignore=.venv -v 0

data: install
	$(CIVICSPACE) migrate --noinput -v 0
	$(CIVICSPACE) load_reference_data
	$(CIVICSPACE) load_demo_content
	$(CIVICSPACE) search_reindex
	$(CIVICSPACE) compute_scores

static: install
	$(CIVICSPACE) collectstatic --noinput -v 0

# Debian's Chromium for the browser suite and the PDF reports (never a downloaded browser), poppler-utils to
# check the PDFs, DejaVu fonts for Arabic. Required under CI=true.
browser-deps: axe
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "Installing Debian's chromium, poppler-utils and fonts-dejavu-core"; \
	  ($(APT) update -qq && $(APT) install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null) || \
	  { if [ "$$CI" = "true" ]; then echo "CI: chromium is required"; exit 1; else echo "chromium could not be installed: browser tests will be SKIPPED"; fi; }; \
	fi

# axe-core (npm registry, pinned in tests/browser/axe/package-lock.json) for the accessibility tests; Debian's
# nodejs and npm when missing. Required under CI=true.
axe: tests/browser/axe/node_modules/.installed
tests/browser/axe/node_modules/.installed: tests/browser/axe/package-lock.json
	@command -v npm >/dev/null || { echo "Installing Debian's nodejs and npm with apt-get"; $(APT) update -qq && $(APT) install -y -qq nodejs npm >/dev/null; }
	cd tests/browser/axe && npm ci --no-audit --no-fund --silent || { if [ "$$CI" = "true" ]; then echo "CI: axe-core is required"; exit 1; else echo "axe-core could not be installed: accessibility tests will be SKIPPED"; fi; }
	@test ! -d tests/browser/axe/node_modules || touch $@

# Pagefind (npm registry, pinned in civicspace/mirror/pagefind/package-lock.json; its binary comes in the
# @pagefind/linux-x64 package) indexes a mirror for offline search; without it `civicspace mirror build` writes
# only the small word index. Debian's nodejs and npm when missing. Required under CI=true.
pagefind: civicspace/mirror/pagefind/node_modules/.installed
civicspace/mirror/pagefind/node_modules/.installed: civicspace/mirror/pagefind/package-lock.json
	@command -v npm >/dev/null || { echo "Installing Debian's nodejs and npm with apt-get"; $(APT) update -qq && $(APT) install -y -qq nodejs npm >/dev/null; }
	cd civicspace/mirror/pagefind && npm ci --no-audit --no-fund --silent || { if [ "$$CI" = "true" ]; then echo "CI: pagefind is required"; exit 1; else echo "pagefind could not be installed: mirrors get the small word index only"; fi; }
	@test ! -d civicspace/mirror/pagefind/node_modules || touch $@

test-sqlite: install
	@echo "=== Test suite on SQLite (unit, integration, browser) ==="
	CIVICSPACE_PG_PASS=$(WITH_PG_PASS) $(BIN)/pytest $(PYTEST_PARALLEL)

# After a whole `make test`: each test file's measured seconds per pass into tests/file_durations.json, which
# orders the files longest first in the next runs (commit it when files were added or got slower).
test-durations:
	$(BIN)/python -c "import json,os; d={e: json.load(open(f'var/test-durations-{e}.json')) for e in ('sqlite','postgresql') if os.path.exists(f'var/test-durations-{e}.json')}; json.dump(d, open('tests/file_durations.json','w'), indent=1, sort_keys=True); print({e: round(sum(v.values())) for e, v in d.items()}, 'seconds per pass')"

test-postgres: install
	@if $(PG_REACHABLE); then \
	  echo "=== Test suite on PostgreSQL ($(PG_URL)) ==="; \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_PARALLEL); \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI: PostgreSQL is required at $(PG_URL) but is not reachable"; exit 1; \
	else \
	  echo "*** PostgreSQL suite SKIPPED: no server at $(PG_URL) (set PG_URL to point at one) ***"; \
	fi

# Regenerate the map geometry from the pinned npm packages (needs Node.js; output is committed).
map:
	cd mapbuild && npm ci --no-audit --no-fund && node build-map.mjs

# Re-lock Python dependencies after editing pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --strip-extras -o requirements/lock.txt pyproject.toml

clean:
	rm -rf $(VENV) var build *.egg-info

# Benchmarks (README "Benchmarks"): synthetic data at ten times today's real volume in var/bench/bench.sqlite3
# and the PostgreSQL database civicspace_bench (generated once per seed and scale, never the demo database),
# then every ratio into bench/results/latest.md and latest.json. BENCH_SCALE=0.01 for a quick run;
# BENCH_LABEL=before keeps a run as the "before" column of the report. The alerts fan-out runs with
# BENCH_ALERTS_SUBSCRIBERS (default 100000) subscribers, sending capped at BENCH_ALERTS_SEND_LIMIT (20000).
BENCH_SCALE ?= 1
BENCH_LABEL ?= latest
BENCH_DURATION ?= 10
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/civicspace_bench
BENCH_VENV := var/bench/venv

bench: setup bench-deps
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(BENCH_PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "=== Benchmark data on SQLite and PostgreSQL (skipped when already generated) ==="; \
	  $(BIN)/python -m bench.generate --if-missing --scale $(BENCH_SCALE) --database $(BENCH_PG_URL) & pg=$$!; \
	  $(BIN)/python -m bench.generate --if-missing --scale $(BENCH_SCALE) || { wait $$pg; exit 1; }; \
	  wait $$pg || exit 1; \
	  DATABASE_URL=$(BENCH_PG_URL) $(CIVICSPACE) migrate --noinput -v 0; \
	  pg=""; \
	else \
	  echo "*** PostgreSQL not reachable at $(BENCH_PG_URL): SQLite only ***"; \
	  $(BIN)/python -m bench.generate --if-missing --scale $(BENCH_SCALE) || exit 1; \
	  pg="--skip-postgres"; \
	fi; \
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench/bench.sqlite3 $(CIVICSPACE) migrate --noinput -v 0 && \
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python -m bench.run --label $(BENCH_LABEL) --duration $(BENCH_DURATION) --full-export $$pg
	$(MAKE) bench-stack

# The production stack's section of bench/results/latest.md (its own stack under var/bench/stack, demo data).
bench-stack: install messages stack-deps bench-deps
	$(BIN)/python -m bench.stack --duration $(BENCH_DURATION) --worker-classes sync,gthread

# Debian's nginx and wrk; Datasette in its own venv from hashed pins (never in the project's lock).
bench-deps: $(BENCH_VENV)/.installed
	@command -v nginx >/dev/null && command -v wrk >/dev/null && command -v sqlite3 >/dev/null || { \
	  echo "Installing Debian's nginx, wrk and sqlite3 with apt-get"; \
	  $(APT) update -qq && $(APT) install -y -qq nginx wrk sqlite3 >/dev/null; }

$(BENCH_VENV)/.installed: bench/requirements.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --require-hashes -r bench/requirements.txt
	touch $@

# Production on standard parts (README "Production", docs/deploy.md): nginx with TLS and the front cache, two
# gunicorn app servers, PostgreSQL primary + streaming replica, Redis and the task worker, all state under
# var/stack/ (deploy/stack.py). Ports: STACK_HTTPS_PORT (8443), STACK_HTTP_PORT (8080), STACK_APP_PORT (8101..),
# STACK_PRIMARY_PORT (5441), STACK_REPLICA_PORT (5442), STACK_REDIS_PORT (6391); APP_SERVERS (2).
stack: install messages stack-deps
	$(BIN)/python -m deploy.stack start

stack-stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m deploy.stack stop; fi

# Debian's nginx, redis-server, PostgreSQL 15 server binaries (initdb, pg_basebackup) and openssl.
stack-deps:
	@command -v nginx >/dev/null && command -v redis-server >/dev/null && command -v openssl >/dev/null && \
	  [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -x /usr/lib/postgresql/15/bin/pg_basebackup ] || { \
	  echo "Installing Debian's nginx, redis-server, postgresql-15 and openssl with apt-get"; \
	  $(APT) update -qq && $(APT) install -y -qq nginx redis-server postgresql-15 openssl >/dev/null; }

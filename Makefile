# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
.PHONY: run test venv check-deploy bench bench-quick bench-pg bench-quick-pg bench-pages crash release

VENV := .venv
PY := $(VENV)/bin/python

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-test.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.*
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.txt requirements-test.txt
	touch $@

run: venv
	./scripts/run.sh

test: venv
	./scripts/test.sh

# Production settings must pass Django's deployment checks.
check-deploy: venv
	SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	HARBOUR_AUDIT_KEY=$$($(PY) -c 'import secrets;print(secrets.token_hex(32))') \
	HARBOUR_TRANSFER_KEY=$$($(PY) -c 'import secrets;print(secrets.token_hex(32))') \
	$(PY) manage.py check --deploy --fail-level WARNING

# Benchmarks at trust scale (issue 9, bench/README.md; not part of make test): seeds or reuses
# bench/data/full.sqlite3, loads each page over HTTP with wrk, writes bench/results/<time>.json.
# wrk (Debian) is the load generator; without it bench/run.py falls back to its own Python client.
WRK_INSTALL := command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && S="" || S=sudo; \
	$$S apt-get install -y -qq wrk >/dev/null 2>&1 || echo "wrk not installed: the Python load generator is used"; }

# Lighthouse (bench/lighthouse.py) drives Debian's Chromium and runs on Node; npm installs it from its lock file.
LIGHTHOUSE_INSTALL := { [ -x /usr/bin/chromium ] && command -v npm >/dev/null; } || { [ "$$(id -u)" -eq 0 ] && S="" || S=sudo; \
	$$S apt-get install -y -qq chromium npm >/dev/null 2>&1 || echo "Chromium or npm missing: use --no-lighthouse"; }

bench: venv
	@$(WRK_INSTALL)
	@$(LIGHTHOUSE_INSTALL)
	$(PY) bench/run.py
	$(PY) bench/run.py --database postgresql --no-lighthouse

# The same on the quick data set (5 schools, 5,000 cases), in under 5 minutes.
bench-quick: venv
	@$(WRK_INSTALL)
	@$(LIGHTHOUSE_INSTALL)
	$(PY) bench/run.py --quick

# make bench runs on SQLite and then on PostgreSQL (issue 24.3); these run one. PostgreSQL is the server make test
# installs, started by bench/postgres.py with its data kept in /var/tmp/harbour-bench-pg (HARBOUR_BENCH_PGDATA), fsync
# on; the JSON says which database. Lighthouse runs with SQLite only (what it measures does not depend on the database).
bench-pg: venv
	@$(WRK_INSTALL)
	$(PY) bench/run.py --database postgresql --no-lighthouse

bench-quick-pg: venv
	@$(WRK_INSTALL)
	$(PY) bench/run.py --quick --database postgresql --no-lighthouse

# Page timings through the test client as ratios to the home page (the older, in-process bench).
bench-pages: venv
	$(PY) -m pytest bench/bench_pages.py -p no:warnings -q -s

# Crash durability, full form: 50 kill -9s of the server while concerns are submitted (issue 8; it used to
# run after make bench too, which took a first make bench past its 30 minutes).
crash: venv
	$(PY) -m tests.durability.crash --kills 50

# A release (docs/release.md): refuses unless the tree is clean and pyproject.toml's version is CHANGELOG.md's top
# entry; then tags vX.Y.Z. It never pushes.
release: venv
	$(PY) scripts/release.py

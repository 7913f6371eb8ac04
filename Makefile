# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
.PHONY: run test venv check-deploy bench crash

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
	$(PY) manage.py check --deploy --fail-level WARNING

# Page timings as ratios to the home page, measured in one run (not part of make test).
bench: venv
	$(PY) -m pytest bench/bench_pages.py -p no:warnings -q -s
	$(PY) -m tests.durability.crash --kills 50

# Crash durability, full form: 50 kill -9s of the server while concerns are submitted.
crash: venv
	$(PY) -m tests.durability.crash --kills 50

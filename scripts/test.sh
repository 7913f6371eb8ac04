#!/usr/bin/env bash
# `make test`: install what the tests need if it is missing (Chromium, PostgreSQL, Java and the HTML checker, Caddy),
# start a throwaway PostgreSQL on 127.0.0.1 (stopped on exit, even on failure), and run
# the whole suite against SQLite and then against that PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v java >/dev/null || need+=(default-jre-headless)  # the Nu HTML Checker runs on Java
command -v npm >/dev/null || need+=(npm)
command -v node >/dev/null || need+=(nodejs)  # the tests' OpenID provider (tests/oidc) runs on Node
command -v caddy >/dev/null || need+=(caddy)  # the production smoke test's TLS proxy (tests/production)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} (once per machine)..."
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "Could not install ${need[*]}"; exit 2; }
  # Debian starts the caddy it installs as a service on ports 80 and 443; the tests start their own Caddy.
  if [[ " ${need[*]} " == *" caddy "* ]] && command -v systemctl >/dev/null; then
    $SUDO systemctl disable --now caddy.service >/dev/null 2>&1 || true
  fi
fi
# The Nu HTML Checker (vnu.jar, 33 MB), pinned in tests/vnu/package-lock.json; installed once, offline after.
$PY -c "from tests.html_check import ensure_vnu; ensure_vnu()" || { echo "Could not install the HTML checker"; exit 2; }
# The certified OpenID provider the sign-in tests start on 127.0.0.1 (npm oidc-provider, pinned in tests/oidc).
$PY -c "from tests.oidc_provider import ensure_provider; ensure_provider()" \
  || { echo "Could not install the tests' OpenID provider"; exit 2; }

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDIR=$(mktemp -d /tmp/harbour-pg.XXXXXX)
chmod 755 "$PGDIR"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
PGPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_pg() {
  kill $(jobs -p) 2>/dev/null || true  # a run still going when the script is interrupted
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap stop_pg EXIT INT TERM
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null || { echo "initdb failed"; exit 2; }
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
  || { cat "$PGDIR/log"; echo "PostgreSQL did not start"; exit 2; }

run_suite() {  # $1: label; the rest: environment for that run. Output goes to $PGDIR/<label>.log.
  local label=$1; shift
  env "$@" $PY -m pytest "${PYTEST_ARGS[@]}" > "$PGDIR/$label.log" 2>&1
}
# Static checks (issue 8.8), once: ruff and bandit must report nothing un-waived; each waiver says why.
static_rc=0
if [ $# -eq 0 ]; then
  echo "=== Static checks ==="
  $PY -m ruff check --quiet . || static_rc=1
  # bandit warns on stderr about the words of each waiver's reason; its findings go to stdout.
  $PY -m bandit --quiet -c pyproject.toml -r . 2>/dev/null || static_rc=1
  waivers=$(grep -rn --include=*.py -E "# nosec|# noqa" --exclude-dir=.venv . | wc -l)
  echo "static checks: ruff $([ $static_rc -eq 0 ] && echo clean || echo FINDINGS), bandit un-waived findings $([ $static_rc -eq 0 ] && echo 0 || echo some), inline waivers $waivers (each with its reason; tests/security/test_waivers.py)"
fi
PYTEST_ARGS=("$@")
# The two runs share nothing (SQLite's test database is in memory; files, ports and browsers are each run's
# own), so they run side by side, one per core; each log is shown whole when its run ends. What cannot differ
# between the databases is done once, shared out between the two runs (tests/runs.py).
echo "=== Harbour tests on SQLite and PostgreSQL, side by side ==="
started=$(date +%s)
run_suite sqlite DATABASE_URL= HARBOUR_RUN_SHARE=sqlite & sqlite_pid=$!
run_suite postgresql "DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/harbour" HARBOUR_RUN_SHARE=postgresql & pg_pid=$!
wait $sqlite_pid; sqlite_rc=$?
echo "=== Harbour tests on sqlite (finished after $(( $(date +%s) - started )) s) ==="; cat "$PGDIR/sqlite.log"
wait $pg_pid; pg_rc=$?
echo "=== Harbour tests on postgresql (finished after $(( $(date +%s) - started )) s) ==="; cat "$PGDIR/postgresql.log"

# One closing line over both runs, then the exit code: non-zero if either failed.
passed=$(tail -n 3 -q "$PGDIR"/sqlite.log "$PGDIR"/postgresql.log | grep -Eo "[0-9]+ passed" | awk '{n+=$1} END {print n+0}')
failed=$(tail -n 3 -q "$PGDIR"/sqlite.log "$PGDIR"/postgresql.log | grep -Eo "[0-9]+ (failed|error|errors)" | awk '{n+=$1} END {print n+0}')
echo "sqlite exit $sqlite_rc, postgresql exit $pg_rc"
echo "total: $passed passed, $failed failed"
echo "static checks exit $static_rc"
[ "$sqlite_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ] && [ "$static_rc" -eq 0 ]

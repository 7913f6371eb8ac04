#!/usr/bin/env bash
# `make run`: migrate the embedded SQLite database, load the demo trust, and serve
# Harbour with its background worker on http://127.0.0.1:8000 (Ctrl-C stops both).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/static

# Keys for this laptop only, made once and kept out of git (var/ is ignored). A key added to Harbour
# later is appended to an existing file, so an older laptop keeps its other keys.
umask 077
touch var/local.env
new_key() { grep -q "^$1=" var/local.env || echo "$1=$2" >> var/local.env; }
new_key SECRET_KEY "$($PY -c 'import secrets;print(secrets.token_urlsafe(50))')"
new_key HARBOUR_AUDIT_KEY "$($PY -c 'import secrets;print(secrets.token_hex(32))')"
new_key HARBOUR_TRANSFER_KEY "$($PY -c 'import secrets;print(secrets.token_hex(32))')"
umask 022
set -a; . var/local.env; set +a
# Demo mode over plain HTTP on this machine only. `manage.py check --deploy` refuses both.
export HARBOUR_DEMO_MODE=1 HARBOUR_HTTPS=0 DEBUG=0
export HARBOUR_STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
PORT=${PORT:-8000}
export HARBOUR_SITE_URL=${HARBOUR_SITE_URL:-http://127.0.0.1:$PORT}  # links in emails point here

$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
.venv/bin/gunicorn harbour.wsgi --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --log-level warning &
pids+=($!)
$PY manage.py worker &  # django-tasks' db_worker, with the heartbeat /healthz reads
pids+=($!)
# The timers of a production server (deploy/harbour-*.timer), on this laptop: every 5 minutes each scheduled job
# that is due runs (`run_scheduled` skips one run less than half its period ago): overdue steps escalated, each
# person's digest at their school's times on school days, overdue policy reviews alerted, the audit trail's head
# written to var/. Backups are left to the operator here (`manage.py backup`).
( while sleep 300; do
    for job in escalate_overdue_tasks send_digests alert_overdue_reviews write_audit_head; do
      $PY manage.py run_scheduled "$job" -v0 >/dev/null || echo "$job failed" >&2
    done
  done ) &
pids+=($!)
echo
echo "Harbour is running at http://127.0.0.1:$PORT  (sign in with a demo account above; Ctrl-C to stop)"
wait -n "${pids[@]}"

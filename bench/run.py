"""Benchmarks at trust scale (issue 9): `make bench` (full) or `make bench-quick` (--quick).

1. Builds, or reuses, a SQLite data set under bench/data/ with `manage.py seed_scale`
   (quick: 5 schools, 5,000 cases, 50,000 chronology entries; full: 50 schools, 500,000 cases,
   5,000,000 entries). `--rebuild` builds it again.
2. Starts gunicorn with production settings (DEBUG off, 2 sync workers, 127.0.0.1, a free port)
   on bench/wsgi.py, which adds a bare WSGI hello and a Django hello view (bench only).
3. Loads each page with wrk (or, without wrk, a small threaded client) for a bounded time, at
   concurrency 1, 8 and 32, at least 3 times, and reports the median, min and max of requests
   per second, p50 and p99, each also as a ratio to the Django hello measured in the same run.
   Every response is checked (200 for a page, 302 for a concern accepted); a run with a wrong
   status is reported, not hidden.
4. Counts the database queries per page on the quick (built if missing) and full (if built) data sets,
   times `verify_audit`, and times a concern's submission until the DSL's in-app notice shows.
5. Runs Lighthouse (mobile defaults, Debian's Chromium, production settings and static files, signed in as the
   DSL) over the home, report, inbox, case and dashboard pages (bench/lighthouse.py; `--no-lighthouse` skips it).

Prints one table and writes bench/results/<timestamp>.json. This module runs the bench; bench/load.py generates the
load and bench/report.py summarises each load, judges the targets and makes the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import postgres
from bench.load import WRK, load
from bench.pages import SEARCH_PATH, SEARCH_WORDS, get_pages, report_body, report_form
from bench.report import judge, summarise, table
from tests.durability.crash import Server, free_port

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
CONCURRENCY = (1, 8, 32)
# Set by --database postgresql: {"port", "version"} of the bench's PostgreSQL (bench/postgres.py); None for SQLite.
PG = None


def data_paths(preset):
    """(database, manifest): the SQLite file, or for PostgreSQL a path whose name names the database and whose
    siblings hold its manifest and audit head file."""
    if PG:
        return DATA / f"{preset}-postgresql", DATA / f"{preset}-postgresql.json"
    return DATA / f"{preset}.sqlite3", DATA / f"{preset}.json"


def pg_name(db: Path):
    return "harbour_bench_" + db.name.removesuffix("-postgresql")

def environment(db: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        SECRET_KEY="bench-secret-key-not-for-production-0123456789abcdefghij",
        HARBOUR_AUDIT_KEY="bench-audit-key-not-for-production-0123456789abcdef",
        HARBOUR_TRANSFER_KEY="be4c" * 16,
        HARBOUR_SQLITE_PATH=str(db), HARBOUR_AUDIT_HEAD_FILE=f"{db}.audit-head.log",
        DEBUG="0", HARBOUR_DEMO_MODE="0", HARBOUR_HTTPS="0",
        HARBOUR_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver", PYTHONUNBUFFERED="1", HARBOUR_LOG_LEVEL="ERROR",
    )
    if PG:
        env["DATABASE_URL"] = postgres.url(PG["port"], pg_name(db))
    return env


def manage(env, *args, capture=True):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                          capture_output=capture)


def build(preset: str, rebuild=False):
    """Return (db path, manifest), seeding the data set first unless it is already built."""
    DATA.mkdir(exist_ok=True)
    db, manifest = data_paths(preset)
    if PG:
        created = postgres.ensure_database(PG["port"], pg_name(db))
        exists = not created
    else:
        exists = db.exists()
    if exists and manifest.exists() and not rebuild:
        # A data set built before a schema change gets the migrations (e.g. a new index), then
        # fresh planner statistics, as the seeder leaves them (approximate: quick on 10 GB).
        manage(environment(db), "migrate", "--noinput", "-v0")
        if PG:
            postgres.analyze(PG["port"], pg_name(db))
        else:
            con = sqlite3.connect(db)
            con.execute("PRAGMA analysis_limit=1000")
            con.execute("ANALYZE")
            con.close()
        return db, json.loads(manifest.read_text())
    if PG:
        postgres.drop_database(PG["port"], pg_name(db))
        postgres.ensure_database(PG["port"], pg_name(db))
    for suffix in ("", "-wal", "-shm", ".audit-head.log"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    manifest.unlink(missing_ok=True)
    env = environment(db)
    print(f"Building the {preset} data set in {db} ...", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    out = subprocess.run([PYTHON, "manage.py", "seed_scale", "--preset", preset, "--i-know-this-is-not-production"],
                         cwd=ROOT, env=env, check=True, text=True, stdout=subprocess.PIPE)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["build_seconds"] = round(time.monotonic() - started, 1)
    figures["db_bytes"] = (postgres.scalar(PG["port"], pg_name(db), "SELECT pg_database_size(current_database())")
                           if PG else db.stat().st_size)
    manifest.write_text(json.dumps(figures, indent=2))
    print(f"  built in {figures['build_seconds']} s: {figures}", flush=True)
    return db, figures


# -- the run ---------------------------------------------------------------------------------------

def drain(base, timeout=120):
    """Wait until the server has finished the requests still queued when wrk stopped.

    wrk stops sending after its time, but gunicorn's listen queue still holds up to one request per
    connection; without this the next figure would be measured against that backlog.
    """
    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.perf_counter()
        requests.get(f"{base}/__bench/wsgi", timeout=timeout)
        quick = quick + 1 if time.perf_counter() - started < 0.02 else 0
        time.sleep(0.1)


def csrf_for(base, cookie):
    """The reporter's CSRF cookie and form token, from the report page as a browser gets them."""
    session = requests.Session()
    session.cookies.set("harbour_session", cookie)
    response = session.get(f"{base}/concerns/report/", timeout=10, allow_redirects=False)
    response.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
    return session.cookies["csrftoken"], token


def posted_search(base, cookie):
    """The DSL's chronology search, posted as the page does; the address of its results (`?search=<key>`)."""
    session = requests.Session()
    session.cookies.set("harbour_session", cookie)
    page = session.get(f"{base}{SEARCH_PATH}", timeout=10, allow_redirects=False)
    page.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}{SEARCH_PATH}", data={"q": SEARCH_WORDS, "csrfmiddlewaretoken": token},
                            headers={"Referer": base}, timeout=10, allow_redirects=False)
    if response.status_code != 302 or "?search=" not in response.headers.get("Location", ""):
        raise RuntimeError(f"the chronology search was not accepted: {response.status_code}")
    return response.headers["Location"]


def notification_latency(base, f, csrf_cookie, csrf_token, tries=10):
    """Seconds from posting a concern until the DSL's next page shows the new notice (unread count up)."""
    reporter, dsl = requests.Session(), requests.Session()
    reporter.cookies.set("harbour_session", f["reporter_session"])
    reporter.cookies.set("csrftoken", csrf_cookie)
    dsl.cookies.set("harbour_session", f["report_dsl_session"])

    def unread():
        text = dsl.get(f"{base}/notifications/", timeout=10, allow_redirects=False).text
        m = re.search(r'harbour-count">(\d+)', text)
        return int(m.group(1)) if m else 0

    times = []
    for _ in range(tries):
        before = unread()
        started = time.perf_counter()
        response = reporter.post(
            f"{base}/concerns/report/",
            allow_redirects=False,
            timeout=10,
            data=dict(report_form(f["report_pupil"], csrf_token), idempotency_key=str(uuid.uuid4())),
        )
        if response.status_code != 302:
            raise RuntimeError(f"concern submission answered {response.status_code}")
        while unread() <= before:
            if time.perf_counter() - started > 30:
                raise RuntimeError("the DSL was not notified within 30 s")
        times.append(time.perf_counter() - started)
        time.sleep(0.2)
    return {"median_s": statistics.median(times), "max_s": max(times), "tries": tries}


def query_counts(preset):
    """Queries per page on one data set. The quick set is built if missing (10 s), so that a full run on a
    fresh machine can still compare the two; the full set only when it has been built already."""
    if preset == "quick":
        build("quick")
    db, manifest = data_paths(preset)
    if not manifest.exists() or not (PG or db.exists()):
        return None
    out = subprocess.run([PYTHON, "-m", "bench.queries"], cwd=ROOT, env=environment(db), check=True, text=True,
                         capture_output=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# Issue 24.4: the PDFs timed in the bench, against the demo trust (built once into its own database).
BENCH_PDFS = ("parent letter", "governor report (Riverside)")


def pdf_timings(repeats=3):
    """{"cold"|"warm": {"warm_up", "pdfs": {name: {"first", "later", "bytes"}}}} from bench/pdf_times.py, in fresh
    processes on the demo trust (`seed_demo`, built the first time: a few minutes)."""
    db, manifest = data_paths("demo")
    if PG:
        postgres.ensure_database(PG["port"], pg_name(db))
    env = environment(db)
    manage(env, "migrate", "--noinput", "-v0")
    if not manifest.exists():
        print("Seeding the demo trust for the PDF timings ...", flush=True)
        manage(env, "seed_demo")
        manifest.write_text(json.dumps({"seeded": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pdfs.json"
        command = [PYTHON, "bench/pdf_times.py", "--repeats", str(repeats), "--json", str(out)]
        command += [arg for name in BENCH_PDFS for arg in ("--only", name)]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            return {"error": done.stderr[-2000:]}
        return json.loads(out.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the quick data set and shorter loads (< 5 minutes)")
    parser.add_argument("--rebuild", action="store_true", help="seed the data set again")
    parser.add_argument("--seconds", type=float, help="each load's length (quick 2, full 5)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs (about 4 minutes)")
    parser.add_argument("--no-pdfs", action="store_true", help="leave out the PDF timings (issue 24.4)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: the bench's own PostgreSQL (bench/postgres.py), started and stopped here")
    args = parser.parse_args()
    if args.database == "postgresql":
        global PG
        port = free_port()
        with postgres.server(port) as version:
            PG = {"port": port, "version": version}
            return run(args)
    return run(args)


def run(args):
    preset = "quick" if args.quick else "full"
    seconds = args.seconds or (2 if args.quick else 5)
    started = time.monotonic()
    load_before = os.getloadavg()
    # The commit when the run starts, the code the server loads (the JSON used to name the commit at the end).
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    db, seeded = build(preset, args.rebuild)
    if args.build_only:
        return
    env = environment(db)
    f = json.loads(subprocess.run([PYTHON, "-m", "bench.fixtures"], cwd=ROOT, env=env, check=True, text=True,
                                  capture_output=True).stdout.strip().splitlines()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(DATA / f"{preset}-server.log", "ab")
    server = Server(env, port, log, app="bench.wsgi:application", start_within=60)
    results = {}
    try:
        server.start()
        csrf_cookie, csrf_token = csrf_for(base, f["reporter_session"])
        dsl_headers = [f"Cookie: harbour_session={f['dsl_session']}"]
        post_headers = [f"Cookie: harbour_session={f['reporter_session']}; csrftoken={csrf_cookie}",
                        "Content-Type: application/x-www-form-urlencoded"]
        body = report_body(f["report_pupil"], csrf_token)
        targets = [("bare WSGI hello", "/__bench/wsgi", [], 200, None),
                   ("Django hello", "/__bench/django", [], 200, None)]
        search_results = posted_search(base, f["dsl_session"])
        targets += [(name, path, dsl_headers, 200, None) for name, path in get_pages(f, search_results).items()]
        targets.append(("concern submission (POST)", "/concerns/report/", post_headers, 302, body))
        # Each page must answer as expected before it is timed (a signed-out redirect is not a page).
        for name, path, headers, expected, post in targets:
            figures = load(base + path, 1, 1, headers, expected, path if post else None, post)
            if figures["unexpected_status"]:
                raise RuntimeError(f"{name} ({path}) did not answer {expected}; is the session valid?")
            drain(base)
        concerns_before = count_concerns(db)
        post_requests = 0
        raw = {name: {c: [] for c in CONCURRENCY} for name, *_ in targets}
        for rep in range(args.repeats):
            for name, path, headers, expected, post in targets:
                for c in CONCURRENCY:
                    figures = load(base + path, c, seconds, headers, expected, path if post else None, post)
                    drain(base)
                    raw[name][c].append(figures)
                    if post:
                        post_requests += figures["requests"]
            print(f"  repetition {rep + 1} of {args.repeats} done ({time.monotonic() - started:.0f} s)", flush=True)
        concerns_made = count_concerns(db) - concerns_before
        results = {name: {str(c): summarise(runs) for c, runs in by_c.items()} for name, by_c in raw.items()}
        notified = notification_latency(base, f, csrf_cookie, csrf_token)
    finally:
        server.stop()
        log.close()

    lighthouse = None
    if not args.no_lighthouse:
        from bench import lighthouse as lighthouse_module

        print("Lighthouse, one page at a time ...", flush=True)
        try:  # the loads above took many minutes: a Lighthouse that cannot start must not lose them
            lighthouse = lighthouse_module.measure(db, f)
        except (OSError, subprocess.SubprocessError) as exc:
            print(f"Lighthouse failed, its figures are left out: {exc}", flush=True)
            lighthouse = {"error": str(exc)}

    verify_started = time.monotonic()
    verify = subprocess.run([PYTHON, "manage.py", "verify_audit"], cwd=ROOT, env=env, capture_output=True, text=True)
    verify_seconds = time.monotonic() - verify_started
    events = re.search(r"([\d,]+) events checked \(([\d,]+) events per second", verify.stdout)
    queries = {"quick": query_counts("quick"), "full": query_counts("full")}
    pdfs = None if args.no_pdfs else pdf_timings()

    report = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "preset": preset, "database": {"engine": "postgresql" if PG else "sqlite",
                                        "version": PG["version"] if PG else f"SQLite {sqlite3.sqlite_version}",
                                        "settings": postgres.SETTINGS if PG else "harbour/settings.py SQLITE_OPTIONS"},
        "seconds_per_load": seconds, "repeats": args.repeats, "concurrency": CONCURRENCY,
        "load_generator": "wrk" if WRK else "python threads (wrk not installed)",
        "machine": {"cpus": os.cpu_count(), "platform": sys.platform,
                    "load_average_1_5_15_min_before": load_before, "load_average_after": os.getloadavg()},
        "data_set": seeded, "fixtures": {k: v for k, v in f.items() if "session" not in k},
        "pages": results,
        "concern_posts_sent": post_requests, "concerns_stored": concerns_made,
        "notification": notified,
        "verify_audit": {"ok": verify.returncode == 0, "output": verify.stdout.strip() or verify.stderr.strip(),
                         "events": int(events.group(1).replace(",", "")) if events else None,
                         "events_per_second": int(events.group(2).replace(",", "")) if events else None,
                         "wall_seconds": round(verify_seconds, 1)},
        "queries": queries,
        "lighthouse": lighthouse,
        "pdfs": pdfs,
        "total_seconds": round(time.monotonic() - started, 1),
    }
    report["targets"] = judge(report)
    if lighthouse and "targets" in lighthouse:
        report["targets"].update(lighthouse["targets"])
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / (f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{preset}"
                      f"{'-postgresql' if PG else ''}.json")
    path.write_text(json.dumps(report, indent=2))
    print(table(report))
    if lighthouse and "targets" in lighthouse:
        from bench.lighthouse import table as lighthouse_table

        print("\n" + lighthouse_table(lighthouse))
    print(f"\nWritten to {path.relative_to(ROOT)}")


def count_concerns(db):
    if PG:
        return postgres.scalar(PG["port"], pg_name(db), "SELECT COUNT(*) FROM concerns_concern")
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM concerns_concern").fetchone()[0]
    finally:
        con.close()


if __name__ == "__main__":
    main()

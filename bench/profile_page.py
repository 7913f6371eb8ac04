"""Profile one page under Django's test client on a seeded data set (cProfile).

    .venv/bin/python bench/profile_page.py                       # the case page, quick data set
    .venv/bin/python bench/profile_page.py --preset full /reports/ --sort tottime
    .venv/bin/python bench/profile_page.py --preset full --database postgresql /reports/ --sql
    .venv/bin/python bench/profile_page.py search          # the chronology search's results page

--database postgresql starts the bench's own PostgreSQL (bench/postgres.py, $HARBOUR_BENCH_PGDATA) on the data set
bench/run.py built there; with --sql it prints EXPLAIN (ANALYZE, BUFFERS) of the slowest queries.

Prints the time per request, the top functions, and Harbour's own functions by cumulative time.
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default="")
    parser.add_argument("--preset", default="quick")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="list the page's slowest queries instead of profiling")
    parser.add_argument("--plans", type=int, default=1, help="with --sql: how many of the slowest to explain")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    if os.environ.get("HARBOUR_BENCH_CHILD") != "1":
        sys.path.insert(0, str(ROOT))
        from bench import run

        def child():
            env = run.environment(run.data_paths(args.preset)[0])
            env["HARBOUR_BENCH_CHILD"] = "1"
            return subprocess.run([sys.executable, "-m", "bench.profile_page", *sys.argv[1:]], cwd=ROOT,
                                  env=env).returncode

        if args.database == "postgresql":
            port = run.free_port()
            with run.postgres.server(port) as version:
                run.PG = {"port": port, "version": version}
                sys.exit(child())
        sys.exit(child())

    from django.test import Client

    from bench import fixtures

    f = fixtures.pick()
    client = Client()
    client.cookies["harbour_session"] = f["dsl_session"]
    url = args.path or f"/cases/{f['case']}/"
    if url == "search":  # the chronology search's results, as bench/run.py measures them
        from bench.pages import SEARCH_PATH, SEARCH_WORDS

        url = client.post(SEARCH_PATH, {"q": SEARCH_WORDS})["Location"]
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    if args.sql:
        from django.db import connection

        timed, captured = [], []

        def timer(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timed.append(((time.perf_counter() - start) * 1000, sql))
                captured.append((sql, params))

        with connection.execute_wrapper(timer):
            client.get(url)
        print(f"{url}: {len(timed)} queries, {sum(t for t, _ in timed):.1f} ms in the database")
        for ms, sql in sorted(timed, reverse=True)[:8]:
            print(f"{ms:8.1f} ms  {sql[:400]}")
        explain = ("EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ")
        for _, slow in sorted(timed, reverse=True)[:args.plans]:
            with connection.cursor() as cursor:
                params = next(p for s, p in captured if s == slow)
                cursor.execute(explain + slow, params)
                print(f"plan of {slow[:120]}:", *[row[-1] for row in cursor.fetchall()], sep="\n  ")
        return
    started = time.perf_counter()
    for _ in range(args.runs):
        client.get(url)
    print(f"{url}: {(time.perf_counter() - started) / args.runs * 1000:.1f} ms per request (no profiler)")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.runs):
        client.get(url)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(35)
    print(out.getvalue())
    print("--- Harbour's own functions, by cumulative time ---")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(
        r"^" + str(ROOT) + r"/(?!\.venv)(?!bench/).*\.py", 30)
    print(out.getvalue())


if __name__ == "__main__":
    main()

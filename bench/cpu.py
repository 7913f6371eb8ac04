"""CPU per request of the DSL's pages, in-process (Django's test client), as ratios to Django hello (issue 24).

    .venv/bin/python bench/cpu.py [--preset quick|full] [--runs 40] [--batches 5] [--json FILE]
                                  [--database sqlite|postgresql]

The data set is built first if missing (bench/run.py's); `--database postgresql` starts the bench's own PostgreSQL
(bench/postgres.py) for the run and stops it after.

On a shared machine wall-clock figures move by a third between runs; these two move far less:
- **function calls per request** (cProfile's count; the same code on the same data gives the same count), and
- **CPU time per request** (time.process_time, the best of --batches batches of --runs requests), also as a ratio
  to the CPU time of the Django hello view (bench/urls.py) measured in the same process. That ratio is an upper bound
  on what the page can reach over HTTP, where the server's own overhead is the same for both.
"""

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(client, url, runs, batches):
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    best = None
    for _ in range(batches):
        start = time.process_time()
        for _ in range(runs):
            client.get(url)
        took = (time.process_time() - start) / runs
        best = took if best is None else min(best, took)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(10):
        client.get(url)
    profile.disable()
    calls = pstats.Stats(profile).total_calls // 10
    return {"cpu_ms": round(best * 1000, 2), "calls": calls}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="quick")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--json")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    if os.environ.get("HARBOUR_BENCH_CHILD") != "1":
        sys.path.insert(0, str(ROOT))
        from bench import run

        def child():
            db, _ = run.build(args.preset)
            env = run.environment(db)
            env["HARBOUR_BENCH_CHILD"] = "1"
            return subprocess.run([sys.executable, "-m", "bench.cpu", *sys.argv[1:]], cwd=ROOT, env=env).returncode

        if args.database == "postgresql":
            from bench import postgres

            port = run.free_port()
            with postgres.server(port) as version:
                run.PG = {"port": port, "version": version}
                sys.exit(child())
        sys.exit(child())

    from django.conf import settings
    from django.test import Client

    from bench import fixtures
    from bench.pages import get_pages

    settings.ROOT_URLCONF = "bench.urls"
    f = fixtures.pick()
    client = Client()
    client.cookies["harbour_session"] = f["dsl_session"]
    # The floor of any signed-in page: the session, the person and their roles, the second factor, the security
    # headers, the page template and its menu, and nothing of a case (what every page below pays before its own work).
    pages = {"Django hello": "/__bench/django", "signed-in floor (accessibility statement)": "/accessibility/"}
    pages.update({k: v for k, v in get_pages(f, None).items() if k != "chronology search"})
    results = {name: measure(client, url, args.runs, args.batches) for name, url in pages.items()}
    hello = results["Django hello"]["cpu_ms"]
    print(f"{'page':45} {'CPU ms':>8} {'x hello':>8} {'calls':>8}")
    for name, r in results.items():
        r["ratio_to_hello"] = round(hello / r["cpu_ms"], 3)
        print(f"{name:45} {r['cpu_ms']:8.2f} {r['ratio_to_hello']:8.3f} {r['calls']:8d}")
    if args.json:
        Path(args.json).write_text(json.dumps({"preset": args.preset, "pages": results,
                                               "database": settings.DATABASES["default"]["ENGINE"]}, indent=1))


if __name__ == "__main__":
    main()

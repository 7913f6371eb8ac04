"""What a read's audit event costs, written in each of the ways issue 24.5 asks about (H2). Not part of `make test`.

    .venv/bin/python bench/read_events.py [--preset quick] [--events 200] [--database sqlite|postgresql]

In-process, on the bench's data set, as the DSL of bench/fixtures.py, it appends real, sealed VIEW events (the trail
stays intact; `verify_audit` checks it) and reports the wall time and this process's CPU time per event, median of
3 rounds (wall minus CPU is mostly waiting for the disk and the lock):

- own transaction: as a page does today, one event committed on its own (durable: SQLite synchronous=FULL, or
  PostgreSQL's commit) before the page is rendered;
- with the request's write: the event committed in one transaction with one other write (a POST that then shows a
  case), against the two committed apart;
- batched by 2 / 8: events from 2 or 8 requests committed together, the best a batched writer could do with 2
  workers or 8 waiting requests, before the time each request would spend waiting for the batch.

H2 says no read without its event durable before the response leaves, so any batch must still make each request
wait for the commit that holds its event: batching can only share the commit, never skip it.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(args):
    import django

    django.setup()
    from django.db import connection, transaction

    from accounts.models import User
    from audit.log import Action, record
    from bench import fixtures
    from cases.models import Case

    f = fixtures.pick()
    dsl = User.objects.get(email=f["dsl"])
    case = Case.objects.only("id", "school_id").get(id=f["case"])

    def event():
        record(actor=dsl, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
               detail={"page": "bench"})

    def own(n):
        for _ in range(n):
            event()

    def batched(size):
        def run(n):
            for _ in range(n // size):
                with transaction.atomic():
                    for _ in range(size):
                        event()
        return run

    def with_write(n):  # the event and another write (a second event stands for it) in one transaction
        for _ in range(n // 2):
            with transaction.atomic():
                event()
                event()

    ways = {"own transaction": own, "with the request's write (1 commit for 2 rows)": with_write,
            "batched by 2": batched(2), "batched by 8": batched(8)}
    dsl.access.snapshot()  # roles read once, as a request's user has them
    results = {}
    for name, way in ways.items():
        walls, cpus = [], []
        for _ in range(3):
            started, cpu = time.perf_counter(), time.process_time()
            way(args.events)
            walls.append((time.perf_counter() - started) / args.events * 1000)
            cpus.append((time.process_time() - cpu) / args.events * 1000)
        results[name] = {"wall_ms": round(statistics.median(walls), 3), "cpu_ms": round(statistics.median(cpus), 3)}
    print(json.dumps({"database": connection.vendor, "events_per_round": args.events, "per_event": results}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="quick")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    sys.path.insert(0, str(ROOT))
    from bench import run

    def go():
        db, _ = run.data_paths(args.preset)
        env = run.environment(db)
        command = [sys.executable, "-m", "bench.read_events", "--child", "--events", str(args.events)]
        done = subprocess.run(command, cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "harbour.settings"},
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    if args.database == "postgresql":
        from bench import postgres
        from tests.durability.crash import free_port

        port = free_port()
        with postgres.server(port) as version:
            run.PG = {"port": port, "version": version}
            result = go()
    else:
        result = go()
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    main()

"""Figures that test families print at the end of a run (issue 8): `report("crash", "...")`."""

import os

FIGURES: list[tuple[str, str]] = []


def report(family: str, text: str) -> None:
    FIGURES.append((family, text))


# `make test` runs the suite on SQLite and on PostgreSQL side by side (scripts/test.sh). The exhaustive sweeps
# (every picture sample through every carrier, every URL for every kind of person…) exercise the same ORM calls
# thousands of times, so they are shared out: the PostgreSQL run takes a fixed part of each (which still meets
# every kind of case) and the SQLite run the rest, so that every case is checked once in all (tests/runs.py). Run
# alone, a run sweeps everything.
SHARE = os.environ.get("HARBOUR_RUN_SHARE", "")
SAMPLED = SHARE in ("sqlite", "postgresql")


def sweep(items, *, keep=lambda index, item: index % 4 == 0):
    """All of `items`; or, shared out between the two runs, those `keep(index, item)` chooses in the PostgreSQL run
    (by default every fourth) and the others in the SQLite run."""
    items = list(items)
    if not SAMPLED:
        return items
    return [item for index, item in enumerate(items) if bool(keep(index, item)) == (SHARE == "postgresql")]


def sweep_note() -> str:
    if not SAMPLED:
        return ""
    database = "PostgreSQL" if SHARE == "postgresql" else "SQLite"
    return f" (this run's share, on {database}: the other run checks the rest)"

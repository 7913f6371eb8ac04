"""Figures that test families print at the end of a run (issue 8): `report("crash", "...")`."""

import os

FIGURES: list[tuple[str, str]] = []


def report(family: str, text: str) -> None:
    FIGURES.append((family, text))


# `make test` runs the suite on SQLite and on PostgreSQL side by side (scripts/test.sh). The exhaustive sweeps
# (every picture sample through every carrier, every URL for every kind of person…) exercise the same ORM calls
# thousands of times; the PostgreSQL run takes a fixed sample of each, which still covers
# every kind of case once, and the SQLite run takes them all. Run alone, a run sweeps everything.
SAMPLED = os.environ.get("HARBOUR_RUN_SHARE") == "postgresql"  # tests/runs.py


def sweep(items, *, keep=lambda index, item: index % 4 == 0):
    """All of `items`, or in a sampled run those `keep(index, item)` chooses (by default every fourth)."""
    items = list(items)
    return [item for index, item in enumerate(items) if keep(index, item)] if SAMPLED else items


def sweep_note() -> str:
    return " (a sample: the full sweep runs on SQLite)" if SAMPLED else ""

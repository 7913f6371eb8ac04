"""What each of `make test`'s two runs does (scripts/test.sh runs the suite on SQLite and on PostgreSQL side by side,
one per core, and must finish within 15 minutes on two cores).

Every test of a view, an action, a model or a query runs in both. What the database cannot change is shared out,
so that it is done once in all:
- a test that uses no database runs in one of the two runs, chosen by its file (`pytest_collection_modifyitems`
  in conftest.py); one that must run in a given run says so (`sqlite_run`, `postgresql` markers);
- a browser journey (Chromium, axe at desktop and 375 px, the phone layouts, the HTML checker over the pages it was
  served) runs in one of the two runs, chosen by its file, against that run's database: what it proves is the
  pages and the person's path through them, while every view and action it passes through is tested on both
  databases by its own tests. Each run checks the HTML of the pages its journeys visited;
- the exhaustive sweeps (every picture sample through every carrier, every URL for every kind of person…) are
  shared out case by case: a fixed part on PostgreSQL, the rest on SQLite (tests/figures.py `sweep`).
HARBOUR_RUN_SHARE names the run ("sqlite" or "postgresql"); without it (a run by hand) a run does everything.
"""

import os
import zlib

SHARE = os.environ.get("HARBOUR_RUN_SHARE", "")


def ours(key: str) -> bool:
    """Whether this run does the once-only piece of work named `key` (the same answer in every run of the suite)."""
    if SHARE not in ("sqlite", "postgresql"):
        return True
    return (zlib.crc32(key.encode()) % 2 == 0) == (SHARE == "sqlite")

"""What each of `make test`'s two runs does (scripts/test.sh runs the suite on SQLite and on PostgreSQL side by side,
one per core, and must finish within 15 minutes on two cores).

Every test that uses the database runs in both. What cannot differ between the databases is shared out, so that
it is done once in all:
- a test that uses no database runs in one of the two runs, chosen by its file (`pytest_collection_modifyitems`
  in conftest.py); one that must run in a given run says so (`sqlite_run`, `postgresql` markers);
- a browser check of a page as served (axe at desktop and at 375 px, the phone layouts) is done in one of the two
  runs, chosen by the test and the check's place in it (tests/browser/conftest.py): both runs walk every journey
  and both serve the same pages;
- the exhaustive sweeps (every picture sample through every carrier…) take all their cases on SQLite and a fixed
  sample on PostgreSQL (tests/figures.py `sweep`).
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


def current_test() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]

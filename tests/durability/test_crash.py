"""Crash durability, short form (the full run is `make crash`): nothing acknowledged is lost (A1)."""

import os

import pytest

from tests.durability import crash
from tests.figures import report

pytestmark = [
    pytest.mark.durability,
    # The harness builds its own embedded SQLite database and server; run it once, not again per database.
    pytest.mark.sqlite_run,
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run"),
]


def test_r_a1_acknowledged_concerns_survive_kill_9_of_the_server(tmp_path):
    figures = crash.run(kills=5, workdir=tmp_path, seed=2026)
    report("crash durability, short form", crash.summary(figures))
    assert figures["acknowledged"] >= 5  # it really submitted between kills
    assert figures["lost"] == 0
    assert figures["duplicated"] == 0
    assert figures["acknowledged_with_another_id"] == 0
    assert figures["integrity_check"] == "ok"
    assert figures["verify_audit"] == "ok"

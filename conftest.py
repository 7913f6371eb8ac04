import os

import pytest
from django.db.backends.base.operations import BaseDatabaseOperations

from audit.chain import MAINTENANCE_ROLE, allow_purge

# Between transactional tests Django empties every table (`flush`), the audit trail included. The append-only
# triggers refuse that; only the flush's own statements pass them, inside allow_purge: on PostgreSQL as the
# maintenance role, which gets TRUNCATE on the tables for it (the test runner connects as a superuser).
_original_flush = BaseDatabaseOperations.execute_sql_flush


def _execute_sql_flush_allowing_audit_purge(self, sql_list):
    if self.connection.vendor == "postgresql":
        with self.connection.cursor() as cursor:
            cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {MAINTENANCE_ROLE}")
    with allow_purge(self.connection):
        return _original_flush(self, sql_list)


BaseDatabaseOperations.execute_sql_flush = _execute_sql_flush_allowing_audit_purge


@pytest.fixture
def world(db):
    from tests.people import build_world

    return build_world()


def pytest_terminal_summary(terminalreporter):
    """Print each test family's figure (crash durability, access matrix…) after the run."""
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("figures")
        for family, text in FIGURES:
            terminalreporter.write_line(f"{family}: {text}")


# `make test` runs the suite twice, on SQLite and on PostgreSQL, side by side (scripts/test.sh). A test that
# touches no database gives the same answer in both runs, so it runs in one of them only: the run given
# HARBOUR_DATABASE_FREE_TESTS_ELSEWHERE=1 leaves them to the other. Run alone, every run has them all. A test that
# reaches a database server without Django's test database (a backup of a new PostgreSQL database, the production
# stack) is marked `postgresql` and always stays.
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                      "live_server"}


def uses_database(item):
    marked = item.get_closest_marker("django_db") or item.get_closest_marker("postgresql")
    return marked is not None or bool(_DATABASE_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    if os.environ.get("HARBOUR_DATABASE_FREE_TESTS_ELSEWHERE") != "1":
        return
    elsewhere = [item for item in items if not uses_database(item)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if uses_database(item)]

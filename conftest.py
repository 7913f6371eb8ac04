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

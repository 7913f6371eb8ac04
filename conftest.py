import pytest
from django.test import testcases

from audit.chain import allow_purge

# Between transactional tests Django empties every table, the audit trail included.
# The append-only triggers refuse that; only this reset may pass them.
_original_teardown = testcases.TransactionTestCase._fixture_teardown


def _fixture_teardown_allowing_audit_purge(self):
    from django.db import connections

    contexts = [allow_purge(connections[a]) for a in self._databases_names(include_mirrors=False)]
    for c in contexts:
        c.__enter__()
    try:
        return _original_teardown(self)
    finally:
        for c in contexts:
            c.__exit__(None, None, None)


testcases.TransactionTestCase._fixture_teardown = _fixture_teardown_allowing_audit_purge


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

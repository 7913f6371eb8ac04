"""The access matrix's world (world.py: the demo trust, a second trust, the variants) is built once per run and shared
by the tests that walk it: building it takes seconds, and four tests used to build it again each. It is built
inside a transaction that is rolled back when the run ends; each test's own changes are rolled back after it, as
with any test, so every test starts from the world as built. The tests that use it run last, so that no other test
sees it."""

import pytest

from tests.security import world as W


@pytest.fixture(scope="session")
def _matrix_world_built(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield W.ids_of(*W.build())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def matrix_world(_matrix_world_built, db):
    """(people by role, Riverside), read afresh for this test."""
    return W.again(_matrix_world_built)


def pytest_collection_modifyitems(config, items):
    """The tests on the shared world run after every other test (it stays in the database until the run ends)."""
    shared = [item for item in items if "matrix_world" in getattr(item, "fixturenames", ())]
    if shared:
        items[:] = [item for item in items if item not in shared] + shared

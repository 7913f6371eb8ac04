"""Issue 24 (round two), B6: cases 0016 gives every sign-off already recorded its case's school, so that a sign-off
waiting before the upgrade is still on its school's home page after it, and the index of waiting sign-offs is keyed
by school. Runs on SQLite and PostgreSQL (`./scripts/test.sh`)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.models import SignOff
from cases.tests.helpers import make_case

BEFORE = [("cases", "0015_sign_off_waiting")]
AFTER = [("cases", "0016_sign_off_school")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets[0]).apps


@pytest.fixture
def every_migration_applied_after():
    """Whatever happens, the database is left with every migration applied for the tests after this one."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _indexes():
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, SignOff._meta.db_table))


@pytest.mark.django_db(transaction=True)
def test_r_b6_sign_offs_recorded_before_the_upgrade_get_their_cases_school(world, every_migration_applied_after):
    case = make_case(world)
    old = _migrate(BEFORE)
    assert "sign_off_waiting" in _indexes() and "sign_off_waiting_school" not in _indexes()
    decision = old.get_model("cases", "Decision").objects.create(
        case_id=case.id, kind="no_referral", choice="Do not refer", reason="Consensual, no malice.",
        state="awaiting", decided_by_id=world.diana.id, decided_at=timezone.now())
    waiting = old.get_model("cases", "SignOff").objects.create(decision_id=decision.id, role="headteacher")
    signed = old.get_model("cases", "SignOff").objects.create(
        decision_id=decision.id, role="chair_of_governors", signed_by_id=world.carol.id, signed_at=timezone.now())

    _migrate(AFTER)

    assert "sign_off_waiting_school" in _indexes() and "sign_off_waiting" not in _indexes()
    assert dict(SignOff.objects.filter(id__in=[waiting.id, signed.id]).values_list("id", "school_id")) == {
        waiting.id: world.oakfield.id, signed.id: world.oakfield.id}
    assert list(SignOff.objects.filter(school=world.oakfield, signed_at__isnull=True)
                .values_list("id", flat=True)) == [waiting.id]

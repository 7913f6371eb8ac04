"""S3: who may empty the append-only tables (the audit trail, and the chronology outside a disposal).

On PostgreSQL only the maintenance role may (audit.chain.MAINTENANCE_ROLE): the triggers check the current role,
which a session of the application's role cannot become, where they used to check a setting any session could
turn on. The test runner empties the tables between tests as that role. On SQLite the triggers call a function
that only Harbour's own connections have, and it allows the purge only inside `allow_purge` (its limit is in the
README: anyone who can open the file can drop a trigger, which is what the hash chain is for).
"""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.chain import MAINTENANCE_ROLE, allow_purge
from audit.log import Action, record
from audit.models import AuditEvent
from cases.models import Entry
from cases.tests.helpers import make_case

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")
APP_ROLE = "harbour_test_application"


def refused(statement, match):
    with pytest.raises(DatabaseError, match=match):
        with transaction.atomic(), connection.cursor() as c:
            c.execute(statement)


@pytest.fixture
def as_application_role():
    """This session becomes an ordinary role, as if it had signed in as one, with the privileges the application
    has on its tables (SESSION AUTHORIZATION: a superuser's SET ROLE could still become any role)."""
    with connection.cursor() as c:
        c.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")  # rolled back with the test's transaction
        c.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
        c.execute(f"SET SESSION AUTHORIZATION {APP_ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as c:
            c.execute("RESET SESSION AUTHORIZATION")


@on_postgresql
def test_r_s3_the_applications_role_cannot_turn_on_the_purge(world, as_application_role):
    make_case(world)
    record(actor=world.diana, action=Action.VIEW, object_type="pupil", object_id=1)
    with connection.cursor() as c:
        c.execute("SELECT set_config('harbour.audit_purge', 'on', false)")  # the old way past the triggers
    refused("DELETE FROM audit_auditevent", "append-only")
    refused("TRUNCATE audit_auditevent", "append-only")
    refused("DELETE FROM cases_entry", "only by an approved disposal")
    refused(f"SET ROLE {MAINTENANCE_ROLE}", "permission denied|must be member")
    assert AuditEvent.objects.exists() and Entry.objects.exists()


@on_postgresql
def test_r_s3_the_maintenance_role_can_purge(world):
    make_case(world)
    record(actor=world.diana, action=Action.VIEW, object_type="pupil", object_id=1)
    with connection.cursor() as c:
        c.execute(f"GRANT DELETE ON audit_auditevent, cases_entry TO {MAINTENANCE_ROLE}")
    with allow_purge(connection), connection.cursor() as c:
        c.execute("SELECT current_user")
        assert c.fetchone()[0] == MAINTENANCE_ROLE
        c.execute("DELETE FROM audit_auditevent")
        c.execute("DELETE FROM cases_entry")
    with connection.cursor() as c:
        c.execute("SELECT current_user")
        assert c.fetchone()[0] != MAINTENANCE_ROLE  # back to the connecting role afterwards
    assert not AuditEvent.objects.exists() and not Entry.objects.exists()


def test_r_s3_outside_the_test_runners_reset_nothing_is_deleted(world):
    make_case(world)
    record(actor=world.diana, action=Action.VIEW, object_type="pupil", object_id=1)
    refused("DELETE FROM audit_auditevent", "append-only")
    refused("DELETE FROM cases_entry", "approved disposal")

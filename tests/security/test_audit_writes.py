"""Issue 8.2 and H2: every transaction that changes a record also appends to the audit trail, in that same
transaction. Observed, not assumed: every statement the database receives while the whole demo trust is built
through the product's own actions (concerns, cases, decisions, referrals, devices, viewings, deletions,
registers, transfers, imports…) and the scheduled jobs run, grouped by the transaction it committed in."""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from tests.figures import report

TABLE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
AUDIT = "audit_auditevent"
EXEMPT = (
    # The job queue: a job's own work is audited when it runs.
    "django_tasks_",
    # Schools, pupils, carers, people and their sign-in devices are written straight to the database by the demo
    # loader, standing in for the MIS import and invitations; those product paths write one event per row
    # (imports/tests/test_import_people.py, accounts/tests/test_invitations.py).
    "schools_", "accounts_", "otp_",
    # Sessions and sign-in attempts are not records.
    "django_session", "axes_",
)


class Transactions:
    """Groups written tables by committed transaction: an autocommit statement is one, an atomic block another."""

    def __init__(self):
        self.current, self.committed = [], []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = TABLE.match(sql)
        if match:
            self.current.append(match.group(2).lower())
            if not connection.in_atomic_block:
                self.flush()
        return result

    def flush(self):
        if self.current:
            self.committed.append(self.current)
        self.current = []


@pytest.mark.django_db(transaction=True)
def test_r_h2_every_write_is_audited_in_its_own_transaction(monkeypatch):
    from demo.trust import seed

    seen = Transactions()
    commit, rollback = connection.commit, connection.rollback

    def committed():
        commit()
        seen.flush()

    def rolled_back():
        rollback()
        seen.current = []

    monkeypatch.setattr(connection, "commit", committed)
    monkeypatch.setattr(connection, "rollback", rolled_back)
    with connection.execute_wrapper(seen):
        seed.__wrapped__()
        call_command("escalate_overdue_tasks", verbosity=0)
    audited = unaudited_count = 0
    unaudited = Counter()
    for tables in seen.committed:
        records = {t for t in tables if not t.startswith(EXEMPT)}
        if not records:
            continue
        if AUDIT in tables:
            audited += 1
        else:
            unaudited_count += 1
            unaudited.update(records)
    report("audit of writes", f"{len(seen.committed)} committed transactions while the demo trust was built and the "
           f"scheduled jobs ran; {audited} changed a record, each with its audit event in the same transaction; "
           f"without: {unaudited_count}")
    assert audited > 500 and unaudited == Counter(), unaudited.most_common()

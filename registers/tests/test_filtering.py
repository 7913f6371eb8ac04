"""Filtering and monitoring (rule I6): named roles, the annual review, and the breach log read from
concerns (A5), linking only where the reader may open the concern."""

import uuid
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from concerns.actions import Report, submit_concern
from registers import actions, status
from registers.actions import RegisterError
from registers.models import FilteringRole
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def breach(world, school=None, user=None):
    concern, _ = submit_concern(user=user or world.tom, school=school or world.oakfield, idempotency_key=uuid.uuid4(),
                                report=Report(incident_type="filtering-breach", account="A blocked site got through.",
                                              children=[], dsl_told_in_person=True))
    return concern


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i6_named_roles_keep_their_history(world):
    assert len(status.filtering_status(world.oakfield, date(2026, 3, 2))["missing_roles"]) == 4
    actions.name_filtering_role(user=world.diana, school=world.oakfield, role="provider", name="Safe Net Ltd")
    actions.name_filtering_role(user=world.diana, school=world.oakfield, role="provider", name="Clear Filter Co",
                                contact="help@clearfilter.example")
    with pytest.raises(RegisterError, match="name"):
        actions.name_filtering_role(user=world.diana, school=world.oakfield, role="dsl", name="")
    current = status.filtering_status(world.oakfield, date(2026, 3, 2))
    assert dict(current["holders"])["Filtering and monitoring provider"].name == "Clear Filter Co"
    assert FilteringRole.objects.filter(role="provider").count() == 2  # the earlier holder stays


def test_r_i6_the_annual_review_falls_due(world):
    with time_machine.travel("2025-03-02 10:00Z", tick=False):
        review = actions.record_filtering_review(user=world.diana, school=world.oakfield,
                                                 reviewed_on=date(2025, 3, 1), reviewed_by="Hana Head, Terry Tech",
                                                 findings="Blocklist updated; monitoring alerts now go to the DSL.")
        assert review.next_due == date(2026, 3, 1)
        with pytest.raises(RegisterError, match="by 1 March 2026"):
            actions.record_filtering_review(user=world.diana, school=world.oakfield, reviewed_on=date(2025, 3, 1),
                                            reviewed_by="x", findings="y", next_due=date(2026, 6, 1))
    assert not status.filtering_status(world.oakfield, date(2026, 3, 1))["review_overdue"]
    assert status.filtering_status(world.oakfield, date(2026, 3, 2))["review_overdue"]


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i6_the_breach_log_lists_breaches_and_links_only_for_recipients(client, world,
                                                                          django_assert_max_num_queries):
    concerns = [breach(world) for _ in range(8)]
    breach(world, world.elmtree, world.eve)  # another school's breach is not on Oakfield's log
    submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(),
                   report=Report(incident_type="cyberbullying", account="Mean messages.", children=[],
                                 dsl_told_in_person=True))
    assert len(status.breach_log(world.oakfield)) == 8
    sign_in(client, world.diana)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("registers:filtering")).content.decode()
    assert f'href="{reverse("concerns:detail", args=[concerns[0].id])}"' in page
    sign_in(client, world.hana)  # manages registers, but breaches are for the DSL team: no link
    page = client.get(reverse("registers:filtering")).content.decode()
    assert concerns[0].reference in page and reverse("concerns:detail", args=[concerns[0].id]) not in page

"""Policies (rule I1): owner, approval, review dates (annual or brought forward with the reason), and
overdue alerts to the owner and the headteacher, once per overdue review."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from registers import actions
from registers.actions import RegisterError
from registers.models import Policy
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def add(world, title="Online safety policy", **extra):
    fields = dict(user=world.diana, school=world.oakfield, title=title, owner=world.dev,
                  approved_by="Full governing body", approved_on=date(2025, 3, 10),
                  link="https://oakfield.example/online-safety")
    return actions.add_policy(**fields | extra)


@time_machine.travel("2025-11-01 10:00Z", tick=False)
def test_r_i1_next_review_is_a_year_after_approval_or_last_review(world):
    assert add(world).next_review_on == date(2026, 3, 10)
    later = add(world, title="Mobile phones policy", last_reviewed_on=date(2025, 6, 30))
    assert later.next_review_on == date(2026, 6, 30) and later.next_review_reason == ""
    assert AuditEvent.objects.filter(object_type="register_policy", action="create").count() == 2


@time_machine.travel("2025-11-01 10:00Z", tick=False)
def test_r_i1_a_policy_needs_a_link_or_a_reference_and_an_owner_on_the_staff(world):
    with pytest.raises(RegisterError, match="link"):
        add(world, link="")
    with pytest.raises(RegisterError, match="owner"):
        add(world, owner=world.eve)
    with pytest.raises(RegisterError, match="owner"):
        add(world, owner=world.gina)  # a governor is not on the staff
    assert not Policy.objects.exists()


@time_machine.travel("2025-11-01 10:00Z", tick=False)
def test_r_i1_a_review_sets_the_next_one_annually_or_sooner_with_the_reason(world):
    policy = add(world)
    review = actions.record_policy_review(user=world.diana, policy=policy, reviewed_on=date(2025, 10, 20),
                                          notes="No changes.")
    policy.refresh_from_db()
    assert policy.next_review_on == date(2026, 10, 20) and policy.last_reviewed_on == date(2025, 10, 20)
    assert review.next_review_reason == ""
    with pytest.raises(RegisterError, match="why"):
        actions.record_policy_review(user=world.diana, policy=policy, reviewed_on=date(2025, 10, 30),
                                     notes="Added AI tools.", next_review_on=date(2026, 2, 1))
    with pytest.raises(RegisterError, match="by 30 October 2026"):
        actions.record_policy_review(user=world.diana, policy=policy, reviewed_on=date(2025, 10, 30),
                                     notes="Added AI tools.", next_review_on=date(2027, 2, 1), reason="x")
    actions.record_policy_review(user=world.diana, policy=policy, reviewed_on=date(2025, 10, 30),
                                 notes="Added AI tools.", next_review_on=date(2026, 2, 1),
                                 reason="New AI tools in class from January")
    policy.refresh_from_db()
    assert (policy.next_review_on, policy.next_review_reason) == (date(2026, 2, 1),
                                                                  "New AI tools in class from January")
    assert policy.reviews.count() == 2


@time_machine.travel("2025-11-01 10:00Z", tick=False)
def test_r_i1_a_significant_change_brings_the_review_forward_with_its_reason(world):
    policy = add(world)
    with pytest.raises(RegisterError, match="significant change"):
        actions.bring_policy_review_forward(user=world.diana, policy=policy, next_review_on=date(2025, 12, 1),
                                            reason=" ")
    with pytest.raises(RegisterError, match="before the review now due"):
        actions.bring_policy_review_forward(user=world.diana, policy=policy, next_review_on=date(2026, 6, 1),
                                            reason="New phones")
    actions.bring_policy_review_forward(user=world.diana, policy=policy, next_review_on=date(2025, 12, 1),
                                        reason="Pupils given tablets to take home")
    policy.refresh_from_db()
    assert policy.next_review_on == date(2025, 12, 1) and policy.next_review_reason.startswith("Pupils given")
    assert AuditEvent.objects.filter(object_type="register_policy", action="update",
                                     object_id=str(policy.id)).exists()


def test_r_i1_overdue_review_alerts_owner_and_headteacher_once(world):
    with time_machine.travel("2025-11-01 10:00Z", tick=False):
        policy = add(world)
        assert actions.alert_overdue_policy_reviews() == 0  # not overdue yet
    with time_machine.travel("2026-03-11 07:00Z", tick=False):
        call_command("alert_overdue_reviews")
        call_command("alert_overdue_reviews")  # cron may run twice: nothing new is sent
        assert actions.alert_overdue_policy_reviews() == 0
    told = Notification.objects.filter(url=reverse("registers:policy", args=[policy.id]))
    assert sorted(n.user.full_name for n in told) == ["Dev Deputy", "Hana Head"]
    assert "overdue" in told[0].text and "Oakfield" in told[0].text
    # A new review date is alerted again once it, in turn, has passed.
    with time_machine.travel("2026-03-12 10:00Z", tick=False):
        actions.record_policy_review(user=world.diana, policy=policy, reviewed_on=date(2026, 3, 12), notes="Done",
                                     next_review_on=date(2026, 4, 1), reason="Trial of new filtering")
    with time_machine.travel("2026-04-02 07:00Z", tick=False):
        assert actions.alert_overdue_policy_reviews() == 1
    # Still unread, the two notices are brought up to date rather than doubled (one notice per policy and person).
    assert told.all().count() == 2
    assert all("1 April 2026" in n.text for n in told.all())
    # Once read, the next overdue review is a new notice.
    told.update(read_at=timezone.now())
    with time_machine.travel("2026-04-02 09:00Z", tick=False):
        actions.record_policy_review(user=world.diana, policy=policy, reviewed_on=date(2026, 4, 2), notes="Done",
                                     next_review_on=date(2026, 4, 10), reason="Trial extended")
    with time_machine.travel("2026-04-11 07:00Z", tick=False):
        assert actions.alert_overdue_policy_reviews() == 1
    assert told.all().count() == 4


def test_r_i1_the_daily_job_sends_the_same_alerts(world):
    from registers.tasks import alert_overdue_reviews

    with time_machine.travel("2025-11-01 10:00Z", tick=False):
        add(world)
    with time_machine.travel("2026-04-01 07:00Z", tick=False):
        assert alert_overdue_reviews.call() == 1
        assert alert_overdue_reviews.call() == 0


@time_machine.travel("2025-11-01 10:00Z", tick=False)
def test_r_i1_the_register_shows_overdue_and_due_soon(client, world, django_assert_max_num_queries):
    add(world, title="Overdue policy", approved_on=date(2024, 9, 1))
    add(world, title="Due soon policy", approved_on=date(2024, 11, 20))
    for n in range(20):
        add(world, title=f"Policy {n}")
    sign_in(client, world.diana)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("registers:policies")).content.decode()
    assert page.index("Overdue policy") < page.index("Due soon policy") < page.index("Policy 0")
    assert "Overdue" in page and "Due soon" in page
    overview = client.get(reverse("registers:overview")).content.decode()
    assert "1 overdue" in overview and "1 due for review soon" in overview


@time_machine.travel("2025-11-01 10:00Z", tick=False)
def test_r_i1_review_form_brings_forward_only_with_a_reason_and_keeps_what_was_typed(client, world):
    policy = add(world)
    sign_in(client, world.diana)
    url = reverse("registers:policy_review", args=[policy.id])
    page = client.post(url, {"reviewed_on": "2025-10-31", "notes": "Added a section on AI", "next": "sooner",
                             "next_review_on": "2026-01-15"}).content.decode()
    assert "Say why the next review is sooner" in page and "Added a section on AI" in page
    response = client.post(url, {"reviewed_on": "2025-10-31", "notes": "Added a section on AI", "next": "sooner",
                                 "next_review_on": "2026-01-15", "reason": "New AI guidance"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.next_review_on == date(2026, 1, 15) and policy.next_review_reason == "New AI guidance"

"""Email that a DSL can act on (A1, E7): what cannot wait is emailed at once; the rest goes into one digest per
person at the school's times on school days, through a real SMTP server, each line with the reference, what is
needed and by when, and no child's name or detail."""

from datetime import datetime
from email import message_from_string

import pytest
import time_machine
from django.utils import timezone

from cases import actions as case_actions
from cases.tests.helpers import make_case
from notifications.digest import send_due_digests
from notifications.models import DigestTimes, Notification
from notifications.tasks import email_notifications

pytestmark = pytest.mark.django_db

# Thursday 3 December 2026, 15:31 in London (GMT): the afternoon digest (15:30) is due.
THURSDAY_AFTERNOON = "2026-12-03 15:31Z"


@pytest.fixture
def smtp(smtp, settings):
    """The shared SMTP server (conftest.py), with the trust's sender and the address replies go to."""
    settings.DEFAULT_FROM_EMAIL = "Harbour at Brightwater <harbour@brightwater.example>"
    settings.HARBOUR_EMAIL_REPLY_TO = "safeguarding@brightwater.example"
    return smtp


def overdue_case(world):
    """A case at Oakfield whose steps are all overdue and escalated: a digest notice for each of its team."""
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        case = make_case(world, account="Zebedee said a photo of him is going round the group chat.")
    Notification.objects.update(read_at=timezone.now())  # the concern's own notices are not what is tested here
    with time_machine.travel("2026-12-03 14:00Z", tick=False):
        for task_id in case.tasks.overdue().values_list("id", flat=True):
            case_actions.escalate_task(task_id=task_id)
    return case


def test_r_e7_one_digest_per_person_with_references_and_due_times_and_no_child(world, smtp):
    case = overdue_case(world)
    waiting = Notification.objects.unread().filter(emailed_at=None)
    assert waiting.count() >= 2 and not waiting.filter(urgent=True).exists()
    people = sorted(waiting.values_list("user__email", flat=True).distinct())
    with time_machine.travel(THURSDAY_AFTERNOON, tick=False):
        assert send_due_digests() == len(people)
        assert send_due_digests() == 0  # each slot once
    assert sorted(to for tos, _ in smtp for to in tos) == people  # one digest each
    for _, raw in smtp:
        message = message_from_string(raw)
        assert message["From"] == "Harbour at Brightwater <harbour@brightwater.example>"
        assert message["Reply-To"] == "safeguarding@brightwater.example"
        assert "waiting for you at Oakfield" in message["Subject"]
        body = message.get_payload(decode=True).decode()
        assert f"Case {case.reference} at Oakfield" in body and "the earliest due 1 December 2026" in body
        assert f"/cases/{case.id}/#tasks" in body
        for secret in [world.pupil.legal_first_name, world.pupil.legal_last_name, "Zebedee", "photo", "group chat"]:
            assert secret not in raw
    assert not Notification.objects.unread().filter(emailed_at=None).exists()


def digests_at(moment, *, last_sent):
    """Send what is due at `moment` (UTC, which is London time in winter), the school's last digest at `last_sent`."""
    Notification.objects.update(emailed_at=None)
    DigestTimes.objects.filter(school__slug="oakfield").update(last_sent_at=datetime.fromisoformat(last_sent))
    with time_machine.travel(moment, tick=False):
        return send_due_digests()


def test_digests_wait_for_the_schools_own_time_on_a_school_day(world, smtp):
    with time_machine.travel("2026-11-30 09:00Z", tick=False):
        case = make_case(world)
    with time_machine.travel("2026-12-02 10:00Z", tick=False):
        for task_id in case.tasks.overdue().values_list("id", flat=True):
            case_actions.escalate_task(task_id=task_id)
    DigestTimes.objects.create(school=world.oakfield, times=["12:00"])
    # Thursday: nothing before noon, the digest after it.
    assert digests_at("2026-12-03 11:59Z", last_sent="2026-12-02 12:00Z") == 0
    assert digests_at("2026-12-03 12:01Z", last_sent="2026-12-02 12:00Z") > 0
    # Saturday and Sunday are not school days: nothing after Friday's until Monday's.
    assert digests_at("2026-12-05 12:30Z", last_sent="2026-12-04 12:00Z") == 0
    assert digests_at("2026-12-06 12:30Z", last_sent="2026-12-04 12:00Z") == 0
    assert digests_at("2026-12-07 12:01Z", last_sent="2026-12-04 12:00Z") > 0
    # Christmas Day and Monday 28 December (Boxing Day's substitute) are bank holidays.
    assert digests_at("2026-12-28 12:30Z", last_sent="2026-12-24 12:00Z") == 0
    assert digests_at("2026-12-29 12:01Z", last_sent="2026-12-24 12:00Z") > 0


def test_r_a1_urgent_notices_are_emailed_at_once_and_never_again_in_the_digest(world, smtp):
    from cases.tests.helpers import make_concern

    concern = make_concern(world)
    urgent = list(Notification.objects.filter(urgent=True).values_list("id", flat=True))
    assert urgent and email_notifications.call(urgent) == len(urgent)
    for _, raw in smtp:
        assert concern.reference in raw and "acknowledge it by" in raw
    smtp.clear()
    with time_machine.travel(THURSDAY_AFTERNOON, tick=False):
        assert send_due_digests() == 0
    assert smtp == []

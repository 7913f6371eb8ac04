"""An email's subject is short enough to read in an inbox list (A1, B6, E1, E7, J4, J8): what is needed, by when,
and the reference, never who or what happened; the body keeps the whole notice. Each kind of notice, as its action
keys it, and a sign-off's deadline taken from the procedure's clock."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from cases import actions as case_actions
from cases.actions.decisions import sign_off_due
from cases.tests.helpers import ALL_NO, make_case
from lib.i18n import when_in_words
from notifications.email import subject_for
from notifications.models import Notification
from notifications.tasks import email_notifications
from schools.models import School

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 12, 7, 9, 0))
SOON = NOW + timedelta(hours=5, minutes=30)  # 2:30pm today
TOMORROW = NOW + timedelta(days=1)
PAST = NOW - timedelta(days=2)

# (key, reference, due_at, what the subject must say of the deadline, or None where the notice has none)
KINDS = [
    ("concern:1", "C000123", SOON, "by 2:30pm"),
    ("concern:1", "C000123", PAST, "now"),  # escalated: the deadline has passed
    ("encompass:1", "C000123", TOMORROW, "by 8 December"),
    ("key-adult:1", "C000123", None, "before school starts"),
    ("pupil-more:1", "C000123", None, None),
    ("opened:1", "K000030", None, "today"),
    ("referral:K000030", "K000030", NOW, "today"),
    ("sign-off:1", "K000030", TOMORROW, "by 8 December"),
    ("viewing:1", "K000030", None, None),
    ("disposal:1", "K000030", None, None),
    ("overdue:K000030", "K000030", PAST, "since 5 December"),
    ("", "K000030", TOMORROW, "by 8 December"),
    ("policy-review:1", "", None, "overdue"),
    ("filtering-review:1", "", None, "overdue"),
    ("", "", TOMORROW, "by 8 December"),  # a file sent from another school: receive it by then
]


@pytest.mark.parametrize(("key", "reference", "due", "deadline"), KINDS)
def test_r_a1_e7_every_kind_of_notice_has_a_short_subject_with_its_reference_and_deadline(key, reference, due,
                                                                                          deadline, world):
    school = School(name="The Long-Named Saint Bartholomew's Church of England Voluntary Aided Primary School",
                    nation="england")
    notice = Notification(school=school, key=key, reference=reference, due_at=due, text="x" * 300)
    with translation.override("en"):
        subject = subject_for(notice, now=NOW)
    assert subject.startswith("Harbour: ") and len(subject) <= 80, subject
    assert reference in subject and school.name not in subject
    if deadline:
        assert deadline in subject, subject
    assert "x" * 10 not in subject  # the notice's own words stay in the body


def test_r_j8_the_case_opened_subject_names_the_role_as_each_nation_does(world):
    words = {"england": "the DSL", "wales": "the DSP", "scotland": "the child protection coordinator",
             "northern_ireland": "the designated teacher"}
    for nation, role in words.items():
        notice = Notification(school=School(name="Oakfield", nation=nation), key="opened:1", reference="K000030")
        subject = subject_for(notice, now=NOW)
        assert subject == f"Harbour: speak to {role} today (K000030)" and len(subject) <= 80


def test_r_b6_a_sign_off_is_asked_by_the_referral_decisions_deadline_in_the_notice_and_its_email(world):
    case = make_case(world)
    case_actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = case_actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    due = sign_off_due(case)
    assert due is not None
    [notice] = Notification.objects.filter(user=world.hana, key=f"sign-off:{decision.id}")
    assert notice.due_at == due and notice.text.endswith(f"by {when_in_words(due)}")
    assert "as soon as you can" not in notice.text
    mail.outbox.clear()
    email_notifications.call([notice.id])
    [email] = [m for m in mail.outbox if world.hana.email in m.to]
    assert case.reference in email.subject and "sign off" in email.subject and len(email.subject) <= 80
    assert notice.text in email.body


def test_r_b6_without_a_clock_the_sign_off_notice_says_plainly_that_none_is_set(world):
    case = make_case(world)
    case_actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    case.tasks.update(due_at=None)
    decision = case_actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    [notice] = Notification.objects.filter(user=world.hana, key=f"sign-off:{decision.id}")
    assert notice.due_at is None and "sets no deadline" in notice.text
    assert subject_for(notice) == f"Harbour: sign off a decision ({case.reference})"


def test_r_j8_a_welsh_readers_subject_gives_its_deadline_in_welsh(world):
    school = School(name="Ysgol Derwen", nation="wales")
    today = Notification(school=school, key="concern:1", reference="C000123", due_at=SOON)
    later = Notification(school=school, key="encompass:1", reference="C000123", due_at=TOMORROW)
    with translation.override("cy"):
        assert "2:30yp" in subject_for(today, now=NOW) and "8 Rhagfyr" in subject_for(later, now=NOW)

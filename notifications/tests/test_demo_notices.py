"""After the demo is seeded and the overdue safety net has run, the Riverside DSL's notices are signal, not noise
(A1, E7): at most 20 unread, no two alike, each naming its reference and leading to its item, none naming a child.
Before this change the same DSL had 111 unread notices in 3 distinct texts, and 111 emails."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from concerns.models import ConcernChild
from notifications.digest import send_due_digests
from notifications.models import Notification
from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_dsl(db):
    call_command("seed_demo", verbosity=0)
    call_command("escalate_overdue_tasks", verbosity=0)
    return User.objects.get(email="dsl@riverside.example")


def test_r_a1_r_e7_the_demo_dsl_has_few_unread_notices_each_distinct_and_leading_to_its_item(client, demo_dsl):
    notices = list(Notification.objects.filter(user=demo_dsl).unread().select_related("school"))
    assert 0 < len(notices) <= 20
    assert len({n.text for n in notices}) == len(notices)
    children = ConcernChild.objects.filter(concern__school__slug="riverside").select_related("pupil")
    names = {p for c in children for p in (c.pupil.legal_first_name, c.pupil.legal_last_name)}
    sign_in(client, demo_dsl)
    for notice in notices:
        assert not any(re.search(rf"\b{re.escape(name)}\b", notice.text) for name in names), notice.text
        if notice.kind != Notification.Kind.OTHER:
            assert re.fullmatch(r"[CK]\d{6}", notice.reference) and notice.reference in notice.text
        response = client.post(reverse("notifications:open", args=[notice.id]))
        assert response.status_code == 302 and response["Location"] == notice.url
        assert client.get(notice.url.split("#")[0]).status_code == 200, notice.url
    assert not Notification.objects.filter(user=demo_dsl).unread().exists()  # each marked read as it was opened


def test_r_a1_the_demo_dsl_gets_one_digest_for_what_can_wait(demo_dsl, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    waiting = list(Notification.objects.filter(user=demo_dsl, urgent=False).unread())
    assert waiting  # the overdue steps, one notice per case
    assert send_due_digests() >= 1  # the latest school-day slot has come, whenever this runs
    [digest] = [m for m in mail.outbox if demo_dsl.email in m.to]
    assert all(n.text in digest.body for n in waiting)
    assert send_due_digests() == 0

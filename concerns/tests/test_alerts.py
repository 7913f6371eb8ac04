"""The DSL is alerted at once; the email goes through a real SMTP server and names no child."""

import pytest

from concerns.models import Concern
from notifications.models import Notification
from notifications.tasks import email_notifications
from tests.people import sign_in

from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db


def test_r_a1_alert_emails_name_no_child_and_no_detail(client, world, smtp):
    received = smtp
    sign_in(client, world.tom)
    client.post(REPORT, report_data(world)[0])
    concern = Concern.objects.get()
    ids = list(Notification.objects.values_list("id", flat=True))
    assert email_notifications.call(ids) == 2
    assert sorted(to for tos, _ in received for to in tos) == ["dev@oakfield.example", "diana@oakfield.example"]
    for _, message in received:
        assert "Oakfield Primary" in message and f"/concerns/{concern.id}/" in message
        for secret in ["Quentin", "Puddlewick", "Milo", "Bramblecott", "group chat", "photo", "Tom Teacher"]:
            assert secret not in message
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    assert email_notifications.call(ids) == 0  # never twice

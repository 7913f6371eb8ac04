"""The DSL is alerted at once; the email goes through a real SMTP server and names no child."""

import socket

import pytest

from concerns.models import Concern
from notifications.models import Notification
from notifications.tasks import email_notifications
from tests.people import sign_in

from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode()))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_r_a1_alert_emails_name_no_child_and_no_detail(client, world, settings, smtp_server):
    port, received = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
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

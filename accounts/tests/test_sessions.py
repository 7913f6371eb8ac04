"""Idle and absolute session limits; deactivation ends sessions at once and keeps history."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.actions import deactivate_user
from audit.log import Action, record
from audit.models import AuditEvent
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def test_an_idle_session_ends_after_the_idle_limit(client, world, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.diana)
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=settings.HARBOUR_IDLE_TIMEOUT_MINUTES - 1))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=settings.HARBOUR_IDLE_TIMEOUT_MINUTES + 1))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        page = client.get(response["Location"])
        assert b"without activity" in page.content


def test_an_active_session_still_ends_at_the_absolute_limit(client, world, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.diana)
        assert client.get(reverse("home")).status_code == 200
        elapsed = 0
        while elapsed < settings.HARBOUR_ABSOLUTE_TIMEOUT_MINUTES - 20:
            clock.shift(timedelta(minutes=20))
            elapsed += 20
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 302


def test_a_deactivated_account_loses_its_session_at_once(client, world):
    sign_in(client, world.tom)
    assert client.get(reverse("home")).status_code == 200
    deactivate_user(user=world.tom, by=world.hana)
    assert client.get(reverse("home")).status_code == 302


def test_audit_rows_survive_deactivating_a_user_who_is_never_deleted(world):
    record(actor=world.tom, action=Action.VIEW, object_type="pupil", object_id=world.pupil.id)
    deactivate_user(user=world.tom, by=world.hana)
    event = AuditEvent.objects.filter(actor=world.tom).get()
    assert event.actor_name == "Tom Teacher"
    assert AuditEvent.objects.filter(actor=world.hana, object_type="user", object_id=str(world.tom.id),
                                     changed_fields=["deactivated_at", "is_active"]).exists()
    with pytest.raises(RuntimeError, match="never deletes"):
        world.tom.delete()
    world.tom.refresh_from_db()
    assert world.tom.is_active is False and world.tom.deactivated_at is not None

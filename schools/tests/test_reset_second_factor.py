"""Someone who has lost their phone or their recovery codes: whoever manages people at the school resets their
authenticator app, choosing why (B10), so that they set up a new one when they next sign in (S1). Audited, told
to the person by email, and a session that was verified with the old app is asked again at once."""

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from accounts.invitations import email_second_factor_reset
from audit.models import AuditEvent
from tests.people import sign_in

pytestmark = pytest.mark.django_db
PEOPLE = reverse("schools:people")


def page(user):
    return reverse("schools:reset_second_factor", args=[user.id])


def test_access_ladder(client, world):
    assert client.get(page(world.diana)).status_code == 302  # anonymous: to sign-in
    for stranger in (world.otto, world.eve, world.diana, world.hana, world.tom):  # other trust or school, wrong roles
        client.logout()
        sign_in(client, stranger)
        assert client.get(page(world.diana)).status_code == 404, stranger
        assert client.post(page(world.diana), {"reason": "lost_phone"}).status_code == 404, stranger
    assert TOTPDevice.objects.filter(user=world.diana).exists()
    client.logout()
    sign_in(client, world.adam)  # the trust administrator
    assert "Reset Diana Dsl’s security code app" in client.get(page(world.diana)).content.decode()
    assert client.get(page(world.eve)).status_code == 404  # someone of another trust's school looks missing
    assert client.get(reverse("schools:reset_second_factor", args=[999999])).status_code == 404


def test_r_s1_the_app_is_removed_the_person_told_and_their_verified_session_asked_again(
        client, world, django_capture_on_commit_callbacks):
    StaticDevice.objects.create(user=world.diana, name="Recovery codes", confirmed=True)
    diana = sign_in(type(client)(), world.diana)
    assert diana.get("/").status_code == 200
    sign_in(client, world.adam)
    assert f'href="{page(world.diana)}"' in client.get(PEOPLE).content.decode()
    assert f'href="{page(world.tom)}"' not in client.get(PEOPLE).content.decode()  # Tom has no app to reset
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(world.diana), {"reason": "lost_phone"})
    assert response.status_code == 302 and response["Location"] == f"{PEOPLE}?reset={world.diana.id}"
    assert "Diana Dsl’s security code app is reset." in client.get(response["Location"]).content.decode()
    assert not TOTPDevice.objects.filter(user=world.diana).exists()
    assert not StaticDevice.objects.filter(user=world.diana).exists()
    event = AuditEvent.objects.get(object_type="user", object_id=str(world.diana.id),
                                   changed_fields=["second_factor"])
    assert (event.actor_id, event.detail) == (world.adam.id, {"reason": "lost_phone", "devices_removed": 2})

    asked = diana.get("/")
    assert asked.status_code == 302 and "/account/two-factor/" in asked["Location"]

    (job,) = DBTaskResult.objects.filter(task_path="accounts.invitations.email_second_factor_reset")
    assert email_second_factor_reset.call(**job.args_kwargs["kwargs"]) == 1
    (message,) = mail.outbox
    assert message.to == ["diana@oakfield.example"] and "Your password has not changed" in message.body
    assert "If you did not ask for this" in message.body


def test_r_b10_the_reason_must_be_chosen_and_nothing_changes_without_it(client, world):
    sign_in(client, world.adam)
    for posted in ({}, {"reason": "because"}):
        response = client.post(page(world.diana), posted)
        assert response.status_code == 200 and "Choose why you are resetting it." in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.diana).exists()
    assert not AuditEvent.objects.filter(changed_fields=["second_factor"]).exists()

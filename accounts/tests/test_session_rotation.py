"""Rule S1: the session key changes when the second factor succeeds, not only after the password.

A session key seen or planted while only the password had been checked (a shared computer, a key set by a
fixation attack) must not become a fully signed-in session once the real person types their code.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import replace_recovery_codes
from tests.people import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def password_step(client, email):
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client.session.session_key


def code_of(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def assert_rotated(client, before):
    after = client.session.session_key
    assert after and after != before
    # The password-only key is gone from the store: whoever holds it holds nothing.
    assert not SessionStore().exists(before)
    assert client.get(reverse("home")).status_code == 200


def test_r_s1_an_app_code_gives_the_session_a_new_key(client, world):
    before = password_step(client, "diana@oakfield.example")
    response = client.post(reverse("accounts:verify"), {"code": code_of(TOTPDevice.objects.get(user=world.diana))})
    assert response.status_code == 302
    assert_rotated(client, before)


def test_r_s1_a_recovery_code_gives_the_session_a_new_key(client, world):
    codes = replace_recovery_codes(user=world.diana)
    before = password_step(client, "diana@oakfield.example")
    assert client.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 302
    assert_rotated(client, before)


def test_r_s1_enrolling_an_app_gives_the_session_a_new_key(client, world):
    newcomer = make_user("nia@oakfield.example", "Nia New", school=world.oakfield, role="dsl", with_device=False)
    before = password_step(client, newcomer.email)
    assert client.get(reverse("accounts:setup")).status_code == 200
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    # A moment later, so the code is not the one django-otp just refused to reuse.
    with time_machine.travel(timezone.now() + timedelta(seconds=1), tick=False):
        response = client.post(reverse("accounts:setup"), {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:recovery_codes"))
    # The codes issued at enrolment still reach the new session, once.
    assert "<li>" in client.get(response["Location"]).content.decode()
    assert_rotated(client, before)


def test_a_wrong_code_keeps_the_session_key_and_signs_in_no_further(client, world):
    before = password_step(client, "diana@oakfield.example")
    client.post(reverse("accounts:verify"), {"code": "000000" if code_of(TOTPDevice.objects.get(user=world.diana))
                                             != "000000" else "111111"})
    assert client.session.session_key == before
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))

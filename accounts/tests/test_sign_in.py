"""Signing in: email and password, lockout keyed on the person and the place (S2)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
SIGN_IN = "/account/sign-in/"


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_correct_password_leads_to_the_code_check_and_is_audited(client, world):
    response = attempt(client, "Diana@Oakfield.example", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))
    assert AuditEvent.objects.filter(actor=world.diana, action="sign_in").exists()


def test_a_wrong_password_is_refused_with_a_clear_message_and_audited(client, world):
    response = attempt(client, "diana@oakfield.example", "not the password at all")
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert AuditEvent.objects.filter(action="denied", object_type="session").exists()


def test_r_s2_repeated_failures_lock_that_account_at_that_address(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "diana@oakfield.example", "wrong guess 123456").status_code == 200
    assert attempt(client, "diana@oakfield.example", "wrong guess 123456").status_code == 429
    # Even the right password is refused now, from here.
    assert attempt(client, "diana@oakfield.example", PASSWORD).status_code == 429


def test_r_s2_locking_one_person_does_not_lock_the_school_sharing_their_ip(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "diana@oakfield.example", "wrong guess 123456")
    assert attempt(client, "diana@oakfield.example", PASSWORD).status_code == 429
    # A colleague on the same school network signs in as usual.
    assert attempt(client, "dev@oakfield.example", PASSWORD).status_code == 302


def test_r_s2_long_passphrases_are_welcome_and_weak_passwords_refused(world):
    validate_password("the tide came in over the harbour wall at dawn " * 4, world.diana)
    with pytest.raises(ValidationError):
        validate_password("password123", world.diana)
    with pytest.raises(ValidationError):
        validate_password("short1", world.diana)


def test_signing_out_needs_a_post_and_ends_the_session(client, world):
    from tests.people import sign_in

    sign_in(client, world.diana)
    assert client.get("/account/sign-out/").status_code == 405
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get(reverse("home")).status_code == 302

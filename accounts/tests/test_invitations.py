"""Staff choose their own password from a one-time link (imported staff have none, and Harbour never emails
a password). Rule S1 follows: a role that reads case records then sets up its second factor."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import email_invitation
from accounts.models import User
from audit.models import AuditEvent
from tests.people import sign_in

pytestmark = pytest.mark.django_db
PEOPLE = reverse("schools:people")
GOOD = "river kettle lantern orchard"


@pytest.fixture
def imported(world):
    """Tom as the MIS import leaves him: an account with no usable password."""
    User.objects.filter(id=world.tom.id).update(password=make_password(None))
    world.tom.refresh_from_db()
    return world.tom


def invite(client, world, user, django_capture_on_commit_callbacks):
    sign_in(client, world.adam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:invite", args=[user.id]))
    assert response.status_code == 302
    mail.outbox.clear()
    assert email_invitation.call(user_id=user.id, school_name=world.oakfield.name) == 1
    (message,) = mail.outbox
    return message, re.search(r"http://\S+/account/welcome/\S+/", message.body).group(0)


def test_people_page_access_ladder(client, world):
    assert client.get(PEOPLE).status_code == 302  # anonymous: to sign-in
    for stranger in (world.otto, world.eve, world.diana, world.tom, world.gina):  # other trust/school, wrong roles
        client.logout()
        sign_in(client, stranger)
        assert client.get(PEOPLE).status_code == 404, stranger
        assert client.post(reverse("schools:invite", args=[world.tom.id])).status_code == 404, stranger
    client.logout()
    sign_in(client, world.adam)
    page = client.get(PEOPLE).content.decode()
    assert "Tom Teacher" in page and "Diana Dsl" in page
    assert "Eve Elsewhere" not in page  # another trust's school


def test_someone_from_another_school_looks_missing(client, world):
    sign_in(client, world.adam)
    assert client.post(reverse("schools:invite", args=[world.eve.id])).status_code == 404
    assert client.post(reverse("schools:invite", args=[999999])).status_code == 404
    assert not mail.outbox


def test_r_s1_an_imported_teacher_chooses_a_password_from_the_link_and_then_signs_in(
        client, world, imported, django_capture_on_commit_callbacks):
    assert not imported.has_usable_password()
    message, link = invite(client, world, imported, django_capture_on_commit_callbacks)
    assert message.to == ["tom@oakfield.example"] and "within 3 days" in message.body
    assert "Link sent" in client.get(PEOPLE).content.decode()
    client.logout()

    # The token leaves the address bar: Django moves it into the session and redirects.
    response = client.get(link)
    assert response.status_code == 302 and "set-password" in response["Location"]
    form_url = response["Location"]
    page = client.get(form_url).content.decode()
    assert "Choose your password" in page and "tom@oakfield.example" in page

    weak = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    done = client.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login") + "?welcome=1"
    assert "Your password is saved" in client.get(done["Location"]).content.decode()
    signed_in = client.post(reverse("accounts:login"), {"username": "tom@oakfield.example", "password": GOOD})
    assert signed_in.status_code == 302 and client.get(reverse("home")).status_code == 200
    client.logout()

    # The link works once.
    client.cookies.clear()
    again = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in again

    events = AuditEvent.objects.filter(object_type__in=["invitation", "user"], object_id=str(imported.id))
    assert {(e.object_type, e.action) for e in events} == {("invitation", "create"), ("user", "update")}
    trail = " ".join(str(e.detail) for e in events)
    assert link.rstrip("/").split("/")[-1] not in trail  # the token is never written down


def test_the_link_expires_after_3_days(client, world, imported, django_capture_on_commit_callbacks):
    _, link = invite(client, world, imported, django_capture_on_commit_callbacks)
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=3, hours=1)):
        page = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in page


def test_a_closed_account_gets_no_link(client, world, imported):
    from accounts.actions import deactivate_user

    deactivate_user(user=imported, by=world.adam)
    sign_in(client, world.adam)
    response = client.post(reverse("schools:invite", args=[imported.id]))
    assert response.status_code == 409 and "account is closed" in response.content.decode()
    assert not mail.outbox


def test_the_email_never_holds_a_password_or_a_child(client, world, imported, django_capture_on_commit_callbacks):
    message, link = invite(client, world, imported, django_capture_on_commit_callbacks)
    assert GOOD not in message.body and world.pupil.legal_last_name not in message.body
    assert message.body.count("http") == 1

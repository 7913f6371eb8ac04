"""Someone who has forgotten their password asks for a link to choose a new one (S1: the second factor is still
asked after it). The page answers the same for every address, known or not, so it tells no one who has an account;
the link goes only to the account's own address, at most once every 10 minutes; the link works once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.invitations import email_reset_link
from audit.models import AuditEvent
from tests.people import sign_in

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:forgotten_password")
GOOD = "quiet harbour lantern morning"


def ask(client, email):
    response = client.post(PAGE, {"email": email})
    assert response.status_code == 200
    return response.content.decode()


def queued():
    """What the page asked the worker to do, and that done as the worker would."""
    (job,) = DBTaskResult.objects.all()
    assert job.task_path == "accounts.invitations.email_reset_link"
    DBTaskResult.objects.all().delete()
    return job.args_kwargs["kwargs"], email_reset_link.call(**job.args_kwargs["kwargs"])


def test_the_sign_in_page_offers_it_and_anyone_can_open_it(client, world):
    assert 'href="/account/password/forgotten/"' in client.get(reverse("accounts:login")).content.decode()
    assert client.get(PAGE).status_code == 200  # signed out
    sign_in(client, world.tom)
    assert client.get(PAGE).status_code == 200  # signed in: no harm, nothing of anyone shown


def test_r_s1_a_known_address_gets_a_link_that_works_once_and_the_code_is_still_asked(client, world):
    page = ask(client, "Tom@Oakfield.example")
    assert "Check your email" in page
    kwargs, sent = queued()
    assert kwargs == {"user_id": world.tom.id} and sent == 1
    (message,) = mail.outbox
    assert message.to == ["tom@oakfield.example"] and message.subject == "Harbour: choose a new password"
    assert "within 3 days" in message.body and "If it was not you, you need do nothing" in message.body
    link = re.search(r"http://\S+/account/welcome/\S+/", message.body).group(0)
    form_url = client.get(link)["Location"]
    saved = client.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert saved.status_code == 302
    assert client.get(link).status_code == 200 and "This link no longer works" in client.get(
        client.get(link).get("Location", link)).content.decode()
    world.tom.refresh_from_db()
    assert world.tom.check_password(GOOD)
    event = AuditEvent.objects.filter(object_type="password_link", object_id=str(world.tom.id)).get()
    assert event.actor_id is None and event.detail == {"asked": "forgotten password", "days": 3}


def test_an_unknown_or_closed_address_gets_the_same_page_and_the_same_one_job_but_no_email(client, world):
    known = ask(client, "tom@oakfield.example")
    queued()
    mail.outbox.clear()
    world.gina.is_active, world.gina.deactivated_at = False, timezone.now()
    world.gina.save(update_fields=["is_active", "deactivated_at"])
    for address in ("nobody@oakfield.example", world.gina.email):
        page = ask(client, address)
        assert same(page, address) == same(known, "tom@oakfield.example")
        kwargs, sent = queued()
        assert sent == 0 and kwargs in ({"user_id": None}, {"user_id": world.gina.id})
    assert mail.outbox == []


def same(page, address):
    """The page with the address typed and what differs on every page (nonce, form token) taken out."""
    page = re.sub(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return page.replace(address, "ADDRESS")


def test_asking_again_within_10_minutes_sends_nothing_new_and_after_that_a_new_link(client, world):
    ask(client, "tom@oakfield.example")
    assert queued()[1] == 1
    ask(client, "tom@oakfield.example")
    assert queued()[1] == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        ask(client, "tom@oakfield.example")
        assert queued()[1] == 1
    assert len(mail.outbox) == 2


def test_a_mistyped_address_is_explained_and_kept(client):
    response = client.post(PAGE, {"email": "tom at oakfield"})
    page = response.content.decode()
    assert response.status_code == 200 and "Enter your email address, like name@school.sch.uk." in page
    assert 'value="tom at oakfield"' in page
    assert not DBTaskResult.objects.exists()

"""Issue 24: the session read every request makes is plain SQL (accounts/sessions.py), with Django's answer: a live
session's data, nothing for an expired, unknown or tampered key. Rule H3: a session that has ended stays ended."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import SessionStore
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def _saved(data):
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_harbour_uses_its_session_store():
    assert settings.SESSION_ENGINE == "accounts.sessions"
    assert issubclass(SessionStore, django_db_sessions.SessionStore)


def test_h3_a_live_session_loads_its_data_in_one_query_as_djangos_store_does(django_assert_num_queries):
    key = _saved({"a": 1, "b": "two"})
    with django_assert_num_queries(1):
        ours = SessionStore(key).load()
    assert ours == django_db_sessions.SessionStore(key).load() == {"a": 1, "b": "two"}


@pytest.mark.parametrize("how", ["expired", "unknown", "deleted"])
def test_h3_an_ended_session_loads_nothing_and_its_key_is_forgotten_as_django_forgets_it(how):
    key = _saved({"a": 1})
    if how == "expired":
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    elif how == "unknown":
        key = "x" * 32
    else:
        Session.objects.filter(session_key=key).delete()
    ours, theirs = SessionStore(key), django_db_sessions.SessionStore(key)
    assert ours.load() == theirs.load() == {}
    assert ours.session_key is None and theirs.session_key is None  # a new key is made if anything is saved


def test_h3_a_session_expiring_now_is_not_loaded():
    """The comparison is made on the stored form of the time (SQLite compares text): one second past is past."""
    key = _saved({"a": 1})
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=2))
    assert SessionStore(key).load() == {"a": 1}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert SessionStore(key).load() == {}


def test_h3_a_tampered_session_loads_nothing():
    key = _saved({"a": 1})
    Session.objects.filter(session_key=key).update(session_data="not-signed")
    assert SessionStore(key).load() == {}


def test_h3_a_signed_in_person_whose_session_has_expired_is_asked_to_sign_in(client, world):
    sign_in(client, world.diana)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_h3_signing_out_ends_the_session_on_the_next_request(client, world):
    sign_in(client, world.diana)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

"""Issue 24.2: who is signed in, their second factor and their roles are read in one query (accounts/signed_in.py),
and nothing is remembered between requests: whatever ends or narrows a session does so on the very next request.

Rules: S1 (a second factor for anyone who reads case records), H3 (access by role, checked on every request)."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.actions import deactivate_user
from accounts.models import Membership, TrustMembership
from accounts.signed_in import signed_in_user
from cases.tests.helpers import make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db



def _request_for(client, rf):
    request = rf.get("/")
    request.session = client.session
    request.session.keys()  # read the session now, so that only what follows is counted
    return request


def test_s1_the_user_second_factor_and_roles_are_one_query(world, client, rf, django_assert_num_queries):
    """Diana's account, the app her session was verified with and her school and trust roles: one query."""
    TrustMembership.objects.create(user=world.diana, trust=world.trust, role="trust_safeguarding_lead")
    request = _request_for(sign_in(client, world.diana), rf)
    device = TOTPDevice.objects.get(user=world.diana)
    with django_assert_num_queries(1):
        user = signed_in_user(request)
        assert user == world.diana and user.is_verified()
        assert user.otp_device == device and user.otp_device.user_id == world.diana.id
        assert user.access.roles_in(world.oakfield) == {"dsl", "trust_safeguarding_lead"}
        assert user.access.roles_in(world.riverside) == {"trust_safeguarding_lead"}
        assert user.access.roles_in(world.elmtree) == frozenset()
        assert user.access.trust_roles == {world.trust.id: {"trust_safeguarding_lead"}}
        assert user.access.requires_second_factor


def test_h3_roles_read_with_the_user_are_the_roles_read_on_their_own(world, client, rf):
    """The joined subqueries give UserAccess exactly the rows its own two queries would (a trust with no school:
    the trust role is kept, no school gains it)."""
    from accounts.access import UserAccess
    from schools.models import Trust

    empty = Trust.objects.create(name="New Trust", slug="new-trust")
    TrustMembership.objects.create(user=world.adam, trust=empty, role="trust_administrator")
    Membership.objects.create(user=world.adam, school=world.elmtree, role="staff")
    for person in (world.adam, world.diana, world.lena, world.tom):
        user = signed_in_user(_request_for(sign_in(client, person), rf))
        own = UserAccess(person)
        assert user.access.roles_by_school == own.roles_by_school
        assert user.access.trust_roles == own.trust_roles
        assert sorted(user.access.direct_roles) == sorted(own.direct_roles)


def _auth_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    session = [q for q in captured.captured_queries if 'FROM "django_session"' in q["sql"]]
    users = [q for q in captured.captured_queries
             if 'FROM "accounts_user"' in q["sql"] and 'WHERE "accounts_user"."id" = ' in q["sql"]]
    signed_in = [q for q in captured.captured_queries
                 if 'FROM "accounts_user" u WHERE u."id" = ' in q["sql"]]
    devices = [q for q in captured.captured_queries if q not in signed_in and 'FROM "otp_' in q["sql"]]
    return len(session), len(signed_in), len(devices) + len(users)


def test_s1_the_dsls_pages_read_who_is_signed_in_once(world, client):
    """Home, inbox, dashboard and the case page: one session query and one for the user, device and roles (they
    were five: session, user, device, memberships, trust memberships)."""
    case = make_case(world)
    sign_in(client, world.diana)
    for url in (reverse("home"), reverse("concerns:inbox"), reverse("reports:dashboard"),
                reverse("cases:detail", args=[case.id])):
        client.get(url)
        assert _auth_queries(client, url) == (1, 1, 0), url  # session, who is signed in, any other read of them


def test_s1_deactivation_ends_the_session_on_the_next_request(world, client):
    sign_in(client, world.diana)
    assert client.get(reverse("home")).status_code == 200
    deactivate_user(user=world.diana, by=world.adam)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_h3_a_removed_membership_takes_effect_on_the_next_request(world, client):
    case = make_case(world)
    sign_in(client, world.diana)
    assert client.get(reverse("cases:detail", args=[case.id])).status_code == 200
    Membership.objects.filter(user=world.diana, school=world.oakfield).delete()
    assert client.get(reverse("cases:detail", args=[case.id])).status_code == 404


def test_h3_a_changed_role_takes_effect_on_the_next_request(world, client):
    case = make_case(world)
    sign_in(client, world.diana)
    assert client.get(reverse("cases:detail", args=[case.id])).status_code == 200
    Membership.objects.filter(user=world.diana, school=world.oakfield).update(role="staff")
    assert client.get(reverse("cases:detail", args=[case.id])).status_code == 404
    assert client.get(reverse("concerns:inbox")).status_code in (403, 404)


def test_h3_a_removed_trust_role_takes_effect_on_the_next_request(world, client):
    sign_in(client, world.lena)
    url = reverse("reports:dashboard") + f"?school={world.oakfield.id}"
    client.get(url)
    roles_before = client.get(reverse("home")).wsgi_request.user.access.roles_in(world.oakfield)
    TrustMembership.objects.filter(user=world.lena).delete()
    assert roles_before and client.get(reverse("home")).wsgi_request.user.access.roles_in(world.oakfield) == set()


def test_s1_a_second_factor_reset_asks_for_a_code_again_on_the_next_request(world, client):
    sign_in(client, world.diana)
    assert client.get(reverse("home")).status_code == 200
    mfa.reset_second_factor(user=world.diana, by=world.adam, reason="lost_phone", school=world.oakfield)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:setup") in response["Location"]
    assert "otp_device_id" not in client.session  # forgotten, as django-otp forgets it


def test_s1_an_unconfirmed_or_someone_elses_device_does_not_verify(world, client, rf):
    sign_in(client, world.diana)
    TOTPDevice.objects.filter(user=world.diana).update(confirmed=False)
    assert not signed_in_user(_request_for(client, rf)).is_verified()
    sign_in(client, world.diana)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=world.dev).persistent_id
    session.save()
    assert not signed_in_user(_request_for(client, rf)).is_verified()
    session["otp_device_id"] = "no.such/1"
    session.save()
    assert not signed_in_user(_request_for(client, rf)).is_verified()


def test_s1_a_new_password_signs_out_every_other_session(world, client, rf):
    """Choosing a new password is how every other session is ended ("sign out everywhere")."""
    sign_in(client, world.diana)
    assert client.get(reverse("home")).status_code == 200
    world.diana.set_password("an entirely new and long password")
    world.diana.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert HASH_SESSION_KEY not in client.session


def test_s1_a_password_only_session_has_no_device_and_is_asked_for_a_code(world, client):
    sign_in(client, world.diana, verified=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:verify") in response["Location"]
    assert not response.wsgi_request.user.is_verified()


def test_a_stranger_is_anonymous_and_unverified(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated and not response.wsgi_request.user.is_verified()


def test_h3_every_field_of_the_signed_in_user_is_what_the_orm_reads_on_every_request(world, client, rf):
    """The columns' converters are asked for once per connection (dates on SQLite, say): the first request and a
    later one both give the user exactly as the ORM reads them, field by field, dates after a change included."""
    from django.utils import timezone

    from accounts.models import User

    sign_in(client, world.diana)
    for _ in range(2):
        User.objects.filter(pk=world.diana.pk).update(last_login=timezone.now())
        user = signed_in_user(_request_for(client, rf))
        expected = User.objects.get(pk=world.diana.pk)
        for field in User._meta.concrete_fields:
            assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
            assert type(getattr(user, field.attname)) is type(getattr(expected, field.attname)), field.name
        assert user.get_deferred_fields() == set()

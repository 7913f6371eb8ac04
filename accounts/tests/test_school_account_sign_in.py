"""Signing in with a school account (Microsoft Entra ID or Google Workspace) through OpenID Connect, against a real
OpenID provider (panva/oidc-provider, tests/oidc_provider.py) started once for this module on 127.0.0.1.

Harbour's side runs in the Django test client; the person's side at the provider (its sign-in page) is driven over
HTTP with `requests`; Harbour exchanges the code with the provider over real HTTP and checks the ID token against
the provider's published keys. Rule S1 (a second factor for anyone who reads case records) holds after the
provider as after a password; S2 (lockout) counts refused school-account sign-ins as it counts wrong passwords.
"""

from urllib.parse import parse_qs, urlsplit, urlunsplit, urlencode

import pytest
from authlib.integrations.django_client import DjangoOAuth2App
from django.urls import reverse

from accounts.models import SchoolAccountProvider, User
from audit.models import AuditEvent
from lib.sealed import seal
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, running, sign_in_at_provider
from tests.people import make_user

pytestmark = pytest.mark.django_db
RETURN = "http://testserver/account/sign-in/school-account/return/"
ACCOUNTS = {
    # What the person types at the provider's page → the claims the provider gives for them.
    "diana@oakfield.example": {"email": "Diana@Oakfield.EXAMPLE", "name": "Diana Dsl"},
    "tom@oakfield.example": {"email": "tom@oakfield.example", "name": "Tom Teacher"},
    "nia@oakfield.example": {"email": "nia@oakfield.example", "name": "Nia New"},
    "nobody@oakfield.example": {"email": "nobody@oakfield.example", "name": "No Body"},
    "ed@oakfield.example": {"email": "ed@oakfield.example", "name": "Ed Elsewhere"},
    "someone@gmail.example": {"email": "someone@gmail.example", "name": "Some One"},
}


@pytest.fixture(scope="module")
def provider():
    with running(redirect_uris=[RETURN], accounts=ACCOUNTS) as running_provider:
        yield running_provider


@pytest.fixture
def connected(world, provider):
    """Brightwater trust has connected its Microsoft accounts for oakfield.example and brightwater.example."""
    sealed, key_id = seal(CLIENT_SECRET)
    return SchoolAccountProvider.objects.create(
        trust=world.trust, kind="microsoft", issuer=provider.issuer, client_id=CLIENT_ID, secret_sealed=sealed,
        secret_key_id=key_id, domains="oakfield.example\nbrightwater.example", updated_by=world.adam)


def start(client, email, kind="microsoft", **extra):
    return client.post(reverse("accounts:school_account"), {"username": email, "provider": kind, **extra})


def come_back(client, url):
    parts = urlsplit(url)
    return client.get(parts.path + ("?" + parts.query if parts.query else ""))


def sign_in_with_school_account(client, email, *, mfa=False, login=None):
    response = start(client, email)
    assert response.status_code == 302, response.content[:500]
    return come_back(client, sign_in_at_provider(response["Location"], login or email.lower(), mfa=mfa))


def with_id_token(monkeypatch, make_token):
    """Harbour's code exchange answered with an ID token the test made (signed with the provider's own key),
    instead of the provider's: how a token for another audience, an expired one or one from another issuer would
    reach Harbour. Everything else (discovery, the provider's keys, state and nonce in the session) is real."""
    real = DjangoOAuth2App.fetch_access_token

    def fetch(app, **params):
        real(app, **params)  # the real exchange, with the PKCE verifier, still happens
        return {"access_token": "an-access-token", "token_type": "Bearer", "id_token": make_token()}

    monkeypatch.setattr(DjangoOAuth2App, "fetch_access_token", fetch)


def started_nonce(client, connected):
    """The nonce Harbour sent in the authorisation request now in progress (kept in its session)."""
    for key, value in client.session.items():
        if key.startswith(f"_state_harbour_provider_{connected.pk}_"):
            return value["data"]["nonce"]
    raise AssertionError("no sign-in in progress")


def assert_refused(response, words):
    assert response.status_code == 403
    text = response.content.decode()
    assert words in text
    assert "You are not signed in yet" in text
    assert "_auth_user_id" not in response.wsgi_request.session


# --- The sign-in page -----------------------------------------------------------------------------------------

def test_the_sign_in_page_offers_only_the_school_accounts_a_trust_has_connected(client, world, provider):
    assert b"Sign in with Microsoft" not in client.get(reverse("accounts:login")).content
    sealed, key_id = seal(CLIENT_SECRET)
    SchoolAccountProvider.objects.create(trust=world.trust, kind="microsoft", issuer=provider.issuer,
                                         client_id=CLIENT_ID, secret_sealed=sealed, secret_key_id=key_id,
                                         domains="oakfield.example")
    page = client.get(reverse("accounts:login")).content
    assert b"Sign in with Microsoft" in page
    assert b"Sign in with Google" not in page


def test_the_sign_in_pages_policy_lets_its_form_lead_to_the_connected_providers_only(client, connected):
    """Content-Security-Policy's form-action covers a form's redirects: the provider's origin is added, nothing else."""
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", connected.issuer]
    connected.enabled = False
    connected.save()
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert connected.issuer not in policy


def test_an_address_whose_domain_no_trust_connected_is_told_to_use_their_password(client, connected):
    response = start(client, "someone@gmail.example")
    assert response.status_code == 422
    assert "has not connected Microsoft accounts ending in @gmail.example" in response.content.decode()


def test_the_authorisation_request_carries_state_nonce_pkce_and_the_typed_address(client, connected):
    response = start(client, "diana@oakfield.example")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(connected.issuer)
    assert query["client_id"] == [CLIENT_ID] and query["redirect_uri"] == [RETURN]
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["login_hint"] == ["diana@oakfield.example"]
    assert "openid" in query["scope"][0].split()


def test_the_two_steps_are_open_before_sign_in_and_show_nothing_without_a_sign_in_in_progress(client, world):
    """Their anonymous rung: the start takes only a POST; the return, with no sign-in started here, refuses."""
    assert client.get(reverse("accounts:school_account")).status_code == 405
    assert start(client, "").status_code == 422
    assert_refused(client.get(reverse("accounts:school_account_return") + "?code=x&state=y"), "already been used")


# --- Signing in ---------------------------------------------------------------------------------------------

def test_r_s1_a_dsl_signs_in_with_their_school_account_then_gives_harbours_code(client, world, connected):
    """Matched on the work email without regard to case; S1: Harbour's own code is still asked."""
    response = sign_in_with_school_account(client, "diana@oakfield.example")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.diana.pk)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))
    event = AuditEvent.objects.filter(actor=world.diana, action="sign_in").latest("seq")
    assert event.detail == {"factor": "microsoft"}


def test_r_s1_the_providers_second_factor_counts_when_the_trust_accepts_it_and_the_token_says_mfa(
        client, world, connected):
    """Nia, a new DSL, has no authenticator app yet: Microsoft's second factor lets her in, and it is not taken for
    an app she enrolled, so a later password sign-in still sends her to set one up."""
    nia = make_user("nia@oakfield.example", "Nia New", school=world.oakfield, role="dsl", with_device=False)
    connected.accept_provider_mfa = True
    connected.save()
    sign_in_with_school_account(client, "nia@oakfield.example", mfa=True)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(actor=nia, detail__factor="microsoft_second_factor").exists()
    from accounts import mfa
    assert not mfa.has_confirmed_device(nia)
    client.post(reverse("accounts:logout"))
    from tests.people import sign_in
    sign_in(client, nia, verified=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:setup"))


def test_r_s1_without_mfa_in_the_token_harbours_code_is_asked_even_when_the_trust_accepts_the_providers(
        client, world, connected):
    connected.accept_provider_mfa = True
    connected.save()
    sign_in_with_school_account(client, "diana@oakfield.example", mfa=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))


def test_r_s1_the_providers_mfa_does_not_count_unless_the_trust_chose_so(client, world, connected):
    sign_in_with_school_account(client, "diana@oakfield.example", mfa=True)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))


def test_signing_out_ends_harbours_session(client, world, connected):
    sign_in_with_school_account(client, "tom@oakfield.example")
    assert client.get(reverse("home")).status_code == 200  # Tom reads no case records: no second factor asked
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


# --- Who is refused -----------------------------------------------------------------------------------------

def test_signing_in_never_creates_an_account(client, connected):
    response = sign_in_with_school_account(client, "nobody@oakfield.example")
    assert_refused(response, "Harbour has no account for that email address")
    assert not User.objects.filter(email__iexact="nobody@oakfield.example").exists()
    assert AuditEvent.objects.filter(action="denied", detail__reason="school_account_no_account").exists()


def test_an_account_of_another_trust_is_not_signed_in_by_this_trusts_provider(client, world, connected):
    make_user("ed@oakfield.example", "Ed Elsewhere", school=world.elmtree, role="staff", with_device=False)
    assert_refused(sign_in_with_school_account(client, "ed@oakfield.example"), "Harbour has no account")


def test_deactivation_in_harbour_wins_over_the_provider(client, world, connected):
    from django.utils import timezone

    User.objects.filter(pk=world.tom.pk).update(is_active=False, deactivated_at=timezone.now())
    assert_refused(sign_in_with_school_account(client, "tom@oakfield.example"), "This account has been closed")


def test_an_address_outside_the_allowed_domains_is_refused_whatever_the_provider_says(
        client, world, connected, monkeypatch, provider):
    """The person typed an allowed address, but the provider's token names another domain."""
    make_user("someone@gmail.example", "Some One", school=world.oakfield, role="staff", with_device=False)
    response = start(client, "tom@oakfield.example")
    back = sign_in_at_provider(response["Location"], "someone@gmail.example")
    assert_refused(come_back(client, back), "not one your trust uses with Harbour")


def test_r_s2_refused_school_account_sign_ins_count_towards_the_lockout(client, world, connected, settings):
    from django.utils import timezone

    settings.AXES_FAILURE_LIMIT = 2
    User.objects.filter(pk=world.tom.pk).update(is_active=False, deactivated_at=timezone.now())
    for _ in range(2):
        sign_in_with_school_account(client, "tom@oakfield.example")
    assert start(client, "tom@oakfield.example").status_code == 429


# --- The protocol's checks ------------------------------------------------------------------------------------

def test_a_state_that_does_not_match_the_one_sent_is_refused(client, connected):
    response = start(client, "diana@oakfield.example")
    back = urlsplit(sign_in_at_provider(response["Location"], "diana@oakfield.example"))
    query = parse_qs(back.query)
    query["state"] = ["a-state-harbour-never-sent"]
    forged = urlunsplit(back._replace(query=urlencode({k: v[0] for k, v in query.items()})))
    assert_refused(come_back(client, forged), "already been used or has expired")


def test_replaying_the_providers_answer_is_refused(client, world, connected):
    """The same code and state, sent again (in the same browser, or in another): the state was used up."""
    response = start(client, "tom@oakfield.example")
    back = sign_in_at_provider(response["Location"], "tom@oakfield.example")
    assert come_back(client, back).status_code == 302
    client.post(reverse("accounts:logout"))
    assert_refused(come_back(client, back), "already been used or has expired")
    from django.test import Client
    assert_refused(come_back(Client(), back), "already been used or has expired")


def test_pkce_a_code_exchanged_without_the_right_verifier_is_refused(client, connected):
    """The provider requires PKCE: a code whose verifier does not match its challenge is not exchanged."""
    response = start(client, "diana@oakfield.example")
    session = client.session
    key = next(k for k in session.keys() if k.startswith("_state_harbour_provider_"))
    value = session[key]
    value["data"]["code_verifier"] = "x" * 60  # not the verifier whose challenge the provider holds
    session[key] = value
    session.save()
    back = sign_in_at_provider(response["Location"], "diana@oakfield.example")
    assert_refused(come_back(client, back), "Your school account did not sign you in")


def _claims(provider, nonce, **changes):
    import time

    now = int(time.time())
    claims = {"iss": provider.issuer, "sub": "diana", "aud": CLIENT_ID, "iat": now, "exp": now + 600,
              "nonce": nonce, "email": "diana@oakfield.example"}
    claims.update(changes)
    return claims


def test_an_id_token_for_another_audience_is_refused(client, connected, provider, monkeypatch):
    """Signed with the provider's own key and otherwise right, but issued to another service (`aud`)."""
    response = start(client, "diana@oakfield.example")
    nonce = started_nonce(client, connected)
    with_id_token(monkeypatch, lambda: provider.sign(_claims(provider, nonce, aud="another-service")))
    back = sign_in_at_provider(response["Location"], "diana@oakfield.example")
    assert_refused(come_back(client, back), "signed you in for a different service")


def test_an_expired_id_token_is_refused(client, connected, provider, monkeypatch):
    """Signed with the provider's own key, its `exp` an hour ago (beyond the two minutes allowed for clocks)."""
    import time

    response = start(client, "diana@oakfield.example")
    nonce = started_nonce(client, connected)
    past = int(time.time()) - 3600
    with_id_token(monkeypatch, lambda: provider.sign(_claims(provider, nonce, iat=past - 600, exp=past)))
    back = sign_in_at_provider(response["Location"], "diana@oakfield.example")
    assert_refused(come_back(client, back), "took too long or has expired")


def test_an_id_token_from_another_issuer_is_refused(client, connected, provider, monkeypatch):
    """Signed with the provider's own key, but naming another issuer than the one the trust connected."""
    response = start(client, "diana@oakfield.example")
    nonce = started_nonce(client, connected)
    with_id_token(monkeypatch, lambda: provider.sign(_claims(provider, nonce, iss="https://login.elsewhere.example")))
    back = sign_in_at_provider(response["Location"], "diana@oakfield.example")
    assert_refused(come_back(client, back), "different Microsoft or Google organisation")


def test_an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused(
        client, connected, provider, monkeypatch):
    from joserfc.jwk import RSAKey

    other = RSAKey.generate_key(2048, private=True, auto_kid=True)
    response = start(client, "diana@oakfield.example")
    nonce = started_nonce(client, connected)
    with_id_token(monkeypatch, lambda: provider.sign(_claims(provider, nonce), key=other))
    back = sign_in_at_provider(response["Location"], "diana@oakfield.example")
    assert_refused(come_back(client, back), "could not confirm the sign-in")


def test_a_replayed_nonce_is_refused(client, connected, provider, monkeypatch):
    """A real ID token from an earlier, finished sign-in (its nonce already used), presented in a new one."""
    real = DjangoOAuth2App.fetch_access_token
    seen = []

    def keep(app, **params):
        token = real(app, **params)
        seen.append(token["id_token"])
        return token

    monkeypatch.setattr(DjangoOAuth2App, "fetch_access_token", keep)
    sign_in_with_school_account(client, "tom@oakfield.example")
    client.post(reverse("accounts:logout"))
    old_token = seen[0]
    response = start(client, "tom@oakfield.example")
    with_id_token(monkeypatch, lambda: old_token)
    back = sign_in_at_provider(response["Location"], "tom@oakfield.example")
    assert_refused(come_back(client, back), "could not be confirmed as the one you started here")

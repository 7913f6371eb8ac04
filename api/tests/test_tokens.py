"""API tokens: made by the trust administrator on a page, shown once, stored hashed, scoped, revocable."""

import hashlib

import pytest
from django.urls import reverse

from accounts.models import User
from api.models import ApiToken
from audit.models import AuditEvent
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db
TOKENS = reverse("integrations:tokens")


def test_r_h3_token_page_access_ladder(client, world, make_token):
    token, _ = make_token()
    revoke = reverse("integrations:revoke_token", args=[token.id])
    assert client.get(TOKENS)["Location"].startswith(reverse("accounts:login"))
    for stranger in (world.diana, world.hana, world.tom, world.lena):  # school roles and the trust's DSL lead
        sign_in(client, stranger)
        assert client.get(TOKENS).status_code == 404, stranger
        assert client.post(revoke).status_code == 404, stranger
    other_admin = make_user("oli@elmtree.example", "Oli Admin", trust=world.other_trust,
                            trust_role="trust_administrator")
    sign_in(client, other_admin)
    assert client.post(revoke).status_code == 404  # another trust's token looks missing
    assert ApiToken.objects.get().is_active
    sign_in(client, world.adam)
    assert client.get(TOKENS).status_code == 200


def test_the_secret_is_shown_once_and_only_its_sha256_is_kept(client, world):
    sign_in(client, world.adam)
    response = client.post(TOKENS, {"name": "Smoothwall monitoring", "scopes": ["alerts:create", "pupils:read"]})
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get()
    secret = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("hbr_") and len(secret) >= 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values().get().values()]
    assert not any(secret in v for v in stored)
    assert token.scopes == ["alerts:create", "pupils:read"] and token.school == world.oakfield
    assert secret not in client.get(TOKENS).content.decode()  # never shown again
    assert AuditEvent.objects.filter(actor=world.adam, action="create", object_type="api_token",
                                     object_id=str(token.id)).count() == 1
    # Its account can never sign in: no usable password, no membership.
    assert not token.account.has_usable_password() and not token.account.memberships.exists()


def test_making_a_token_needs_a_name_and_a_scope(client, world):
    sign_in(client, world.adam)
    response = client.post(TOKENS, {"name": "  ", "scopes": []})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Give the token a name" in page and "Choose at least one thing" in page
    response = client.post(TOKENS, {"name": "X", "scopes": ["cases:write"]})
    assert "Choose from the list" in response.content.decode()
    assert not ApiToken.objects.exists() and not User.objects.filter(email__endswith=".invalid").exists()


def test_a_revoked_token_stops_working_at_once(client, world, make_token, call):
    token, secret = make_token()
    assert call("get", f"/pupils/{world.pupil.upn}", secret).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    sign_in(client, world.adam)
    response = client.post(reverse("integrations:revoke_token", args=[token.id]))
    assert response.status_code == 302
    client.logout()
    refused = call("get", f"/pupils/{world.pupil.upn}", secret)
    assert refused.status_code == 401 and "token" in refused.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_by == world.adam and not token.account.is_active
    assert AuditEvent.objects.filter(action="update", object_type="api_token", changed_fields=["revoked_at",
                                                                                              "revoked_by"]).exists()


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer hbr_not-a-real-token", "Basic abc", "Bearer " + "x" * 500])
def test_a_call_without_a_valid_token_gets_401_json_and_is_audited(client, world, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(f"/api/v1/pupils/{world.pupil.upn}", **extra)
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")
    assert "Authorization: Bearer" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="denied", object_type="api_call",
                                     detail__reason="no_valid_token").count() == 1


def test_a_session_cookie_grants_nothing_on_the_api(client, world):
    """Only the token authenticates: a signed-in DSL's browser cannot call the API (and so no CSRF risk)."""
    sign_in(client, world.diana)
    assert client.get(f"/api/v1/pupils/{world.pupil.upn}").status_code == 401


def test_the_openapi_schema_is_served_at_a_stable_url(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and "/api/v1/alerts" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_api_answers_carry_the_usual_protections(world, make_token, call):
    _, secret = make_token()
    response = call("get", f"/pupils/{world.pupil.upn}", secret)
    assert response["Cache-Control"] == "no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]

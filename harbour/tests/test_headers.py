"""Security headers on every HTML page: nonce-based CSP and friends."""

import re

import pytest
from django.urls import reverse

from tests.people import sign_in

pytestmark = pytest.mark.django_db


def test_the_content_security_policy_is_strict_and_uses_a_nonce(client, world):
    for url in [reverse("accounts:login"), reverse("home"), reverse("schools:pupil_list")]:
        if url != reverse("accounts:login"):
            sign_in(client, world.diana)
        response = client.get(url)
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        for directive in ["default-src 'none'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]:
            assert directive in csp
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        # Every inline script carries the nonce; external scripts come from our own origin.
        for tag in re.findall(r"<script[^>]*>", response.content.decode()):
            assert f'nonce="{nonce}"' in tag or 'src="/static/' in tag, tag


def test_pages_are_never_cached_and_carry_the_usual_protections(client, world):
    sign_in(client, world.diana)
    response = client.get(reverse("schools:pupil_detail", args=[world.pupil.id]))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) == 32


def test_session_cookies_are_http_only():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY

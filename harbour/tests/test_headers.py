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


def test_production_sends_hsts_and_marks_cookies_secure_and_http_only(tmp_path):
    """Issue 8.7: under the production settings (HTTPS, DEBUG off) a real response carries HSTS, and the session
    and CSRF cookies are Secure and HttpOnly. Run in a fresh interpreter, as settings are read at start-up."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
call_command("migrate", verbosity=0)
# Static files are collected on deployment; here they are served unhashed. Nothing else is changed.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
response = Client().get("/account/sign-in/", secure=True, HTTP_HOST="harbour.example")
print(json.dumps({"status": response.status_code, "hsts": response.get("Strict-Transport-Security", ""),
                  "csrf_cookie": str(response.cookies.get("csrftoken", "")),
                  "session": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
                  "insecure": Client().get("/account/sign-in/", HTTP_HOST="harbour.example").status_code}))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HARBOUR_", "DEBUG", "DJANGO_"))}
    env.update(SECRET_KEY="x7" * 30 + "Q-unique-production-like-secret", HARBOUR_AUDIT_KEY="k" * 64,
               HARBOUR_TRANSFER_KEY="ab" * 32, DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
               ALLOWED_HOSTS="harbour.example",
               HARBOUR_ALLOWED_HOSTS="harbour.example", DJANGO_SETTINGS_MODULE="harbour.settings")
    result = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert got["status"] == 200
    assert "max-age=63072000" in got["hsts"] and "includeSubDomains" in got["hsts"]
    assert "Secure" in got["csrf_cookie"] and "HttpOnly" in got["csrf_cookie"]
    assert got["session"] == [True, True]
    assert got["insecure"] == 301  # plain HTTP is sent to HTTPS

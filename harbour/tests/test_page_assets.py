"""Issue 26.2: what a page loads before it can be drawn. No script holds up the first paint: every external script
is a module or deferred, and the only inline script is the template's first line of <body>, which marks the page
as able to run GOV.UK Frontend (so the CSS draws each component as its script will leave it) and carries the CSP
nonce. Stylesheets come from /static/ (hashed, compressed and cached long in production: tests/production)."""

import re

import pytest
from django.urls import reverse

from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "concerns:report", "concerns:inbox", "reports:dashboard"])
def test_no_script_holds_up_the_first_paint(client, world, name):
    sign_in(client, world.diana)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    external = [attrs for attrs, _ in scripts if "src=" in attrs]
    inline = [(attrs, body) for attrs, body in scripts if "src=" not in attrs]
    assert len(external) >= 2
    for attrs in external:
        assert 'type="module"' in attrs or re.search(r"\b(defer|async)\b", attrs), attrs
    assert len(inline) == 1 and f'nonce="{nonce}"' in inline[0][0]
    assert "govuk-frontend-supported" in inline[0][1]
    body = html[html.index("<body"):]
    assert body.index("<script") < body.index("<a "), "the inline script runs before anything is drawn"
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets and all(href.startswith("/static/") for href in stylesheets)

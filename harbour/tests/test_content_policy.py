"""Issue 24: the Content-Security-Policy header is written once per process with the nonce's place marked
(harbour/content_policy.py): every response gets exactly the header django-csp would write for it, with a nonce of
its own. Rule H1 (the security headers on every page)."""

import re

import pytest
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from harbour.content_policy import CSPMiddleware
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def _nonce(response):
    found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return found.group(1) if found else None


def test_h1_harbours_middleware_stands_where_django_csps_stood():
    assert issubclass(CSPMiddleware, DjangoCSPMiddleware)
    chain = settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in chain
    where = chain.index("harbour.content_policy.CSPMiddleware")
    assert chain[where - 1] == "django.contrib.sessions.middleware.SessionMiddleware"
    assert chain[where + 1] == "django.middleware.common.CommonMiddleware"


@pytest.mark.parametrize("signed_in", [True, False])
def test_h1_each_page_has_django_csps_header_with_a_nonce_of_its_own(client, world, signed_in):
    if signed_in:
        sign_in(client, world.diana)
    url = reverse("home") if signed_in else reverse("accounts:login")
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    nonces = [_nonce(first), _nonce(second)]
    assert all(nonces) and nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert response["Content-Security-Policy"] == build_policy(nonce=nonce)
        assert f'nonce="{nonce}"' in response.content.decode()  # the page's inline script carries it


def test_h1_a_response_that_never_asked_for_a_nonce_has_the_header_without_one(client):
    response = client.get(reverse("home"))  # not signed in: sent to sign in, no page drawn
    assert response.status_code == 302
    assert response["Content-Security-Policy"] == build_policy(nonce=None)
    assert "nonce-" not in response["Content-Security-Policy"]


def _through(view_response, request=None):
    request = request or RequestFactory().get("/somewhere/")
    middleware = CSPMiddleware(lambda r: view_response)
    return request, middleware(request)


def test_h1_a_response_with_a_policy_of_its_own_is_written_by_django_csp():
    response = HttpResponse("x")
    response._csp_update = {"img-src": ["https://example.org"]}
    request, response = _through(response)
    assert response["Content-Security-Policy"] == build_policy(update={"img-src": ["https://example.org"]})
    assert "https://example.org" in response["Content-Security-Policy"]


def test_h1_an_exempt_response_and_a_header_already_set_are_left_alone():
    exempt = HttpResponse("x")
    exempt._csp_exempt = True
    assert "Content-Security-Policy" not in _through(exempt)[1]
    own = HttpResponse("x")
    own["Content-Security-Policy"] = "default-src 'self'"
    assert _through(own)[1]["Content-Security-Policy"] == "default-src 'self'"


def test_h1_asking_for_the_nonce_after_the_header_is_written_is_an_error():
    request, response = _through(HttpResponse("x"))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_h1_a_changed_policy_is_written_afresh(client):
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'", "https://example.org"]}
    before = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": directives}):
        changed = client.get(reverse("accounts:login"))
        assert "https://example.org" in changed["Content-Security-Policy"]
        assert changed["Content-Security-Policy"] == build_policy(nonce=_nonce(changed))
    after = client.get(reverse("accounts:login"))
    assert "https://example.org" not in after["Content-Security-Policy"]
    assert after["Content-Security-Policy"] == before.replace(re.search(r"nonce-[^']+", before).group(0),
                                                              f"nonce-{_nonce(after)}")

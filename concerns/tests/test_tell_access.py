"""P1: the pupils' pages are open without an account on purpose, and they are the only pages added to those open
before sign-in: every other page still sends a visitor with no account to sign in (the access matrix walks them
all, tests/security/test_access_matrix.py, with these two in its PUBLIC list)."""

import pytest
from django.urls import reverse

from concerns.tell_views import PUBLIC_PUPIL_PAGES
from tests.security.matrix import all_url_names

pytestmark = pytest.mark.django_db

# Written out on purpose: a page opened to everyone is a decision, not a side effect. The API answers to its tokens
# (api/tests has its own matrix); the rest are the sign-in pages, health checks and the accessibility statement.
OPEN_BEFORE_SIGN_IN = {
    "accessibility", "accounts:login", "accounts:school_account", "accounts:school_account_return",
    "accounts:welcome", "accounts:forgotten_password", "health", "health_web", *PUBLIC_PUPIL_PAGES,
}


def test_r_p1_only_the_pupils_pages_are_added_to_the_pages_open_without_signing_in():
    public = {name for name, pattern in all_url_names() if getattr(pattern.callback, "login_required", True) is False
              and not name.startswith("api:")}
    assert public == OPEN_BEFORE_SIGN_IN
    assert {n for n in public if n.startswith("tell:")} == {"tell:start", "tell:check"}


def test_r_p1_the_teams_side_of_the_pupils_pages_needs_signing_in(client, world):
    for url in (reverse("concerns:pupil_poster"), reverse("concerns:pupil_new_code"),
                reverse("concerns:pupil_reply", args=[1]), reverse("concerns:pupil_close", args=[1])):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and "/account/sign-in/" in response["Location"], url


def test_r_p1_no_address_under_tell_shows_anything_but_the_pupils_pages(client, world):
    code = world.oakfield.tell_code
    for path in (f"/tell/{code}/poster/", f"/tell/{code}/check/x/", "/tell/", f"/tell/{code}/receipt/"):
        assert client.get(path).status_code in (302, 404), path

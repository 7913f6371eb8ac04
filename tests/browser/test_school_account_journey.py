"""Journeys: signing in with a school account through a real OpenID provider (issue 22.1), in Chromium.

The provider is panva/oidc-provider (tests/oidc_provider.py), started once for this module on 127.0.0.1 with the
live server's return address registered. A DSL signs in with their school account, gives Harbour's security code
(S1), reads their inbox and signs out; the trust administrator connects Microsoft sign-in. Every Harbour page is
checked by axe at desktop width and at 375 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import SchoolAccountProvider
from lib.sealed import seal
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, running
from tests.people import unused_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def provider(live_server):
    with running(redirect_uris=[live_server.url + reverse("accounts:school_account_return")],
                 accounts={"diana@oakfield.example": {"email": "diana@oakfield.example", "name": "Diana Dsl"}}) as p:
        yield p


def test_r_s1_a_dsl_signs_in_with_their_school_account_gives_harbours_code_and_reads_their_inbox(
        page, world, provider):
    sealed, key_id = seal(CLIENT_SECRET)
    SchoolAccountProvider.objects.create(trust=world.trust, kind="microsoft", issuer=provider.issuer,
                                         client_id=CLIENT_ID, secret_sealed=sealed, secret_key_id=key_id,
                                         domains="oakfield.example", updated_by=world.adam)
    page.goto("/")
    expect(page.get_by_role("button", name="Sign in with Microsoft")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in with Google")).to_have_count(0)
    assert_accessible(page)

    # Without an address Harbour cannot tell whose Microsoft to ask: it says so beside the box.
    page.get_by_role("button", name="Sign in with Microsoft").click()
    expect(page.get_by_role("heading", name="You are not signed in yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email address").fill("diana@oakfield.example")
    page.get_by_role("button", name="Sign in with Microsoft").click()
    page.wait_for_url(provider.issuer + "/interaction/**")
    page.get_by_label("Email address").fill("diana@oakfield.example")
    page.get_by_label("Password").fill("her school password")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/two-factor/check/**")
    assert_accessible(page)
    page.get_by_label("Enter the security code from your authenticator app").fill(unused_code(world.diana))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(page.get_by_role("heading", name="Hello, Diana Dsl")).to_be_visible()

    page.get_by_role("link", name="Concerns inbox").click()
    expect(page.get_by_role("heading", name="Concerns inbox")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto("/concerns/inbox/")
    assert "/account/sign-in/" in page.url


def test_the_trust_administrator_connects_microsoft_sign_in(page, world, live_server):
    sign_in_as(page, world.adam)
    page.get_by_role("link", name="Sign-in with school accounts").click()
    expect(page.get_by_role("heading", name="Sign-in with school accounts")).to_be_visible()
    expect(page.get_by_text(live_server.url + "/account/sign-in/school-account/return/")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Connect Microsoft sign-in").click()
    page.get_by_label("Issuer").fill("https://login.microsoftonline.com/common/v2.0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Issuer").fill("https://login.microsoftonline.com/0f0e0d0c-1234-4abc-9def-0123456789ab/v2.0")
    page.get_by_label("Client ID").fill("11111111-2222-3333-4444-555555555555")
    page.get_by_label("Client secret").fill("a secret from Entra")
    page.get_by_label("Email domains").fill("oakfield.example\nriverside.example")
    page.get_by_label("Accept Microsoft’s second factor").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Microsoft sign-in is saved")).to_be_visible()
    expect(page.get_by_text("oakfield.example, riverside.example")).to_be_visible()
    assert_accessible(page)
    assert SchoolAccountProvider.objects.get(trust=world.trust).accept_provider_mfa

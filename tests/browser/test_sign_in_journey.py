"""Journey: a new DSL signs in, enrols an authenticator app, saves recovery codes, signs in again."""

import pytest
from playwright.sync_api import expect
from django_otp.oath import TOTP

from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.people import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(key_text):
    from base64 import b32decode

    key = key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{TOTP(b32decode(key)).token():06d}"


def test_r_s1_a_new_dsl_signs_in_and_enrols_a_second_factor(page, world):
    make_user("nia@oakfield.example", "Nia Newcombe", school=world.oakfield, role="dsl", with_device=False)

    page.goto("/")
    assert page.url.endswith("/account/sign-in/?next=/")
    assert_accessible(page)

    # A wrong password first: the error summary must be accessible too.
    page.get_by_label("Email address").fill("nia@oakfield.example")
    page.get_by_label("Password", exact=True).fill("not my password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/two-factor/set-up/**")
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Security code").fill(code_for(page.locator("#setup-key").inner_text()))
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_url("**/recovery-codes/**")
    expect(page.locator(".harbour-codes li")).to_have_count(10)
    recovery_code = page.locator(".harbour-codes li").first.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="I have saved my codes").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(page.get_by_role("heading", name="Hello, Nia Newcombe")).to_be_visible()
    expect(page.get_by_role("link", name="Look up a pupil")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    # Sign out and back in: now the code check, not enrolment.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email address").fill("nia@oakfield.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/two-factor/check/**")
    assert_accessible(page)
    # The app's code was just used and cannot be replayed in the same 30 seconds, so this
    # is also the moment to prove a recovery code works.
    page.get_by_label("Enter the security code from your authenticator app").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(page.get_by_role("heading", name="Hello, Nia Newcombe")).to_be_visible()


def test_a_dsl_looks_up_a_pupil(page, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill("diana@oakfield.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    device = TOTPDevice.objects.get(user=world.diana)
    page.get_by_label("Enter the security code from your authenticator app").fill(
        f"{TOTP(device.bin_key).token():06d}"
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Look up a pupil").click()
    expect(page.get_by_role("heading", name="Pupils")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Search by first name or surname").fill("Puddle")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Quentin Puddlewick").click()
    expect(page.get_by_role("heading", name="Quentin Puddlewick")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

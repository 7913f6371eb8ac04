"""The accessibility statement (issue 21.5), and what it says was tested with a keyboard alone: the skip link, and
signing in (S1). Reached from the footer without signing in, and accessible itself (axe, desktop and 375 px)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.people import PASSWORD, unused_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_someone_not_signed_in_finds_the_statement_from_the_footer(page, world):
    page.goto("/")
    assert page.url.endswith("/account/sign-in/?next=/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    page.wait_for_url("**/accessibility/")
    expect(page.get_by_role("heading", level=1, name="Accessibility statement for Harbour")).to_be_visible()
    expect(page.get_by_role("heading", name="Enforcement procedure")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)


def test_r_s1_signing_in_with_a_keyboard_alone(page, world):
    """Tab to the skip link and past the menu; type the email, password and code, each sent with Enter."""
    page.goto("/account/sign-in/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type(world.diana.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    code = page.get_by_label("Enter the security code from your authenticator app")
    expect(code).to_be_visible()
    tab_to(page, code)
    page.keyboard.type(unused_code(world.diana))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")  # the skip link's #main-content stays on the address
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    assert_accessible(page)


def tab_to(page, field, most=12):
    """Press Tab until `field` has the focus, as someone with a keyboard alone would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if field.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{most} presses of Tab did not reach the field")

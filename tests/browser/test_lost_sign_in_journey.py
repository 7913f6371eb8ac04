"""Lost ways to sign in. A teacher who has forgotten their password gets a new one from the sign-in page, without
knowing any address: a link by email, a new password, and signed in with it (a teacher's role asks no second
factor; one that reads case records is still asked it, S1, accounts/tests/test_mfa_gate.py). Each page accessible
(axe, desktop and 375 px); a mistyped address is explained beside the box and kept. And someone who has lost their
phone: the trust administrator resets their authenticator app from People and sign-in, choosing why."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from accounts.invitations import email_reset_link
from tests.browser.conftest import assert_accessible, assert_no_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW = "lantern orchard kettle river"


def test_r_s1_a_forgotten_password_is_replaced_from_the_sign_in_page(page, world):
    page.goto("/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1, name="Forgotten your password?")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email address").fill("tom at oakfield")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address, like name@school.sch.uk.")
    expect(page.get_by_label("Email address")).to_have_value("tom at oakfield")
    assert_accessible(page)

    page.get_by_label("Email address").fill(world.tom.email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    assert_accessible(page)

    (job,) = DBTaskResult.objects.filter(task_path="accounts.invitations.email_reset_link")
    assert email_reset_link.call(**job.args_kwargs["kwargs"]) == 1  # as the worker runs it
    (message,) = mail.outbox
    link = re.search(r"http://\S+/account/welcome/\S+/", message.body).group(0)
    page.goto(urlsplit(link).path)  # the email's address is the site's; the test server's origin differs
    expect(page.get_by_role("heading", level=1, name="Choose your password")).to_be_visible()
    page.get_by_label("New password").fill(NEW)
    page.get_by_label("Type it again").fill(NEW)
    page.get_by_role("button", name="Save password").click()

    expect(page.get_by_text("Your password is saved. Sign in with it now.")).to_be_visible()
    page.get_by_label("Email address").fill(world.tom.email)
    page.get_by_label("Password", exact=True).fill(NEW)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    assert_no_csp_violations(page)


def test_r_s1_the_administrator_resets_a_lost_phone_from_people_and_sign_in(page, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.browser.test_report_journey import sign_in_as

    sign_in_as(page, world.adam)
    page.get_by_role("link", name="People and sign-in").click()
    page.get_by_role("link", name="Reset security code app for Diana Dsl").click()
    expect(page.get_by_role("heading", level=1, name="Reset Diana Dsl’s security code app")).to_be_visible()
    page.get_by_role("button", name="Reset security code app").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose why you are resetting it.")
    assert_accessible(page)
    page.get_by_label("Their phone was lost, stolen or broken").check()
    page.get_by_role("button", name="Reset security code app").click()
    expect(page.get_by_text("Diana Dsl’s security code app is reset.")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert not TOTPDevice.objects.filter(user=world.diana).exists()

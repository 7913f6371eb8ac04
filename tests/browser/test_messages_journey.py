"""Issue 20.6 and 20.7 in Chromium, with axe: closing a case lists every blocker, each a link to where it is done
(G1); the review meeting's attendees are "name — role" without governors (B1); signing off with the code just used
to sign in says so, with the seconds until the next (B6)."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases import actions
from cases.tests.helpers import ALL_NO, make_case
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_r_g1_b1_closing_lists_every_blocker_and_each_leads_to_its_page(page, world):
    case = make_case(world)
    blockers = actions.closure_blockers(case)
    sign_in_as(page, world.diana)
    page.goto(reverse("cases:close", args=[case.id]))
    expect(page.get_by_role("heading", name=f"Before the case can close ({len(blockers)} to do)")).to_be_visible()
    for blocker in blockers:
        expect(page.locator("#blockers").get_by_role("link", name=str(blocker), exact=True)).to_have_attribute(
            "href", blocker.href)
    assert_accessible(page)
    page.get_by_label("Summary: what the concern was, how it was followed up and resolved").fill("Shared; managed.")
    page.get_by_label("Debrief: who took part, and what went well or not").fill("DSL and head.")
    page.get_by_label("Lessons learnt").fill("None.")
    page.get_by_label("Policy or curriculum changes").fill("None")
    page.get_by_role("button", name="Close the case").click()
    summary = page.locator(".govuk-error-summary")
    for blocker in blockers:  # every one, not only the first
        expect(summary.get_by_text(str(blocker), exact=True)).to_be_visible()
    assert_accessible(page)

    page.locator("#blockers").get_by_role("link", name="Record the initial review meeting.").click()
    expect(page.get_by_role("heading", name="Initial review meeting")).to_be_visible()
    expect(page.get_by_label("Diana Dsl — Designated safeguarding lead")).to_be_checked()
    expect(page.get_by_label("Hana Head — Headteacher")).to_be_visible()
    expect(page.get_by_text("Gina Governor")).to_have_count(0)
    expect(page.get_by_text("Carol Chair")).to_have_count(0)
    assert_accessible(page)


def test_r_b6_signing_off_with_the_code_just_used_to_sign_in_says_to_wait_for_the_next(page, world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    sign_in_as(page, world.hana)
    device = TOTPDevice.objects.get(user=world.hana, confirmed=True)
    used = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    used.time = device.t0 + (device.last_t - device.drift) * device.step
    page.goto(reverse("cases:sign_off", args=[case.id, decision.id]))
    expect(page.get_by_role("heading", name="Decision not to refer", level=1)).to_be_visible()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{used.token():06d}")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "That code has just been used; wait for the next one. Your app shows it in")
    expect(page.get_by_text("Your password or code was not right")).to_have_count(0)
    assert_accessible(page)
    assert decision.sign_offs.get(role="headteacher").signed_at is None

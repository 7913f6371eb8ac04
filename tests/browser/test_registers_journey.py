"""Journey (I1, I3): a DSL opens the registers, records a policy review that brings the next one
forward for a significant change, and checks whether a pupil's photo may go on the website.
axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registers import actions
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_i1_i3_a_dsl_records_a_policy_review_and_checks_photo_consent(page, world):
    today = timezone.localdate()
    policy = actions.add_policy(user=world.diana, school=world.oakfield, title="Online safety policy",
                                owner=world.diana, approved_by="Full governing body",
                                approved_on=today - timedelta(days=400),
                                link="https://oakfield.example/policies/online-safety")
    actions.record_photo_consent(user=world.diana, pupil=world.pupil, places=["website", "social_media"],
                                 decision="given", on=today, by_whom="Pat Puddlewick", in_writing=True)
    actions.record_photo_consent(user=world.diana, pupil=world.pupil, places=["social_media"], decision="withdrawn",
                                 on=today, by_whom="Pat Puddlewick", in_writing=True)

    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Registers").click()
    expect(page.get_by_role("heading", name="Registers")).to_be_visible()
    expect(page.get_by_role("row", name="Policies")).to_contain_text("1 overdue")
    assert_accessible(page)
    assert_no_csp_violations(page)

    # I1: the overdue policy, reviewed today, with the next review sooner because of a significant change.
    page.get_by_role("link", name="Policies").click()
    assert_accessible(page)
    page.get_by_role("link", name="Online safety policy").click()
    expect(page.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record a review").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save review").click()  # nothing typed: the errors are shown
    expect(page.get_by_role("alert")).to_contain_text("Say what the review found or changed")
    assert_accessible(page)
    page.get_by_label("What the review found or changed").fill("Added a section on AI image tools.")
    page.get_by_label("Sooner, because of a significant change").check()
    soon = today + timedelta(days=90)
    page.get_by_label("Date of the next review").fill(soon.isoformat())
    page.get_by_label("Why sooner").fill("New AI guidance expected this term")
    assert_accessible(page)
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible()
    expect(page.get_by_text("Up to date")).to_be_visible()
    expect(page.get_by_role("table", name="Reviews, the latest first")).to_contain_text("Added a section on AI")
    assert_accessible(page)
    policy.refresh_from_db()
    assert policy.next_review_on == soon and policy.next_review_reason == "New AI guidance expected this term"

    # I3: may Quentin's photo go on the website? And on social media, after the written withdrawal?
    page.get_by_role("link", name="Registers").click()
    page.get_by_role("link", name="Photo consent").click()
    page.get_by_label("Find a pupil by first name or surname").fill("Quen")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Quentin Puddlewick").click()
    page.get_by_label("May I use this pupil’s photo on…").select_option(label="School website or blog")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#answer")).to_contain_text("School website or blog: Yes")
    expect(page.locator("#answer")).to_contain_text("for this year")
    assert_accessible(page)
    page.get_by_label("May I use this pupil’s photo on…").select_option(label="School social media")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#answer")).to_contain_text("School social media: No")
    expect(page.locator("#answer")).to_contain_text(f"withdrawn in writing on {today:%-d %B %Y}")
    assert_accessible(page)
    assert_no_csp_violations(page)

"""Journeys through the DSL's case (rules B1, B2, B5, E1–E4, E7), each page checked with axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import actions
from cases.models import Case
from cases.tests.helpers import make_concern
from harbour.jinja2 import local_datetime
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_case_from_inbox(page, concern):
    page.goto(f"/concerns/{concern.id}/")
    page.get_by_role("button", name="Open a case").click()
    expect(page.get_by_role("heading", name="Case K")).to_be_visible()
    return Case.objects.get()


def test_r_b2_adult_involved_cannot_be_managed_in_school_until_a_referral_is_recorded(page, world):
    concern = make_concern(world, "nudes-sharing", account="Quentin says a man he met in a game asked for photos.")
    sign_in_as(page, world.diana)
    case = open_case_from_inbox(page, concern)
    assert_accessible(page)

    # B1: the initial review meeting.
    page.get_by_role("link", name="Record the review meeting").click()
    expect(page.get_by_role("heading", name="Initial review meeting")).to_be_visible()
    assert_accessible(page)
    for question in case.procedure["initial_review_questions"]:
        page.get_by_label(question["text"]).fill("Discussed; see notes.")
    page.get_by_label("Anyone else who attended").fill("Hana Head")
    page.get_by_role("button", name="Save the meeting record").click()

    # B2: answering that an adult is involved shows the banner at once (htmx).
    expect(page.get_by_role("heading", name="Referral questions")).to_be_visible()
    page.get_by_role("group", name="B2.1: An adult is involved").get_by_label("Yes").check()
    panel = page.locator("#evaluation")
    expect(panel.get_by_text("Referral required now")).to_be_visible()
    expect(panel.get_by_text("Referral criterion B2.1 now applies")).to_be_visible()
    expect(panel.get_by_text("Aggravated: adult involved", exact=True)).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    # B5 guarded by B2: "managed in school" is refused and what was typed stays.
    page.goto(f"/cases/{case.id}/outcome/")
    assert_accessible(page)
    page.get_by_label("Managed and supported by the school directly").check()
    page.get_by_label("Reason").fill("Parents will handle it at home.")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Reason")).to_have_value("Parents will handle it at home.")
    assert_accessible(page)
    page.goto(f"/cases/{case.id}/")
    expect(page.get_by_role("heading", name="Referral required now")).to_be_visible()
    page.get_by_role("link", name="Close the case").last.click()
    expect(page.get_by_text("record the referral to children's social care or the police")).to_be_visible()
    assert_accessible(page)

    # Record the referral: now the school can manage its part.
    page.goto(f"/cases/{case.id}/referrals/new/")
    page.get_by_label("Police", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("101 (non-emergency)").check()
    page.get_by_label("Their reference number").fill("CR/2026/0412")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Recorded.", exact=True)).to_be_visible()
    expect(
        page.get_by_role("cell", name="Chase Police if there is no answer (reference CR/2026/0412)", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Referral required now")).to_have_count(0)
    page.goto(f"/cases/{case.id}/outcome/")
    page.get_by_label("Managed and supported by the school directly").check()
    page.get_by_label("Reason").fill("Police are investigating the adult; school supports Quentin.")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Outcome recorded.")).to_be_visible()

    case.refresh_from_db()
    actions.confirm_classification(user=world.diana, case=case, choice="aggravated.adult_involved", reason="An adult.")
    for task in case.tasks.outstanding().exclude(phase="ongoing"):
        actions.complete_task(user=world.diana, task=task, done=True)
    page.goto(f"/cases/{case.id}/close/")
    page.get_by_label("Summary").fill("An adult groomed Quentin online; referred to police the same day.")
    page.get_by_label("Debrief").fill("DSL, head and form tutor.")
    page.get_by_label("Lessons learnt").fill("Gaming chats need a mention in online-safety lessons.")
    page.get_by_label("Policy or curriculum changes").fill("Year 5 PSHE unit on gaming chats.")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text(f"Case {case.reference} closed.")).to_be_visible()
    assert_accessible(page)


def test_r_e7_sextortion_case_shows_four_phase_clocks(page, world):
    concern = make_concern(world, "sextortion", account="Quentin is being told to pay or a photo will be shared.")
    sign_in_as(page, world.diana)
    case = open_case_from_inbox(page, concern)
    start = case.incident_recorded_at
    clocks = page.get_by_role("table", name="Phase clocks")
    expected = {"Immediate": start + timedelta(hours=2), "Short term": start + timedelta(hours=48),
                "Medium term": start + timedelta(weeks=2)}
    for phase, due in expected.items():
        expect(clocks.get_by_role("row", name=phase)).to_contain_text(local_datetime(due))
        expect(clocks.get_by_role("row", name=phase)).to_contain_text("Running")
    expect(clocks.get_by_role("row", name="Ongoing")).to_contain_text("Review date not set")
    assert_accessible(page)

    review = (timezone.localdate() + timedelta(days=28))
    page.get_by_label("Review date (the ongoing phase)").fill(review.isoformat())
    page.get_by_role("button", name="Set review date").click()
    expect(page.get_by_text("Review date set.")).to_be_visible()
    expect(page.get_by_role("table", name="Phase clocks").get_by_role("row", name="Ongoing")).to_contain_text(
        f"{review:%-d %B %Y}")
    assert_accessible(page)

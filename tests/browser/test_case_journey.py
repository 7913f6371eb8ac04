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
    page.get_by_role("group", name="An adult is involved").get_by_label("Yes").check()
    panel = page.locator("#evaluation")
    expect(panel.get_by_text("Referral required now")).to_be_visible()
    expect(panel.get_by_text("A referral criterion now applies: An adult is involved")).to_be_visible()
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


def test_r_b14_b15_f8_sextortion_is_blackmail_from_the_start_and_the_police_cannot_be_skipped(page, world):
    """The implied answer is shown already answered, with its reason; changing it needs a reason; the police step
    cannot be marked not done, and the case cannot be managed in school until the police referral is recorded."""
    concern = make_concern(world, "sextortion", account="Quentin is being told to pay or a photo will be shared.")
    sign_in_as(page, world.diana)
    case = open_case_from_inbox(page, concern)
    required = page.get_by_role("table", name="Referrals this kind of incident requires, whatever the answers")
    expect(required.get_by_role("row", name="The police")).to_contain_text("Needed")
    expect(page.get_by_text("Answered from the kind of incident")).to_be_visible()
    expect(page.get_by_role("heading", name="Referral required now")).to_be_visible()
    assert_accessible(page)

    # The referral questions: blackmail is answered yes already, with the reason, and not a radio to untick.
    page.get_by_role("link", name="Answer the questions").click()
    implied = page.locator("#implied-B2-2")
    expect(implied).to_contain_text("This kind of incident implies it. Sextortion is blackmail")
    expect(page.get_by_role("group", name="A child has been coerced, blackmailed or groomed")).to_have_count(0)
    expect(page.locator("#evaluation")).to_contain_text("A referral to the police is required.")
    assert_accessible(page)

    # Changing it needs a reason; what was chosen stays when it is refused.
    implied.get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", name="Change an answer this kind of incident implies")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Change the answer").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    assert_accessible(page)
    page.goto(f"/cases/{case.id}/")

    # The police step cannot be marked "not done".
    contact = case.tasks.get(key="immediate.5")
    page.goto(f"/cases/{case.id}/tasks/{contact.id}/")
    expect(page.get_by_text("This step cannot be marked as not done.")).to_be_visible()
    expect(page.get_by_label("No, and it will not be done")).to_have_count(0)
    assert_accessible(page)

    # Managed in school is refused, with every reason in words.
    page.goto(f"/cases/{case.id}/outcome/")
    expect(page.get_by_text("Managed in school is not possible yet.")).to_be_visible()
    expect(page.get_by_text("Sextortion is child sexual abuse and blackmail: the police must be told")).to_be_visible()
    assert_accessible(page)

    # Recording the police referral from the case page marks the step done and lifts the requirement.
    page.goto(f"/cases/{case.id}/")
    page.get_by_role("link", name="Record the referral to the police", exact=True).click()
    page.get_by_label("101 (non-emergency)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Recorded.", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Referrals this kind of incident requires, whatever the answers")
           .get_by_role("row", name="The police")).to_contain_text("Recorded")
    contact.refresh_from_db()
    assert contact.result == "done"
    assert_accessible(page)


def test_r_f8_a_staff_allegation_warns_not_to_investigate_from_the_first_screen(page, world):
    concern = make_concern(world, "staff-allegation", subject_staff=world.dev, children=[],
                           account="A pupil said a teacher messaged her on a private account.")
    sign_in_as(page, world.hana)
    case = open_case_from_inbox(page, concern)
    expect(page.get_by_text("Do not investigate, interview anyone, or tell the member of staff")).to_be_visible()
    lado = page.get_by_role("table", name="Referrals this kind of incident requires, whatever the answers")
    expect(lado.get_by_role("row", name="The LADO")).to_contain_text(
        local_datetime(case.tasks.get(key="immediate.2").due_at))
    assert_accessible(page)


def test_r_b15_f4_a_prevent_decision_not_to_refer_is_recorded_with_its_reason(page, world):
    concern = make_concern(world, "radicalisation", children=[(world.pupil, "other")],
                           account="Quentin repeated slogans from an extremist video in class.")
    sign_in_as(page, world.diana)
    case = open_case_from_inbox(page, concern)
    page.get_by_role("link", name="Record a decision not to refer to Prevent").click()
    expect(page.get_by_role("heading", name="Record a decision not to refer")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why not refer to Prevent?").fill("The Prevent lead advised support in school.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.get_by_role("table", name="Referrals this kind of incident requires, whatever the answers")
           .get_by_role("row", name="Prevent")).to_contain_text("Decided not to refer")
    assert case.tasks.get(key="short_term.1").result == "done"
    assert_accessible(page)

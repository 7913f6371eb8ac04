"""Journeys on the report page (rule A1) for issue 17: finding a child without JavaScript, where the search never
reaches an address (17.3); and a report over the size limit, which comes back with everything typed, or past
Django's hard cap says when the draft was saved and leads back to it (A3: "keep everything else typed", 17.5)."""

import pytest
from playwright.sync_api import expect

from concerns.models import Concern, ConcernChild, Draft
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as
from tests.people import make_pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ACCOUNT = "Quentin said: 'Milo sent my photo to the group chat.'"


def test_r_a1_without_javascript_a_teacher_finds_and_adds_a_child_and_sends_the_report(page_without_javascript,
                                                                                          world):
    page = page_without_javascript
    milo = make_pupil(world.oakfield, "Milo", "Bramblecott", "A999000000010", year_group=5, sex="M")
    sign_in_as(page, world.tom)
    page.goto("/concerns/report/")
    page.get_by_label("Sharing nudes or semi-nudes").check()
    page.get_by_label("What did the child say, or what did you see?").fill(ACCOUNT)
    page.get_by_label("Search for a child by name").fill("Bramb")
    page.get_by_role("button", name="Find child").click()
    page.get_by_role("button", name="Add Milo Bramblecott").click()
    group = page.get_by_role("group", name="What happened to Milo Bramblecott")
    # Labels are clicked, as a person does: Playwright's check() waits forever here with scripts off, after a
    # form post to an address with a #fragment.
    group.get_by_text("Shared it onward").click()
    expect(group.get_by_label("Shared it onward")).to_be_checked()
    # What was typed came through both round trips.
    expect(page.get_by_label("What did the child say, or what did you see?")).to_have_value(ACCOUNT)
    expect(page.get_by_label("Sharing nudes or semi-nudes")).to_be_checked()
    assert "Bramb" not in page.url and "?" not in page.url
    # (axe-core cannot run with scripts off: the same page with its results is checked with them on, below.)
    page.get_by_role("group", name="Have you told the designated safeguarding lead in person?").get_by_text(
        "Yes").click()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    concern = Concern.objects.get()
    assert concern.account == ACCOUNT
    assert list(ConcernChild.objects.values_list("pupil_id", "role")) == [(milo.id, "shared_onward")]


def _start_report(page, world):
    sign_in_as(page, world.tom)
    page.goto("/concerns/report/")
    page.get_by_label("Sharing nudes or semi-nudes").check()
    page.get_by_label("Search for a child by name").fill("Quen")
    page.get_by_role("button", name="Add Quentin Puddlewick").click()
    quentin = page.get_by_role("group", name="What happened to Quentin Puddlewick")
    quentin.get_by_label("Pictured in the imagery").check()
    page.get_by_label("Where did it happen? (optional)").fill("Year 5 group chat, at home")
    page.get_by_label("What did the child say, or what did you see?").fill(ACCOUNT)
    for _ in range(50):  # the autosave has reached the server with the account
        draft = Draft.objects.filter(user=world.tom).first()
        if draft and draft.data.get("account") == ACCOUNT:
            break
        page.wait_for_timeout(200)
    assert draft and draft.data.get("account") == ACCOUNT
    expect(page.locator("#draft-status")).to_contain_text("Draft saved")


def test_r_a3_a_report_over_the_limit_comes_back_with_everything_typed(page, world, settings):
    # Small limits, so that a browser can go over them quickly; the rules are the same as at 2.5 MB.
    settings.HARBOUR_MAX_TEXT_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 40_960, 163_840
    _start_report(page, world)
    pasted = "The messages said: " + "x" * 45_000
    account = page.get_by_label("What did the child say, or what did you see?")
    account.fill(pasted)
    # The autosave says at once that this is too long to save, while it is still on the screen.
    expect(page.locator("#draft-status")).to_have_text(
        "Not saved. The writing came to 44 KB. Harbour takes up to 40 KB at a time. Make it shorter.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Harbour takes up to")
    expect(account).to_have_value(pasted)  # every character
    expect(page.get_by_label("Where did it happen? (optional)")).to_have_value("Year 5 group chat, at home")
    expect(page.get_by_role("group", name="What happened to Quentin Puddlewick").get_by_label(
        "Pictured in the imagery")).to_be_checked()
    assert Concern.objects.count() == 0
    assert_accessible(page)
    assert_no_csp_violations(page)
    # Made shorter, it is sent.
    account.fill(ACCOUNT)
    page.get_by_role("group", name="Have you told the designated safeguarding lead in person?").get_by_label(
        "No").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    assert Concern.objects.get().account == ACCOUNT


def test_r_a3_past_the_hard_cap_the_draft_is_there_to_go_back_to(page, world, settings):
    settings.HARBOUR_MAX_TEXT_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 40_960, 163_840
    _start_report(page, world)
    page.get_by_label("What did the child say, or what did you see?").fill("y" * 170_000)
    expect(page.locator("#draft-status")).to_contain_text("Not saved.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Your report was not sent: it was too large")).to_be_visible()
    expect(page.get_by_text("Your report is kept as a draft, last saved at")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
    page.get_by_role("button", name="Go back to your report").click()
    expect(page.get_by_label("What did the child say, or what did you see?")).to_have_value(ACCOUNT)
    expect(page.get_by_label("Where did it happen? (optional)")).to_have_value("Year 5 group chat, at home")
    expect(page.get_by_role("group", name="What happened to Quentin Puddlewick")).to_be_visible()

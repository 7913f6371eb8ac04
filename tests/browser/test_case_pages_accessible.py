"""Every case and evidence page that the journeys do not reach, each checked with axe-core
(rules B6, B8, B10, F7, C5, C7, D1, G1 pages; WCAG 2.2 AA)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import actions
from cases.tests.helpers import ALL_NO, make_case
from cases.tests.test_case_rules import with_everything_done
from evidence import actions as evidence_actions
from evidence.actions import DELETION_SCOPE
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_case_page_passes_axe(page, world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    device = evidence_actions.record_device(user=world.diana, case=case, owner="Quentin", make="Phone X",
                                            isolation="flight_mode", holder="secure_place", where_or_who="Safe")
    deletion = evidence_actions.request_deletion(
        user=world.diana, case=case, pupil=world.pupil, deadline=timezone.now() + timedelta(days=1),
        scope=DELETION_SCOPE, illegal_reminder_given=True, consequence_explained=True)
    referral = actions.record_referral(user=world.diana, case=case, agency="csc", route="phone",
                                       made_at=timezone.now(), reference="MASH-77")
    evidence_actions.record_evidence(user=world.diana, case=case, kind="account", value="@someone_unknown",
                                     platform="Snapchat", description="Sent the first message.")
    closed = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    with_everything_done(world, closed)

    sign_in_as(page, world.diana)
    pages = {
        "/cases/": "Open cases",
        f"/cases/{case.id}/classification/": "Classification",
        f"/cases/{case.id}/decisions/new/": "Record a decision",
        f"/cases/{case.id}/advice/new/": "Record advice sought",
        f"/cases/{case.id}/decision-not-to-refer/": "Decide not to refer",
        f"/cases/{case.id}/tasks/{case.tasks.first().id}/": case.tasks.first().title,
        f"/cases/{case.id}/people/": "Add someone to this case",
        f"/cases/{case.id}/devices/{device.id}/move/": "Move Phone X",
        f"/cases/{case.id}/parents/new/": "Parents and carers",
        f"/cases/{case.id}/deletion/{deletion.id}/": "Deletion by Quentin Puddlewick",
        f"/cases/{case.id}/referrals/{referral.id}/answer/":
            "Their answer: Children's social care (MASH or front door)",
        f"/cases/{case.id}/evidence/new/": "Add to the evidence register",
        f"/cases/{case.id}/": f"Case {case.reference}",
        f"/cases/{closed.id}/reopen/": "Reopen the case",
        f"/cases/{closed.id}/": f"Case {closed.reference}",
    }
    for url, heading in pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_accessible(page)
    # Searching the chronologies from the case list, and following a match to its case (issue 9).
    page.goto("/cases/")
    page.get_by_label("Search the chronologies").fill("passed rou")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Search the chronologies", level=1)).to_be_visible()
    expect(page.locator("mark").first).to_have_text("passed")
    assert_accessible(page)
    assert "?search=" in page.url and "passed" not in page.url  # the words never reach the address
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}", level=1)).to_be_visible()
    page.go_back()  # Back shows the results again, with no "resubmit the form?" question
    expect(page.locator("mark").first).to_have_text("passed")
    page.get_by_label("Words to find").fill("nothing like this anywhere")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Nothing found")).to_be_visible()
    assert_accessible(page)
    # An error state too: the decision page with nothing filled in.
    page.goto(f"/cases/{case.id}/decisions/new/")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    # The referral form's per-field errors, inside a revealed choice (B13).
    page.goto(f"/cases/{case.id}/referrals/new/")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Choose who it was made to.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Another school or setting").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Choose how it was made to Another school or setting.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Say why this is being passed on without speaking to them first.")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, world.hana)
    page.goto(f"/cases/{case.id}/sign-off/{decision.id}/")
    expect(page.get_by_role("heading", name="Decision not to refer", level=1)).to_be_visible()
    assert_accessible(page)

"""Issue 20.6, every message right: closing a case names every blocker, each with the page where it is done; an empty
deadline and a past one are told apart; the reporter's confirmation follows the concern's status (A7)."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import actions
from cases.models import Case
from cases.tests.helpers import make_case
from concerns.models import Concern
from evidence import actions as evidence_actions
from evidence.actions import DELETION_SCOPE
from tests.people import sign_in

pytestmark = pytest.mark.django_db

CLOSING = {"summary": "Shared between two pupils; managed.", "debrief": "DSL and head.", "lessons_learnt": "None.",
           "policy_changes": "None"}


@pytest.fixture
def case(world):
    return make_case(world)


def test_r_g1_b10_closure_blockers_each_link_to_where_they_are_resolved(case):
    blockers = actions.closure_blockers(case)
    links = {str(b): b.href for b in blockers}
    assert links["Record the initial review meeting."] == reverse("cases:review", args=[case.id])
    assert links["Record the outcome."] == reverse("cases:outcome", args=[case.id])
    assert links["Confirm or choose the classification."] == reverse("cases:classification", args=[case.id])
    tasks = next(b for b in blockers if "still open" in b)
    assert tasks.href == reverse("cases:detail", args=[case.id]) + "#tasks"


def test_r_b2_b15_a_required_referral_links_to_the_referral_form_for_that_agency(world):
    sextortion = make_case(world, "sextortion")
    blockers = actions.closure_blockers(sextortion)
    referral = reverse("cases:referral", args=[sextortion.id])
    assert any("the police must be told" in b and b.href == referral + "?agency=police" for b in blockers)


def test_r_b2_a_case_with_a_criterion_met_and_no_required_referral_asks_for_the_referral(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={"B2.2": True})
    referral = reverse("cases:referral", args=[case.id])
    assert any(b.startswith("A referral is required now") and b.href == referral
               for b in actions.closure_blockers(case))


def test_r_b14_b15_e1_a_sextortion_case_asks_for_the_police_referral_once(client, world):
    """The police referral B15 requires is also the referral B2.2 (implied by B14) asks for: one step, not two."""
    sextortion = make_case(world, "sextortion")
    blockers = actions.closure_blockers(sextortion)
    assert [b for b in blockers if "referral" in b.lower()] == [
        "Sextortion is child sexual abuse and blackmail: the police must be told, whatever the other answers say. "
        "Record the referral to the police."]
    managed = actions.outcome_blockers(sextortion, Case.Outcome.MANAGED_IN_SCHOOL)
    assert sum("Record the referral" in b for b in managed) == 1
    sign_in(client, world.diana)
    page = html.unescape(client.get(reverse("cases:detail", args=[sextortion.id])).content.decode())
    next_steps = page.split('id="next-steps"', 1)[1].split("</div>", 1)[0]
    assert next_steps.count("Record the referral") == 1
    assert "A referral is required now" not in next_steps


def test_r_g1_closing_refuses_with_every_blocker_not_only_the_first(client, world, case):
    sign_in(client, world.diana)
    response = client.post(reverse("cases:close", args=[case.id]), CLOSING)
    page = html.unescape(response.content.decode())
    blockers = actions.closure_blockers(case)
    assert len(blockers) >= 4
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</div>", 3)
    for blocker in blockers:
        assert str(blocker) in "".join(summary)
        assert f'href="{blocker.href}"' in page
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_r_g1_the_case_page_links_each_next_step(client, world, case):
    sign_in(client, world.diana)
    page = html.unescape(client.get(reverse("cases:detail", args=[case.id])).content.decode())
    next_steps = page.split('id="next-steps"', 1)[1].split("</div>", 1)[0]
    for blocker in actions.closure_blockers(case):
        assert f'<a class="govuk-link" href="{blocker.href}">{blocker}</a>' in next_steps


def _ask_deletion(world, case, deadline):
    from cases.tests.helpers import ALL_NO

    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    return evidence_actions.request_deletion(user=world.diana, case=case, pupil=world.pupil,
                                             illegal_reminder_given=True, consequence_explained=True,
                                             scope=list(DELETION_SCOPE), deadline=deadline)


def test_r_c7_an_empty_deadline_asks_for_one_and_a_past_one_must_be_in_the_future(world, case):
    with pytest.raises(actions.CaseError) as empty:
        _ask_deletion(world, case, None)
    assert empty.value.message_dict["deadline"] == [
        "Set a deadline: the date and time by which the child should have deleted it."]
    with pytest.raises(actions.CaseError) as past:
        _ask_deletion(world, case, timezone.now() - timedelta(hours=1))
    assert past.value.message_dict["deadline"] == ["The deadline must be in the future."]


def test_r_e4_an_empty_review_date_asks_for_one_and_a_past_one_must_be_today_or_later(client, world, case):
    sign_in(client, world.diana)
    url = reverse("cases:review_date", args=[case.id])
    empty = html.unescape(client.post(url, {"review_date": ""}).content.decode())
    assert "Set a review date." in empty and "today or later" not in empty
    past = html.unescape(client.post(url, {"review_date": "2001-01-01"}).content.decode())
    assert "The review date must be today or later." in past


def test_r_a7_the_confirmation_follows_the_concern_status(client, world):
    from cases.tests.helpers import make_concern

    concern = make_concern(world)
    url = reverse("concerns:submitted", args=[concern.id])
    sign_in(client, world.tom)
    sent = html.unescape(client.get(url).content.decode())
    assert "Report sent" in sent and "This page will show when they have picked it up." in sent
    assert "Sent, not picked up yet" in sent and "Received" not in sent
    sign_in(client, world.diana)
    client.post(reverse("concerns:acknowledge", args=[concern.id]))
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ACKNOWLEDGED
    sign_in(client, world.tom)
    picked = html.unescape(client.get(url).content.decode())
    assert "Report sent" not in picked and "This page will show" not in picked
    assert "picked up your report on" in picked and "Picked up on" in picked

"""The pages for what a kind of incident carries: implied answers shown with their reason and changed on their own
page (B14, B16, B10), required referrals and their steps (B15), the consultation that escalates (B3), the staff
warning and the LADO's advice (F8), and the Prevent decision (F4)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import actions
from cases.models import Decision
from cases.tests.helpers import ALL_NO, make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_r_b14_the_answers_page_shows_the_implied_answer_with_its_reason_and_no_radios(client, world):
    case = make_case(world, "sextortion")
    sign_in(client, world.diana)
    page = text(client.get(reverse("cases:assess", args=[case.id])))
    assert 'name="B2.2"' not in page and 'name="B2.1"' in page
    assert "This kind of incident implies it. Sextortion is blackmail" in page
    assert f'href="/cases/{case.id}/answers/implied/?question=B2.2"' in page
    assert "B2.2:" not in page and "B2.1:" not in page  # no rule numbers in the questions
    assert "Referral required now" in page and "A referral to the police is required" in page
    assert "data-hx-post" in page and " hx-post" not in page


def test_r_b14_b10_the_implied_answer_page_keeps_what_was_typed_and_needs_a_reason(client, world):
    case = make_case(world, "sextortion")
    sign_in(client, world.diana)
    url = reverse("cases:implied", args=[case.id])
    listing = text(client.get(url))
    assert "Choose which answer to change" in listing and "?question=B2.2" in listing
    page = text(client.get(url, {"question": "B2.2"}))
    assert "This kind of incident implies" in page and "Sextortion is blackmail" in page
    refused = client.post(url, {"question": "B2.2", "answer": "no", "reason": ""})
    assert refused.status_code == 200 and "Give the reason" in text(refused)
    assert 'value="no" checked' in text(refused)
    done = client.post(url, {"question": "B2.2", "answer": "no", "reason": "Police: no threat was ever made."})
    assert done.status_code == 302 and done["Location"] == reverse("cases:assess", args=[case.id])
    case.refresh_from_db()
    assert case.facts["B2.2"] is False
    page = text(client.get(reverse("cases:assess", args=[case.id])))
    assert "Changed from yes, which this kind of incident implies. Reason: Police: no threat was ever made." in page


def test_an_unknown_question_on_the_implied_page_changes_nothing(client, world):
    case = make_case(world, "sextortion")
    sign_in(client, world.diana)
    response = client.post(reverse("cases:implied", args=[case.id]), {"question": "B2.5", "answer": "no",
                                                                        "reason": "x"})
    assert response.status_code == 200 and "Choose which answer to change" in text(response)
    case.refresh_from_db()
    assert case.facts == {}


def test_r_b15_the_task_page_offers_no_not_done_for_a_required_step_and_the_action_refuses_it(client, world):
    case = make_case(world, "online-sexual-abuse", children=[(world.pupil, "harmed")])
    step = case.tasks.get(key="immediate.3")
    sign_in(client, world.diana)
    url = reverse("cases:task", args=[case.id, step.id])
    page = text(client.get(url))
    assert "This step cannot be marked as not done." in page and 'value="not_needed"' not in page
    refused = client.post(url, {"result": "not_needed", "note": "Family asked us not to."})
    assert refused.status_code == 200 and "cannot be marked as not done" in text(refused)
    step.refresh_from_db()
    assert step.is_open


def test_r_b15_the_case_page_shows_what_the_kind_requires_and_links_to_record_it(client, world):
    case = make_case(world, "sextortion")
    sign_in(client, world.diana)
    page = text(client.get(reverse("cases:detail", args=[case.id])))
    assert "Required for this kind of incident" in page
    assert f'href="/cases/{case.id}/referrals/new/?agency=police"' in page
    assert "Required: it cannot be marked as not done." in page
    assert "Answered from the kind of incident" in page and "Sextortion is blackmail" in page
    form = text(client.get(reverse("cases:referral", args=[case.id]), {"agency": "police"}))
    assert "101 (non-emergency)" in form  # the second step, for the police, straight away


def test_r_f8_the_first_screen_of_a_staff_case_warns_not_to_investigate_and_shows_the_ladoss_advice(client, world):
    case = make_case(world, "staff-allegation", subject_staff=world.dev, children=[])
    sign_in(client, world.hana)
    page = text(client.get(reverse("cases:detail", args=[case.id])))
    warning = case.procedure["kind_rules"]["first_screen_warning"]
    assert warning in page.replace("&#39;", "'")
    assert page.index("Do not investigate") < page.index("Clocks")
    referral = actions.record_referral(user=world.hana, case=case, agency="lado", route="phone",
                                       made_at=timezone.now())
    form = text(client.get(reverse("cases:referral_answer", args=[case.id, referral.id])))
    assert "What did the LADO advise?" in form
    actions.record_response(user=world.hana, referral=referral, response="Strategy discussion on Monday; the school "
                            "takes no action meanwhile.", response_at=timezone.now())
    page = text(client.get(reverse("cases:detail", args=[case.id])))
    assert "What the LADO advised" in page and "the school takes no action meanwhile" in page
    assert "The next steps follow this advice." in page


def test_r_f8_a_dsl_case_has_no_staff_warning(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    assert "Do not investigate" not in text(client.get(reverse("cases:detail", args=[case.id])))


def test_r_b15_f4_the_prevent_decision_page_records_a_decision_not_to_refer_with_the_reason(client, world):
    case = make_case(world, "radicalisation", children=[(world.pupil, "other")])
    sign_in(client, world.diana)
    detail = text(client.get(reverse("cases:detail", args=[case.id])))
    assert f'href="/cases/{case.id}/referrals/not-made/?agency=prevent"' in detail
    url = reverse("cases:not_referred", args=[case.id])
    page = text(client.get(url, {"agency": "prevent"}))
    assert "Why not refer to Prevent?" in page
    refused = client.post(url, {"agency": "prevent", "reason": ""})
    assert refused.status_code == 200 and "Give the reason for not referring to Prevent" in text(refused)
    done = client.post(url, {"agency": "prevent", "reason": "The Prevent lead advised support in school."})
    assert done.status_code == 302
    assert case.decisions.filter(kind=Decision.Kind.REFERRAL_NOT_MADE, choice="prevent").exists()
    assert "Decided not to refer" in text(client.get(reverse("cases:detail", args=[case.id])))
    # Nothing left to decide: the page says so and offers no form.
    assert "Nothing on this case needs this decision now." in text(client.get(url))


def test_r_f4_the_outcome_page_offers_prevent_only_where_the_procedure_lists_it(client, world):
    sign_in(client, world.diana)
    radicalisation = make_case(world, "radicalisation", children=[(world.pupil, "other")])
    assert "Referred to Prevent" in text(client.get(reverse("cases:outcome", args=[radicalisation.id])))
    nudes = make_case(world)
    assert "Referred to Prevent" not in text(client.get(reverse("cases:outcome", args=[nudes.id])))
    refused = client.post(reverse("cases:outcome", args=[nudes.id]), {"outcome": "prevent", "reason": "x"})
    assert refused.status_code == 200 and "Choose the outcome" in text(refused)


def test_r_b3_the_advice_page_records_a_consultation_with_childrens_social_care(client, world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "B3.2": True})
    sign_in(client, world.diana)
    url = reverse("cases:advice", args=[case.id])
    refused = client.post(url, {"asked": "", "advice": "Support in school."})
    assert refused.status_code == 200 and "Say who you asked" in text(refused)
    assert "Support in school." in text(refused)
    response = client.post(url, {"asked": "csc", "advice": "Support in school; refer if it happens again."})
    assert response.status_code == 302
    assert case.decisions.filter(kind=Decision.Kind.CONSULTATION).exists()
    other = client.post(url, {"asked": "other", "source": "", "advice": "x"})
    assert other.status_code == 200 and "Say who was asked" in text(other)


def test_r_b3_b16_the_panel_says_why_managed_in_school_is_not_possible_in_words(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    data = {f"B2.{n}": "no" for n in range(1, 7)} | {"B3.4": "yes"}
    panel = text(client.post(reverse("cases:assess", args=[case.id]), data, HTTP_HX_REQUEST="true"))
    assert "Not possible yet: managed in school" in panel
    assert "Escalate through child protection procedures first, because an image is severe or extreme" in panel
    assert "may resolve this directly" not in panel
    assert "(B9)" not in panel and "(B13)" not in panel


@pytest.mark.parametrize("kind", ["upskirting", "deepfake"])
def test_r_b16_upskirting_and_deepfake_pages_never_say_the_school_may_resolve_it(client, world, kind):
    case = make_case(world, kind)
    sign_in(client, world.diana)
    data = {f"B2.{n}": "no" for n in range(1, 7)} | {f"B3.{n}": "no" for n in range(1, 8)} | {
        "intent_to_harm": "no", "relationship": "partners", "shared_beyond_pair": "no"}
    panel = text(client.post(reverse("cases:assess", args=[case.id]), data, HTTP_HX_REQUEST="true"))
    assert "may resolve this directly" not in panel and "Experimental" not in panel
    assert "Aggravated: youth only, reckless misuse" in panel

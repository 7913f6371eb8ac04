"""One test per procedure: a concern is reported, the case is opened and driven to closure
through the pages a DSL (or, for an allegation, the headteacher) uses.

Odd-numbered procedures go by a recorded referral; even-numbered ones by a signed
decision not to refer (B6), so both roads to closure are walked for every kind of case.
A kind that requires a referral whatever the answers (B15), or whose implied answers meet a
criterion (B14), goes by referral: those referrals are recorded first.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.tests.helpers import code_for, make_concern
from procedures import schema
from tests.people import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

PROCEDURES = sorted(schema.load_all())
ROUTES = {"police": "police_101", "lado": "phone", "prevent": "online", "csc": "phone"}


def refer(client, case, agency):
    client.post(reverse("cases:referral", args=[case.id]), {
        "agency": agency, "route": ROUTES[agency], "made_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "reference": "REF-1"})
    return case.referrals.get(agency=agency)


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_concern_to_closed_case(client, world, procedure_id):
    allegation = procedure_id == "staff-allegation"
    concern = make_concern(world, procedure_id, subject_staff=world.dev if allegation else None,
                           children=[] if procedure_id in ("filtering-breach", "staff-allegation")
                           else [(world.pupil, "pictured")])
    owner = world.hana if allegation else world.diana
    sign_in(client, owner)
    response = client.post(reverse("concerns:open_case", args=[concern.id]))
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.id])
    assert case.procedure_id == procedure_id
    detail = reverse("cases:detail", args=[case.id])
    assert case.procedure_label in client.get(detail).content.decode()

    # B1: the initial review meeting.
    answers = {f"answer_{q['id']}": "Discussed at the meeting." for q in case.procedure["initial_review_questions"]}
    response = client.post(reverse("cases:review", args=[case.id]), {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "attendees": [owner.id], **answers})
    assert response.status_code == 302, response.content.decode()[:2000]

    # B2/B3: every criterion, factor and question of the kind answered no; typology facts where it uses them.
    # What the kind implies (B14, B16) is already answered and stays so.
    facts = {c["id"]: "no" for c in case.procedure["referral_criteria"]}
    facts |= {f["id"]: "no" for f in case.procedure["escalation_factors"]}
    facts |= {q["id"]: "no" for q in case.procedure["yes_no_questions"]}
    if case.procedure["typology"]:
        facts |= {"intent_to_harm": "no", "pictured_child_willing": "yes", "relationship": "partners",
                  "shared_beyond_pair": "no"}
    assert client.post(reverse("cases:assess", args=[case.id]), facts).status_code == 302
    case.refresh_from_db()
    implied = {i["question"]: i["answer"] for i in case.evaluation["implied_answers"]}
    criteria_implied = sorted(c["id"] for c in case.procedure["referral_criteria"] if implied.get(c["id"]) is True)
    assert case.evaluation["criteria_unknown"] == [] and case.evaluation["criteria_met"] == criteria_implied

    if case.procedure["typology"]:
        suggestion = case.evaluation["suggested_classification"]
        experimental = case.procedure["kind_rules"]["experimental_possible"] and not implied
        assert suggestion.startswith("experimental.") is experimental, suggestion
        response = client.post(reverse("cases:classification", args=[case.id]),
                               {"choice": suggestion, "reason": "As the answers show."})
        assert response.status_code == 302

    # B15: what the kind requires whatever the answers, first. A Prevent decision may be "not referred".
    required = case.evaluation["required_referrals"]
    by_referral = (PROCEDURES.index(procedure_id) % 2 == 1 or case.evaluation["referral_required"]
                   or any(r["agency"] in ("police", "csc") for r in required))
    for item in required:
        if item["decision"] and not by_referral:
            response = client.post(reverse("cases:not_referred", args=[case.id]),
                                   {"agency": item["agency"], "reason": "Discussed with the local Prevent lead."})
            assert response.status_code == 302, response.content.decode()[:2000]
            continue
        referral = refer(client, case, item["agency"])
        if item["answer_needed"]:
            response = client.post(reverse("cases:referral_answer", args=[case.id, referral.id]), {
                "response": "Their advice: the school supports the child; no investigation by the school.",
                "response_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
            assert response.status_code == 302, response.content.decode()[:2000]

    if by_referral:
        recorded = set(case.referrals.values_list("agency", flat=True))
        if "prevent" in recorded and any(o["id"] == "prevent" for o in case.procedure["outcomes"]):
            outcome = "prevent"
        else:
            if not recorded & {"police", "csc"}:
                refer(client, case, "csc")
            outcome = "refer"
    else:
        response = client.post(reverse("cases:no_referral", args=[case.id]),
                               {"reason": "Every criterion answered no; the school will support the children."})
        assert response.status_code == 302
        decision = case.decisions.get(kind="no_referral")
        # Managed in school waits for the signatures (B6).
        response = client.post(reverse("cases:outcome", args=[case.id]),
                               {"outcome": "managed_in_school", "reason": "Support in school."})
        assert response.status_code == 200 and "signed off" in response.content.decode()
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            for signer in (world.hana, world.lena):
                sign_in(client, signer)
                response = client.post(reverse("cases:sign_off", args=[case.id, decision.id]),
                                       {"password": PASSWORD, "code": code_for(signer)})
                assert response.status_code == 302, response.content.decode()[:3000]
        decision.refresh_from_db()
        assert decision.state == "signed_off"
        sign_in(client, owner)
        outcome = "managed_in_school"
    response = client.post(reverse("cases:outcome", args=[case.id]), {"outcome": outcome, "reason": "As recorded."})
    assert response.status_code == 302, response.content.decode()[:3000]

    # Every timed task is done or not done with a reason (B10); a required referral's steps are done already (B15).
    for n, task in enumerate(case.tasks.outstanding().exclude(phase="ongoing")):
        data = {"result": "done"} if n % 3 else {"result": "not_needed", "note": "Not relevant to this incident."}
        assert client.post(reverse("cases:task", args=[case.id, task.id]), data).status_code == 302

    # G1/H1: closure with the summary, debrief and lessons learnt.
    response = client.post(reverse("cases:close", args=[case.id]), {
        "summary": "What happened, how it was followed up and resolved.", "debrief": "DSL and head, 20 minutes.",
        "lessons_learnt": "Tell parents sooner.", "policy_changes": "None"})
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.status == "closed" and not case.tasks.outstanding().exists()
    page = client.get(detail).content.decode()
    assert "Tell parents sooner." in page and "Reopen this case" in page
    concern.refresh_from_db()
    assert concern.status == "closed"

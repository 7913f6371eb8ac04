"""Reading through the API: pupils by UPN, a case's status, a procedure's evaluation. Every read is audited
with the token as the actor (H2); a token of school A never sees school B (H3)."""

import pytest

from api.scopes import Scope
from audit.models import AuditEvent
from cases.actions import open_case
from concerns.models import Concern
from accounts.capabilities import ROLE_LABELS
from procedures import engine, versions

pytestmark = pytest.mark.django_db


def test_r_h2_a_pupil_is_read_by_upn_and_the_read_is_audited(world, make_token, call):
    token, secret = make_token(Scope.PUPILS_READ)
    response = call("get", f"/pupils/{world.pupil.upn.lower()}", secret)
    assert response.status_code == 200
    assert response.json() == {
        "id": world.pupil.id, "upn": "A999000000001", "legal_first_name": "Quentin",
        "legal_last_name": "Puddlewick", "preferred_first_name": "", "preferred_last_name": "",
        "date_of_birth": "2012-05-04", "year_group": 5, "year_group_name": "year_5", "on_roll": True,
        "left_on": None}
    event = AuditEvent.objects.get(action="view", object_type="pupil")
    assert event.object_id == str(world.pupil.id) and event.actor == token.account
    assert event.detail == {"via": "api", "api_token": token.id} and event.school_id == world.oakfield.id


def test_r_h3_a_token_never_sees_a_pupil_of_another_school(world, make_token, call):
    _, secret = make_token(Scope.PUPILS_READ)
    other = call("get", f"/pupils/{world.elm_pupil.upn}", secret)
    missing = call("get", "/pupils/Z999999999999", secret)
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    assert AuditEvent.objects.filter(action="denied", object_type="pupil", detail__reason="not_found").count() == 2


@pytest.fixture
def case(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE, name="Reporter")
    made = call("post", "/concerns", secret, {
        "incident_type": "sextortion", "account": "He said someone online wants money or they post his photo.",
        "children": [{"upn": world.pupil.upn, "role": "pictured"}], "dsl_told_in_person": False}).json()
    return open_case(user=world.diana, concern=Concern.objects.get(id=made["id"]))


def test_a_cases_status_has_deadlines_and_outcome_but_no_narrative(world, make_token, call, case):
    token, secret = make_token(Scope.CASES_READ, Scope.CONCERNS_READ)
    response = call("get", f"/cases/{case.id}", secret)
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference and body["status"] == "open" and body["outcome"] is None
    assert set(body["phase_deadlines"]) >= {"immediate", "short_term"}
    assert body["tasks_outstanding"] == case.tasks.outstanding().count() > 0 and body["tasks_overdue"] == 0
    text = response.content.decode()
    assert "money" not in text and "Puddlewick" not in text and "Quentin" not in text
    concern = call("get", f"/concerns/{case.concerns.get().id}", secret).json()
    assert concern["status"] == "acknowledged" and concern["case"]["reference"] == case.reference
    assert AuditEvent.objects.filter(action="view", object_type="case", actor=token.account).count() == 1


def test_r_h3_a_token_never_sees_a_case_of_another_school(world, make_token, call, case):
    _, elm = make_token(Scope.CASES_READ, school=world.elmtree)
    _, river = make_token(Scope.CASES_READ, school=world.riverside)
    _, without_scope = make_token(Scope.CONCERNS_READ)
    missing = call("get", "/cases/999999", elm)
    for secret in (elm, river):
        response = call("get", f"/cases/{case.id}", secret)
        assert response.status_code == 404 and response.json() == missing.json()
    assert call("get", f"/cases/{case.id}", without_scope).status_code == 403


def test_evaluating_a_procedure_follows_the_engines_contract(world, make_token, call):
    token, secret = make_token(Scope.PROCEDURES_EVALUATE)
    facts = {"B2.1": True, "B2.2": False, "youngest_age": 14, "referral_recorded": False}
    response = call("post", "/procedures/nudes-sharing/evaluate", secret, facts)
    assert response.status_code == 200
    procedure = versions.effective_for(world.oakfield, "nudes-sharing")
    assert response.json() == {**engine.evaluate(procedure, facts, role_labels=ROLE_LABELS),
                               "procedure": procedure["pinned"]["label"]}
    assert response.json()["referral_required"] is True  # B2: an adult involved
    assert response.json()["suggested_classification"] == "aggravated.adult_involved"  # B8
    assert AuditEvent.objects.filter(action="view", object_type="procedure", object_id="nudes-sharing",
                                     actor=token.account).count() == 1


def test_an_unknown_procedure_or_bad_facts_get_a_clear_error(world, make_token, call, client):
    _, secret = make_token(Scope.PROCEDURES_EVALUATE)
    unknown = call("post", "/procedures/no-such-thing/evaluate", secret, {})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "procedure_id"
    for body in ("[1, 2]", "null", "{", '"text"'):
        response = client.post("/api/v1/procedures/nudes-sharing/evaluate", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code in (400, 422) and response.json()["detail"], body
    empty = call("post", "/procedures/nudes-sharing/evaluate", secret, {})
    assert empty.status_code == 200 and empty.json()["referral_required"] is False
    assert "B2.1" in empty.json()["criteria_unknown"]  # unknown is never "no"


def test_r_17_8_r_b14_b15_the_api_says_what_the_case_would_say(world, make_token, call):
    """Issue 17.8: "managed in school" is blocked while questions are unanswered, as on a case; sextortion
    requires the police and is blackmail from the start (B14, B15); a factor alone blocks it too (B3)."""
    _, secret = make_token(Scope.PROCEDURES_EVALUATE)
    empty = call("post", "/procedures/nudes-sharing/evaluate", secret, {}).json()
    assert empty["blocked_outcomes"] == ["managed_in_school"]
    assert [r["code"] for r in empty["blocked_reasons"]["managed_in_school"]] == ["criteria_unanswered"]
    sextortion = call("post", "/procedures/sextortion/evaluate", secret, {}).json()
    assert sextortion["referral_required"] is True and sextortion["criteria_met"] == ["B2.2"]
    assert sextortion["blocked_outcomes"] == ["managed_in_school"]
    assert [(r["agency"], r["satisfied"]) for r in sextortion["required_referrals"]] == [("police", False)]
    assert sextortion["implied_answers"][0]["question"] == "B2.2"
    factor = call("post", "/procedures/nudes-sharing/evaluate", secret,
                  {**{f"B2.{n}": False for n in range(1, 7)}, "B3.2": True, "no_referral_signed_off": True}).json()
    assert [r["code"] for r in factor["blocked_reasons"]["managed_in_school"]] == ["escalation_needed"]


def test_deeply_nested_facts_get_an_answer_not_a_server_error(world, make_token, client):
    _, secret = make_token(Scope.PROCEDURES_EVALUATE)
    for depth in (900, 5000):
        body = '{"B2.1": ' + "[" * depth + "]" * depth + "}"
        response = client.post("/api/v1/procedures/nudes-sharing/evaluate", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code in (200, 400), (depth, response.status_code)

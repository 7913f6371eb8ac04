"""J1: misinformation, disinformation and conspiracy theories have their own procedure, reported like any other kind,
with a Prevent decision only when radicalisation's own test is met."""

import json

import pytest
from django.core.management import call_command

from cases import actions, evaluation
from cases.tests.helpers import make_case
from concerns.models import Concern, IncidentType
from concerns.tests.test_report import REPORT, report_data
from procedures import engine, schema
from reports import reporting
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def test_j1_procedure_evaluate_misinformation_works_from_the_command_line(capsys, tmp_path):
    call_command("procedure", "evaluate", "misinformation")
    result = json.loads(capsys.readouterr().out)
    assert result["criteria_unknown"] == ["B2.6"]
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"B2.6": False, "radicalisation_concern": False}))
    call_command("procedure", "evaluate", "misinformation", str(facts))
    result = json.loads(capsys.readouterr().out)
    # No Prevent decision needed: what is left is the signed-off decision not to refer every kind needs (B6).
    assert result["required_referrals"] == []
    assert [b["code"] for b in result["blocked_reasons"]["managed_in_school"]] == ["sign_off_needed"]


def test_j1_the_procedure_asks_what_was_believed_where_and_who_is_affected_and_plans_teaching():
    definition = schema.get("misinformation")
    review = " ".join(q["text"] for q in definition["initial_review_questions"])
    for words in ("believed or shared", "Where did it come from", "Who is affected"):
        assert words in review
    titles = " ".join(t["title"] for t in definition["tasks"])
    assert "teaching response" in titles and "pastoral support" in titles
    assert all(item.get("source") for section in ("initial_review_questions", "risk_questions", "tasks", "advice",
                                                   "guidance", "outcomes", "yes_no_questions")
               for item in definition[section])


def test_j1_prevent_is_required_only_when_it_draws_a_child_towards_extremism():
    definition = schema.get("misinformation")
    ordinary = engine.evaluate(definition, {"B2.6": False, "radicalisation_concern": False})
    assert ordinary["required_referrals"] == []
    unanswered = engine.evaluate(definition, {"B2.6": False})
    assert [r["applies"] for r in unanswered["required_referrals"]] == [None]
    extremist = engine.evaluate(definition, {"B2.6": False, "radicalisation_concern": True})
    (prevent,) = extremist["required_referrals"]
    assert prevent["agency"] == "prevent" and prevent["applies"] is True and prevent["decision"] is True
    assert "required_decision" in [b["code"] for b in extremist["blocked_reasons"]["managed_in_school"]]
    assert any("Prevent decision" in g["text"] for g in extremist["guidance"])


def test_j1_a_teacher_reports_misinformation_and_the_dsl_opens_its_case(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world, incident_type="misinformation",
                          account="Pupils in 8K say a video proves the school's water is poisoned; two are scared.")
    data[f"role_{world.pupil.id}"] = "harmed"
    data.pop("device_confiscated"), data.pop("device_isolation"), data.pop("device_location")
    data = {k: v for k, v in data.items() if not k.startswith("role_") or k.endswith(str(world.pupil.id))}
    data["child"] = [str(world.pupil.id)]
    assert client.post(REPORT, data).status_code == 302
    concern = Concern.objects.get()
    assert concern.incident_type == IncidentType.MISINFORMATION and concern.route == "dsl"
    case = actions.open_case(user=world.diana, concern=concern)
    assert case.procedure_id == "misinformation" and case.procedure["version"] == 1
    assert reporting.load().areas["misinformation"] == "content"


def test_j1_a_misinformation_case_records_the_prevent_decision_when_it_leads_towards_extremism(world):
    case = make_case(world, "misinformation", children=[(world.pupil, "other")])
    actions.update_answers(user=world.diana, case=case, facts={"B2.6": False, "radicalisation_concern": False})
    assert not any("Prevent" in b for b in actions.closure_blockers(case))
    actions.update_answers(user=world.diana, case=case, facts={"B2.6": False, "radicalisation_concern": True})
    assert any("Prevent" in b for b in actions.closure_blockers(case))
    actions.record_referral_not_made(user=world.diana, case=case, agency="prevent",
                                     reason="The Prevent lead advised support in school and lessons on sources.")
    assert not any("Prevent" in b for b in actions.closure_blockers(case))
    codes = [b["code"] for b in evaluation.assess(case).result["blocked_reasons"]["managed_in_school"]]
    assert "required_decision" not in codes

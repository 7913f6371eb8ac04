"""J2: every imagery procedure asks whether the imagery is, or may be, made or altered with AI, and an AI-made image
meets exactly the same referral criteria as a real one."""

import pytest

from cases.models import IMAGERY_PROCEDURES
from procedures import engine, schema

AI = "ai_made_or_altered"


@pytest.mark.parametrize("procedure_id", IMAGERY_PROCEDURES)
def test_j2_every_imagery_procedure_asks_whether_the_imagery_is_or_may_be_ai_made(procedure_id):
    definition = schema.get(procedure_id)
    questions = {q["id"]: q for q in definition["yes_no_questions"]}
    assert AI in questions
    assert "J2" in questions[AI]["rules"]
    assert "may be" in questions[AI]["text"] + questions[AI].get("hint", "")


def test_j2_the_list_of_imagery_procedures_is_every_procedure_that_asks_the_question():
    asking = {pid for pid, d in schema.load_all().items() if AI in {q["id"] for q in d["yes_no_questions"]}}
    assert asking == set(IMAGERY_PROCEDURES)


@pytest.mark.parametrize("procedure_id", IMAGERY_PROCEDURES)
def test_j2_an_ai_made_image_meets_the_same_referral_criteria_as_a_real_one(procedure_id):
    definition = schema.get(procedure_id)
    criteria = [c["id"] for c in definition["referral_criteria"]]
    assert criteria, "an imagery procedure has referral criteria"
    for criterion in criteria:
        facts = {c: c == criterion for c in criteria}
        real = engine.evaluate(definition, {**facts, AI: False})
        made = engine.evaluate(definition, {**facts, AI: True})
        assert made["referral_required"] is True
        assert criterion in made["criteria_met"] and made["criteria_met"] == real["criteria_met"]
        assert made["blocked_outcomes"] == real["blocked_outcomes"] == ["managed_in_school"]
    # With no criterion answered yes, AI adds none either (a kind may imply one: sextortion is coercion).
    none = {c: False for c in criteria}
    assert (engine.evaluate(definition, {**none, AI: True})["criteria_met"]
            == engine.evaluate(definition, {**none, AI: False})["criteria_met"])


@pytest.mark.parametrize("procedure_id", [p for p in IMAGERY_PROCEDURES if p != "deepfake"])
def test_j2_an_ai_made_image_is_handled_as_real_imagery_in_words(procedure_id):
    result = engine.evaluate(schema.get(procedure_id), {AI: True})
    assert any("nobody views or keeps it" in g["text"] for g in result["guidance"])


def test_j2_a_deepfake_implies_the_image_is_ai_made_and_the_dsl_may_change_that_with_a_reason():
    definition = schema.get("deepfake")
    implied = {i["question"]: i for i in engine.evaluate(definition, {})["implied_answers"]}
    assert implied[AI]["answer"] is True and implied[AI]["legal"] is False
    changed = engine.evaluate(definition, {AI: False, "implied_changes": {AI: "It was a real photograph."}})
    assert {i["question"]: i for i in changed["implied_answers"]}[AI]["answer"] is False


def test_j2_guidance_may_name_only_a_yes_no_question_of_its_procedure():
    definition = schema.get("nudes-sharing")
    definition["guidance"].append({"when": "no_such_question", "text": "Words.", "rules": ["J2"]})
    assert any("no_such_question" in problem for problem in schema.validate(definition))

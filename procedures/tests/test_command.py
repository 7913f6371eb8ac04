"""`manage.py procedure validate|evaluate`, called on a Command instance (works before INSTALLED_APPS)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from procedures import engine, schema
from procedures.management.commands.procedure import Command


def run(*args):
    out = StringIO()
    call_command(Command(), *args, stdout=out)
    return out.getvalue()


def test_validate_prints_one_ok_line_per_procedure():
    lines = run("validate").splitlines()
    assert len([line for line in lines if not line.startswith("ok nation ")]) == 12  # J1: misinformation
    # J8: each nation's layer is checked too.
    assert {line.split()[2] for line in lines if line.startswith("ok nation ")} == {"wales", "scotland",
                                                                                   "northern_ireland"}
    assert f"ok nudes-sharing v{schema.get('nudes-sharing')['version']}" in lines
    assert f"ok sextortion v{schema.get('sextortion')['version']}" in lines


def test_validate_fails_with_message_on_bad_definition(tmp_path, monkeypatch):
    (tmp_path / "bad.toml").write_text('id = "bad"\n')
    monkeypatch.setattr(schema, "DEFINITIONS_DIR", tmp_path)
    with pytest.raises(CommandError, match=r"bad\.toml"):
        run("validate")


def test_r_b2_evaluate_prints_sorted_json(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"B2.1": True, "B3.6": True}))
    output = run("evaluate", "nudes-sharing", str(facts))
    result = json.loads(output)
    assert set(result) == set(engine.RESULT_KEYS)
    assert list(result) == sorted(result)
    assert result["referral_required"] is True
    assert result["criteria_met"] == ["B2.1"]
    assert result["escalation_factors"] == ["B3.6"]
    assert result["suggested_classification"] == "aggravated.adult_involved"
    assert result["blocked_outcomes"] == ["managed_in_school"]
    assert output.startswith('{\n  "blocked_outcomes"')


def test_evaluate_unknown_procedure(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text("{}")
    with pytest.raises(CommandError, match="unknown procedure 'nope'"):
        run("evaluate", "nope", str(facts))


def test_evaluate_rejects_path_like_procedure_id(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text("{}")
    with pytest.raises(CommandError, match="unknown procedure"):
        run("evaluate", "../definitions/iioc", str(facts))


def test_evaluate_bad_json(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        run("evaluate", "sextortion", str(facts))


def test_evaluate_json_must_be_object(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text("[true]")
    with pytest.raises(CommandError, match="JSON object"):
        run("evaluate", "sextortion", str(facts))


def test_evaluate_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read facts file"):
        run("evaluate", "sextortion", str(tmp_path / "absent.json"))


def test_evaluate_needs_a_procedure():
    with pytest.raises(CommandError, match="usage"):
        run("evaluate")


def test_r_b6_r_17_8_evaluate_with_no_answers_blocks_managed_in_school():
    """Issue 17.8: `procedure evaluate nudes-sharing` with no answers says what the case says: not yet."""
    result = json.loads(run("evaluate", "nudes-sharing"))
    assert result["blocked_outcomes"] == ["managed_in_school"]
    assert [r["code"] for r in result["blocked_reasons"]["managed_in_school"]] == ["criteria_unanswered"]
    assert result["may_resolve_directly"] is False


def test_r_b14_b15_evaluate_sextortion_with_no_answers_requires_the_police():
    result = json.loads(run("evaluate", "sextortion"))
    assert result["referral_required"] is True
    assert result["criteria_met"] == ["B2.2"]
    assert result["blocked_outcomes"] == ["managed_in_school"]
    assert [(r["agency"], r["satisfied"]) for r in result["required_referrals"]] == [("police", False)]
    assert [i["question"] for i in result["implied_answers"]] == ["B2.2", "intent_to_harm"]


def test_r_b3_evaluate_names_the_sign_off_roles_in_words(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({f"B2.{n}": False for n in range(1, 7)}))
    result = json.loads(run("evaluate", "nudes-sharing", str(facts)))
    assert result["blocked_reasons"]["managed_in_school"][0]["text"].endswith(
        "signed off by the headteacher and trust safeguarding lead.")


def test_r_j8_evaluate_for_scotland_requires_the_inter_agency_referral_discussion():
    scotland = json.loads(run("evaluate", "nudes-sharing", "--nation", "scotland"))
    assert any(r["agency"] == "ird" and r["applies"] is True for r in scotland["required_referrals"])
    england = json.loads(run("evaluate", "nudes-sharing"))
    assert all(r["agency"] != "ird" for r in england["required_referrals"])

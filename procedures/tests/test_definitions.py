"""Procedure definition files and their validator (schema.py)."""

import copy
import tomllib

import pytest

from procedures import schema

EXPECTED_IDS = {
    "nudes-sharing",
    "sextortion",
    "online-sexual-abuse",
    "iioc",
    "upskirting",
    "deepfake",
    "cyberbullying",
    "online-hate",
    "radicalisation",
    "filtering-breach",
    "staff-allegation",
    "misinformation",  # J1
}
IMAGERY_ABUSE = {"nudes-sharing", "sextortion", "online-sexual-abuse", "iioc", "upskirting", "deepfake"}


@pytest.fixture(scope="module")
def definitions():
    return schema.load_all()


def raw(pid):
    with (schema.DEFINITIONS_DIR / f"{pid}.toml").open("rb") as fh:
        return tomllib.load(fh)


def test_all_eleven_definitions_load_and_validate(definitions):
    assert set(definitions) == EXPECTED_IDS
    for pid in EXPECTED_IDS:
        assert schema.validate(raw(pid)) == [], pid
        assert definitions[pid]["version"] >= 1


def test_r_b2_imagery_and_abuse_types_carry_all_six_referral_criteria(definitions):
    for pid in IMAGERY_ABUSE:
        ids = [c["id"] for c in definitions[pid]["referral_criteria"]]
        assert ids == ["B2.1", "B2.2", "B2.3", "B2.4", "B2.5", "B2.6"], pid


def test_r_b2_6_immediate_risk_checked_for_every_type(definitions):
    for pid, d in definitions.items():
        assert "B2.6" in [c["id"] for c in d["referral_criteria"]], pid


def test_r_b3_escalation_factors_include_involved_before(definitions):
    for pid in ("nudes-sharing", "sextortion", "deepfake", "upskirting"):
        factors = {f["id"]: f["text"] for f in definitions[pid]["escalation_factors"]}
        assert sorted(factors) == [f"B3.{n}" for n in range(1, 8)]
        assert "similar incident before" in factors["B3.6"]


def test_r_b5_every_procedure_offers_the_three_outcomes(definitions):
    for d in definitions.values():
        assert {o["id"] for o in d["outcomes"]} >= {"refer", "seek_advice", "managed_in_school"}


def test_r_b6_default_sign_off_roles(definitions):
    for d in definitions.values():
        assert d["sign_off_roles"] == ["headteacher", "trust_safeguarding_lead"]


def test_r_b8_typology_on_for_youth_produced_imagery_only(definitions):
    on = {pid for pid, d in definitions.items() if d["typology"]}
    assert "nudes-sharing" in on
    assert on <= {"nudes-sharing", "sextortion", "upskirting", "deepfake"}


def test_r_b1_initial_review_questions_present(definitions):
    for d in definitions.values():
        assert len(d["initial_review_questions"]) >= 5


def test_r_d5_removal_and_reporting_links_are_https(definitions):
    urls = {a["url"] for d in definitions.values() for a in d["advice"]}
    assert all(u.startswith("https://") for u in urls)
    assert "https://takeitdown.ncmec.org/" in urls
    assert any("childline.org.uk" in u for u in urls)
    assert any("ceop.police.uk" in u for u in urls)


def test_r_f4_radicalisation_has_prevent_route(definitions):
    d = definitions["radicalisation"]
    assert any("Prevent" in t["title"] and "F4" in t["rules"] for t in d["tasks"])


def test_r_f1_online_sexual_abuse_police_at_once(definitions):
    police = [t for t in definitions["online-sexual-abuse"]["tasks"] if "police" in t["title"].lower()]
    assert police and police[0]["phase"] == "immediate" and police[0]["due_after_minutes"] <= 60


def test_r_a5_filtering_breach_tells_provider_and_parents(definitions):
    titles = " ".join(t["title"] for t in definitions["filtering-breach"]["tasks"]).lower()
    assert "provider" in titles and "parents" in titles and "iwf" in titles


def test_r_c9_staff_allegation_goes_to_headteacher_and_lado(definitions):
    titles = " ".join(t["title"] for t in definitions["staff-allegation"]["tasks"])
    assert "headteacher" in titles and "LADO" in titles


def test_ongoing_tasks_have_no_due_time_after_loading(definitions):
    for d in definitions.values():
        for t in d["tasks"]:
            if t["phase"] == "ongoing":
                assert t["due_after_minutes"] is None


# ---- the validator rejects broken definitions -------------------------------------


def broken(mutate):
    d = copy.deepcopy(raw("nudes-sharing"))
    mutate(d)
    return schema.validate(d)


def test_schema_rejects_missing_required_key():
    errors = broken(lambda d: d.pop("tasks"))
    assert any("tasks" in e for e in errors)


def test_schema_rejects_wrong_types():
    def m(d):
        d["version"] = "1"
        d["typology"] = "yes"
        d["title"] = ""

    errors = broken(m)
    assert any("version" in e for e in errors)
    assert any("typology" in e for e in errors)
    assert any("title" in e for e in errors)


def test_schema_rejects_bool_version():
    assert any("version" in e for e in broken(lambda d: d.update(version=True)))


def test_r_b2_schema_rejects_bad_criterion_id():
    errors = broken(lambda d: d["referral_criteria"][0].update(id="B2.7"))
    assert any("B2.7" in e for e in errors)


def test_r_b3_schema_rejects_bad_factor_id():
    errors = broken(lambda d: d["escalation_factors"][0].update(id="B3.8"))
    assert any("B3.8" in e for e in errors)


def test_schema_rejects_duplicate_ids():
    errors = broken(lambda d: d["initial_review_questions"][1].update(id=d["initial_review_questions"][0]["id"]))
    assert any("duplicate" in e for e in errors)


def test_schema_rejects_unknown_phase_and_bad_due_time():
    def m(d):
        d["tasks"][0]["phase"] = "later"
        d["tasks"][1]["due_after_minutes"] = -5
        d["tasks"][2]["due_after_minutes"] = 1.5

    errors = broken(m)
    assert any("later" in e for e in errors)
    assert sum("due_after_minutes" in e for e in errors) == 2


def test_schema_rejects_malformed_rule_ids():
    def m(d):
        d["rules"].append("Z9")
        d["tasks"][0]["rules"] = ["b2"]
        d["advice"][0]["rules"] = "B2"

    errors = broken(m)
    assert any("'Z9'" in e for e in errors)
    assert any("'b2'" in e for e in errors)
    assert any("advice[0]" in e for e in errors)


def test_r_b5_schema_rejects_missing_outcome():
    errors = broken(lambda d: d.update(outcomes=[o for o in d["outcomes"] if o["id"] != "seek_advice"]))
    assert any("seek_advice" in e for e in errors)


def test_schema_rejects_non_dict():
    assert schema.validate([]) != []


def test_load_all_names_the_bad_file(tmp_path):
    (tmp_path / "good.toml").write_text(
        (schema.DEFINITIONS_DIR / "iioc.toml").read_text().replace('id = "iioc"', 'id = "good"')
    )
    (tmp_path / "bad.toml").write_text('id = "bad"\nversion = 0\n')
    with pytest.raises(schema.ProcedureDefinitionError, match=r"bad\.toml: .*version"):
        schema.load_all(tmp_path)


def test_load_all_reports_invalid_toml(tmp_path):
    (tmp_path / "oops.toml").write_text("id = \n")
    with pytest.raises(schema.ProcedureDefinitionError, match=r"oops\.toml: is not valid TOML"):
        schema.load_all(tmp_path)


def test_load_rejects_id_not_matching_file_name(tmp_path):
    (tmp_path / "other.toml").write_text((schema.DEFINITIONS_DIR / "iioc.toml").read_text())
    with pytest.raises(schema.ProcedureDefinitionError, match="does not match the file name"):
        schema.load_all(tmp_path)


def test_r_f2_cyberbullying_follows_behaviour_policies_and_police_if_an_offence(definitions):
    titles = " ".join(t["title"] for t in definitions["cyberbullying"]["tasks"])
    assert "behaviour and anti-bullying policies" in titles and "police if an offence may have been committed" in titles


def test_r_f3_online_hate_follows_behaviour_policy_and_police_if_criminal(definitions):
    titles = " ".join(t["title"] for t in definitions["online-hate"]["tasks"])
    assert "behaviour policy" in titles and "police if a criminal offence is suspected" in titles


def test_r_f5_upskirting_is_an_offence_dsl_and_child_protection(definitions):
    tasks = definitions["upskirting"]["tasks"]
    assert "criminal offence" in tasks[0]["title"] and tasks[0]["phase"] == "immediate"
    assert any("child protection procedures" in t["title"] for t in tasks)


def test_r_f6_deepfakes_are_treated_as_indecent_imagery(definitions):
    deepfake, nudes = definitions["deepfake"], definitions["nudes-sharing"]
    assert [c["id"] for c in deepfake["referral_criteria"]] == [c["id"] for c in nudes["referral_criteria"]]
    assert deepfake["typology"] is True
    assert any("A3" in t["rules"] for t in deepfake["tasks"])


def test_r_e5_e6_sextortion_shows_principles_and_family_advice(definitions):
    sextortion = definitions["sextortion"]
    assert len(sextortion["principles"]) == 5
    assert sextortion["principles"][0].startswith("Child-centred")
    advice = " ".join(a["text"] for a in sextortion["family_advice"])
    for words in ("Do not pay", "block", "do not delete", "police or to CEOP", "Report Remove", "Take It Down"):
        assert words in advice


def test_guidance_needs_a_known_condition():
    """J3: a guidance entry may also depend on one of its procedure's own yes/no questions, and on nothing else."""
    d = raw("nudes-sharing")
    d["guidance"] = [{"when": "Sometimes!", "text": "x", "rules": ["B9"]}, {"text": "", "rules": []}]
    errors = schema.validate(d)
    assert any("'when' must be" in e for e in errors) and any("guidance[1]" in e for e in errors)
    d["guidance"] = [{"when": "sometimes", "text": "x", "rules": ["B9"]}]
    assert any("'when' names 'sometimes'" in e for e in schema.validate(d))
    d["guidance"] = [{"when": "ai_made_or_altered", "text": "x", "rules": ["J2"]}]
    assert schema.validate(d) == []


# ---- pydantic models: a broken file is named with its element and problem; old copies still load -----------


def test_r_e7_a_broken_definition_file_is_refused_naming_the_file_the_task_and_the_problem(tmp_path):
    text = (schema.DEFINITIONS_DIR / "iioc.toml").read_text()
    (tmp_path / "iioc.toml").write_text(text.replace('phase = "immediate"', 'phase = "later"', 1)
                                        .replace("due_after_minutes = 60", "due_after_minutes = -60", 1))
    with pytest.raises(schema.ProcedureDefinitionError) as refused:
        schema.load_all(tmp_path)
    assert str(refused.value) == (
        "iioc.toml: tasks[0]: 'phase' must be one of immediate, short_term, medium_term, ongoing, not 'later'; "
        "tasks[3]: 'due_after_minutes' must be a whole number of minutes, 0 or more, or left out")


def test_r_b6_b15_b16_an_old_pinned_copy_stored_as_json_still_loads_with_every_newer_key_defaulted():
    """A case keeps its procedure as JSON from the day it opened; keys added since get their defaults."""
    import json

    from procedures import engine

    pinned = json.loads(json.dumps(schema.get("staff-allegation")))
    for key in ("typology", "sign_off_roles", "kind_rules", "yes_no_questions", "implied_answers", "principles"):
        pinned.pop(key, None)
    for item in pinned["required_referrals"]:
        for key in ("decision", "answer_needed", "within_working_days", "tasks"):
            item.pop(key)
    pinned["pinned"] = {"procedure_id": "staff-allegation", "label": "Staff allegation v1"}
    pinned["tasks"].append({"id": "school.1", "phase": "ongoing", "title": "Ours", "due_after_minutes": None,
                            "rules": [], "added_by": "school"})

    filled = schema.with_defaults(pinned)
    assert filled["typology"] is False and filled["sign_off_roles"] == schema.DEFAULT_SIGN_OFF_ROLES
    assert filled["kind_rules"] == schema.KIND_RULES and filled["implied_answers"] == filled["principles"] == []
    assert {k: filled["required_referrals"][0][k] for k in ("decision", "answer_needed", "within_working_days",
                                                            "tasks")} == {
        "decision": False, "answer_needed": False, "within_working_days": None, "tasks": []}
    # What the models do not know is kept as it was: the pin and a school's own task.
    assert filled["pinned"] == pinned["pinned"] and filled["tasks"][-1]["added_by"] == "school"
    assert "when" not in filled["required_referrals"][0]  # absent means "whatever the answers": not invented
    assert engine.evaluate(filled, {})["required_referrals"][0]["agency"] == "lado"

"""What a kind of incident carries whatever the answers: implied answers (B14, B16), required referrals (B15),
escalation factors (B3), when the school may resolve it itself (B9, B16), the staff warning (F8), and one truth
about "managed in school" (issue 17.8). Pure: no Django, no database."""

import copy
import tomllib

import pytest

from procedures import engine, schema

DEFINITIONS = schema.load_all()
ALL_NO = {f"B2.{n}": False for n in range(1, 7)}
NO_FACTORS = {f"B3.{n}": False for n in range(1, 8)}


def ev(pid, facts=None, **kwargs):
    return engine.evaluate(DEFINITIONS[pid], facts or {}, **kwargs)


def codes(result, what="managed_in_school"):
    return [r["code"] for r in result["blocked_reasons"][what]]


def raw(pid):
    with (schema.DEFINITIONS_DIR / f"{pid}.toml").open("rb") as fh:
        return tomllib.load(fh)


# ---- B14: sextortion is blackmail, from the moment the case opens ---------------------------------------


def test_r_b14_sextortion_with_no_answers_requires_a_referral_and_blocks_managed_in_school():
    result = ev("sextortion")
    assert result["referral_required"] is True
    assert result["criteria_met"] == ["B2.2"]
    assert result["blocked_outcomes"] == ["managed_in_school"]
    assert "criterion_met" in codes(result, "no_referral")
    (blackmail,) = [i for i in result["implied_answers"] if i["question"] == "B2.2"]
    assert blackmail["answer"] is True and blackmail["legal"] is True and not blackmail["changed"]
    assert "blackmail" in blackmail["reason"]


def test_r_b14_b12_sextortion_is_never_manageable_in_school_even_when_every_question_is_answered_no():
    """The audit's path: every criterion answered no, a decision not to refer signed off. Still blocked."""
    result = ev("sextortion", {**ALL_NO, **NO_FACTORS, "no_referral_signed_off": True})
    assert result["criteria_met"] == ["B2.2"]
    assert result["blocked_outcomes"] == ["managed_in_school"]
    assert {"referral_required", "required_referral"} <= set(codes(result))


def test_r_b14_b10_an_implied_answer_changes_only_with_a_reason():
    without_reason = ev("sextortion", {**ALL_NO, "implied_changes": {"B2.2": "   "}})
    assert without_reason["criteria_met"] == ["B2.2"]
    prank = "Police confirmed it was a prank between friends."
    changed = ev("sextortion", {**ALL_NO, "implied_changes": {"B2.2": prank}})
    assert changed["criteria_met"] == []
    (blackmail,) = [i for i in changed["implied_answers"] if i["question"] == "B2.2"]
    assert blackmail["changed"] is True and blackmail["answer"] is False and blackmail["implied"] is True
    assert blackmail["change_reason"] == prank
    # The police are still required: the kind, not the answer, requires them (B15).
    assert "required_referral" in codes(changed)


def test_r_b14_a_changed_implied_answer_can_be_left_not_known():
    result = ev("sextortion", {"implied_changes": {"B2.2": "Not sure any more: waiting for the police."}})
    assert "B2.2" in result["criteria_unknown"]


# ---- B16: implied answers for the typology; "experimental" is never suggested where consent is impossible --


def test_r_b16_r_b8_sextortion_implies_intent_to_harm():
    result = ev("sextortion", {"B2.1": False})
    assert result["suggested_classification"] == "aggravated.intent_to_harm"


@pytest.mark.parametrize("pid", ["upskirting", "deepfake"])
def test_r_b16_upskirting_and_deepfakes_imply_the_child_pictured_did_not_take_part_willingly(pid):
    facts = {"B2.1": False, "intent_to_harm": False, "relationship": "partners", "shared_beyond_pair": False}
    result = ev(pid, facts)
    assert result["suggested_classification"] == "aggravated.reckless_misuse"
    willing = {i["question"]: i for i in result["implied_answers"]}["pictured_child_willing"]
    assert willing["answer"] is False and willing["legal"]


@pytest.mark.parametrize("pid", ["upskirting", "deepfake"])
@pytest.mark.parametrize("relationship,shared", [("partners", False), ("non_partners", True), ("self", False)])
def test_r_b16_upskirting_and_deepfakes_never_suggest_an_experimental_type(pid, relationship, shared):
    """Even if the DSL changes the implied answer (with a reason), the kind is never suggested as experimental."""
    facts = {"B2.1": False, "intent_to_harm": False, "pictured_child_willing": True, "relationship": relationship,
             "shared_beyond_pair": shared, "youngest_age": 8, "sexual_motive_apparent": False,
             "implied_changes": {"pictured_child_willing": "The DSL was told the child agreed."}}
    assert ev(pid, facts)["suggested_classification"] is None
    assert ev("nudes-sharing", facts)["suggested_classification"].startswith("experimental.")


def test_r_b16_an_image_made_or_altered_with_ai_implies_the_child_did_not_take_part():
    base = {"B2.1": False, "intent_to_harm": False, "pictured_child_willing": True, "relationship": "partners",
            "shared_beyond_pair": False}
    assert ev("nudes-sharing", base)["suggested_classification"] == "experimental.romantic"
    assert ev("nudes-sharing", {**base, "ai_made_or_altered": None})["implied_answers"] == []
    result = ev("nudes-sharing", {**base, "ai_made_or_altered": True})
    assert result["suggested_classification"] == "aggravated.reckless_misuse"
    assert [i["question"] for i in result["implied_answers"]] == ["pictured_child_willing"]


# ---- B9, B16: "the school may resolve this directly" only when it applies -----------------------------


ROMANTIC = {**ALL_NO, **NO_FACTORS, "intent_to_harm": False, "pictured_child_willing": True,
            "relationship": "partners", "shared_beyond_pair": False}


def resolves_directly(result):
    return any("may resolve this directly" in g["text"] for g in result["guidance"])


def test_r_b9_b16_may_resolve_directly_when_every_criterion_and_factor_is_answered_no():
    result = ev("nudes-sharing", ROMANTIC)
    assert result["may_resolve_directly"] is True and resolves_directly(result)


@pytest.mark.parametrize("change", [{"B2.3": None}, {"B2.3": True}, {"B3.2": True}, {"B3.2": None},
                                    {"intent_to_harm": True}, {"ai_made_or_altered": True}])
def test_r_b16_may_resolve_directly_is_not_shown_while_a_question_is_open_or_a_concern_is_present(change):
    facts = {**ROMANTIC, **change}
    facts = {k: v for k, v in facts.items() if v is not None}
    result = ev("nudes-sharing", facts)
    assert not resolves_directly(result)


@pytest.mark.parametrize("pid", ["upskirting", "deepfake", "sextortion", "online-sexual-abuse", "iioc"])
def test_r_b16_some_kinds_never_say_the_school_may_resolve_them(pid):
    facts = {**ROMANTIC, "implied_changes": {"pictured_child_willing": "r", "B2.2": "r", "intent_to_harm": "r"}}
    result = ev(pid, facts)
    assert result["may_resolve_directly"] is False and not resolves_directly(result)
    assert DEFINITIONS[pid]["kind_rules"]["may_resolve_directly"] is False


# ---- B3: an escalation factor alone blocks "managed in school" and a decision not to refer -------------


def test_r_b3_an_escalation_factor_alone_blocks_managed_in_school_until_an_escalation_is_recorded():
    facts = {**ALL_NO, **NO_FACTORS, "B3.3": True, "no_referral_signed_off": True}
    result = ev("nudes-sharing", facts)
    assert result["referral_required"] is False
    assert result["blocked_outcomes"] == ["managed_in_school"]
    assert codes(result) == ["escalation_needed"] and codes(result, "no_referral") == ["escalation_needed"]
    assert "more vulnerable than usual" in result["blocked_reasons"]["managed_in_school"][0]["text"]
    escalated = ev("nudes-sharing", {**facts, "escalation_recorded": True})
    assert escalated["blocked_outcomes"] == [] and codes(escalated, "no_referral") == []
    referred = ev("nudes-sharing", {**facts, "no_referral_signed_off": False, "referral_recorded": True})
    assert referred["blocked_outcomes"] == []


# ---- B15: referrals a kind requires whatever the criteria say ---------------------------------------------


@pytest.mark.parametrize("pid,agency", [("sextortion", "police"), ("online-sexual-abuse", "police"),
                                        ("staff-allegation", "lado"), ("radicalisation", "prevent")])
def test_r_b15_a_kind_requires_its_referral_from_the_start(pid, agency):
    result = ev(pid, ALL_NO)
    (required,) = [r for r in result["required_referrals"] if r["agency"] == agency]
    assert required["applies"] is True and required["satisfied"] is False
    assert "required_referral" in codes(result) or "required_decision" in codes(result)
    assert result["blocked_reasons"]["close"] and result["blocked_reasons"]["no_referral"]


def test_r_b15_f1_online_sexual_abuse_police_cannot_be_skipped_by_answering_no():
    facts = {**ALL_NO, **NO_FACTORS, "no_referral_signed_off": True}
    assert ev("online-sexual-abuse", facts)["blocked_outcomes"] == ["managed_in_school"]
    assert ev("online-sexual-abuse", {**facts, "referrals_recorded": ["police"]})["blocked_outcomes"] == []


def test_r_b15_iioc_police_is_required_once_it_was_on_a_school_device_or_held_by_staff():
    facts = {**ALL_NO, **NO_FACTORS, "no_referral_signed_off": True}
    unknown = ev("iioc", facts)
    assert "required_referral_unanswered" in codes(unknown)
    assert "school device" in unknown["blocked_reasons"]["managed_in_school"][0]["text"]
    met_online = ev("iioc", {**facts, "found_on_school_device": False, "held_by_staff": False})
    assert met_online["required_referrals"] == [] and met_online["blocked_outcomes"] == []
    on_device = ev("iioc", {**facts, "found_on_school_device": True, "held_by_staff": False})
    assert [r["agency"] for r in on_device["required_referrals"]] == ["police"]
    assert on_device["blocked_outcomes"] == ["managed_in_school"]
    staff = ev("iioc", {**facts, "found_on_school_device": False, "held_by_staff": True})
    assert [r["agency"] for r in staff["required_referrals"]] == ["police", "lado"]


def test_r_b15_f8_staff_allegation_needs_the_lado_within_one_working_day_and_their_advice():
    result = ev("staff-allegation", {"B2.6": False, "no_referral_signed_off": True, "radicalisation_concern": False,
                                     "indecent_images": False})
    (lado,) = result["required_referrals"]
    assert lado["within_working_days"] == 1 and lado["answer_needed"] is True and lado["tasks"] == ["immediate.2"]
    base = {"B2.6": False, "no_referral_signed_off": True, "radicalisation_concern": False, "indecent_images": False}
    referred = ev("staff-allegation", {**base, "referrals_recorded": ["lado"]})
    assert codes(referred) == ["answer_needed"] and codes(referred, "close") == ["answer_needed"]
    assert "LADO" in referred["blocked_reasons"]["managed_in_school"][0]["text"]
    advised = ev("staff-allegation", {**base, "referrals_recorded": ["lado"], "referrals_answered": ["lado"]})
    assert advised["blocked_outcomes"] == [] and advised["blocked_reasons"]["close"] == []


def test_r_b15_f4_staff_being_radicalised_needs_a_prevent_decision_as_well_as_the_lado():
    result = ev("staff-allegation", {"radicalisation_concern": True, "indecent_images": False})
    assert [r["agency"] for r in result["required_referrals"]] == ["lado", "prevent"]
    assert [r["agency"] for r in ev("staff-allegation", {"radicalisation_concern": False, "indecent_images": False})[
        "required_referrals"]] == ["lado"]


def test_r_b15_f4_a_prevent_decision_is_a_referral_or_a_recorded_decision_not_to_refer():
    facts = {"B2.6": False, "no_referral_signed_off": True}
    assert codes(ev("radicalisation", facts)) == ["required_decision"]
    assert ev("radicalisation", {**facts, "referrals_recorded": ["prevent"]})["blocked_outcomes"] == []
    declined = ev("radicalisation", {**facts, "referrals_declined": ["prevent"]})
    assert declined["blocked_outcomes"] == [] and declined["required_referrals"][0]["declined"] is True
    # Only a decision-type requirement can be settled by declining: the police for sextortion cannot.
    assert ev("sextortion", {"referrals_declined": ["police"]})["required_referrals"][0]["satisfied"] is False


def test_r_f4_b15_prevent_is_an_outcome_of_a_radicalisation_case():
    assert "prevent" in [o["id"] for o in DEFINITIONS["radicalisation"]["outcomes"]]


def test_r_f8_the_staff_warning_comes_from_the_definition_file():
    warning = DEFINITIONS["staff-allegation"]["kind_rules"]["first_screen_warning"]
    assert "Do not investigate" in warning and "LADO" in warning


# ---- The definition files: validation of the new sections, and old pinned copies -------------------------


def test_r_b16_an_implied_answer_to_an_unknown_question_is_refused_naming_the_file_and_element(tmp_path):
    d = raw("sextortion")
    d["implied_answers"].append({"question": "B2.9", "answer": True, "reason": "x", "rules": ["B14"]})
    (tmp_path / "sextortion.toml").write_text(to_toml(d))
    expected = r"sextortion\.toml: .*implied_answers\[2\] \(B2\.9\): there is no yes/no question 'B2\.9'"
    with pytest.raises(schema.ProcedureDefinitionError, match=expected):
        schema.load_all(tmp_path)


def to_toml(d):
    """Enough TOML for these tests: strings, numbers, booleans, lists, tables and lists of tables."""
    import json

    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):  # an inline table, such as an element's `source`
            return "{ " + ", ".join(f"{ik} = {value(iv)}" for ik, iv in v.items()) + " }"
        return json.dumps(v)

    lines = [f"{k} = {value(v)}" for k, v in d.items() if not isinstance(v, (dict, list)) or (
        isinstance(v, list) and not (v and isinstance(v[0], dict)))]
    for k, v in d.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            for item in v:
                lines.append(f"[[{k}]]")
                lines += [f"{ik} = {value(iv)}" for ik, iv in item.items()]
        elif isinstance(v, dict):
            lines.append(f"[{k}]")
            lines += [f"{ik} = {value(iv)}" for ik, iv in v.items()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("change,message", [
    (lambda d: d["implied_answers"][0].update(answer="yes"), "'answer' must be true or false"),
    (lambda d: d["implied_answers"][0].update(reason=""), "'reason' must say"),
    (lambda d: d["implied_answers"][0].update(legal="yes"), "'legal' must be true or false"),
    (lambda d: d["implied_answers"][0].update(when="B9.9"), "'when' names 'B9.9'"),
    (lambda d: d["implied_answers"].append(dict(d["implied_answers"][0])), "implied twice"),
    (lambda d: d["implied_answers"][0].update(colour="red"), "unknown 'colour'"),
    (lambda d: d["required_referrals"][0].update(tasks=["immediate.99"]), "there is no task 'immediate.99'"),
    (lambda d: d["required_referrals"][0].update(agency="The Police"), "'agency' must be an agency id"),
    (lambda d: d["required_referrals"][0].update(to=""), "'to' must be a non-empty string"),
    (lambda d: d["required_referrals"][0].update(within_working_days=0), "'within_working_days' must be"),
    (lambda d: d["required_referrals"][0].update(when="nothing_like_it"), "'when' names 'nothing_like_it'"),
    (lambda d: d["required_referrals"][0].update(decision="no"), "'decision' must be true or false"),
    (lambda d: d["kind_rules"].update(may_resolve_directly="no"), "'may_resolve_directly' must be true or false"),
    (lambda d: d["kind_rules"].update(colour="red"), "kind_rules: unknown 'colour'"),
    (lambda d: d.update(yes_no_questions=[{"id": "Bad Id", "text": "x", "rules": []}]), "id must match"),
])
def test_r_b14_b15_b16_the_schema_refuses_malformed_kind_rules(change, message):
    d = copy.deepcopy(raw("sextortion"))
    change(d)
    errors = schema.validate(d)
    assert any(message in e for e in errors), errors


def test_r_b14_a_pinned_copy_from_before_the_kind_rules_still_evaluates():
    """A case opened under version 2 keeps that copy: it has no implied answers, required referrals or kind rules."""
    old = copy.deepcopy(DEFINITIONS["sextortion"])
    for key in ("implied_answers", "required_referrals", "kind_rules", "yes_no_questions"):
        old.pop(key)
    result = engine.evaluate(old, {})
    assert result["implied_answers"] == [] and result["required_referrals"] == []
    assert result["criteria_met"] == [] and result["blocked_outcomes"] == ["managed_in_school"]
    filled = schema.with_defaults(old)
    assert filled["kind_rules"] == schema.KIND_RULES and filled["implied_answers"] == []


def test_r_b16_a_required_referrals_steps_are_task_ids_of_the_file():
    for pid, d in DEFINITIONS.items():
        ids = {t["id"] for t in d["tasks"]}
        for required in d["required_referrals"]:
            assert set(required["tasks"]) <= ids, pid

"""Pure engine tests: no Django, no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedures import engine, schema

DEFINITIONS = schema.load_all()
ALL_IDS = sorted(DEFINITIONS)
TYPOLOGY_IDS = sorted(pid for pid, d in DEFINITIONS.items() if d["typology"])


def criteria(pid):
    return [c["id"] for c in DEFINITIONS[pid]["referral_criteria"]]


def ev(pid, **facts):
    return engine.evaluate(DEFINITIONS[pid], facts)


def implied_criteria(pid):
    return sorted(i["question"] for i in DEFINITIONS[pid]["implied_answers"]
                  if i["question"] in criteria(pid) and i["answer"] is True and "when" not in i)


@pytest.mark.parametrize("pid", ALL_IDS)
def test_r_b2_r_17_8_empty_facts_are_unknown_not_no_and_block_managed_in_school(pid):
    """Issue 17.8: with nothing answered, "managed in school" is blocked, as the case blocks it (B6)."""
    result = engine.evaluate(DEFINITIONS[pid], {})
    assert set(result) == set(engine.RESULT_KEYS)
    implied = implied_criteria(pid)
    assert result["referral_required"] is bool(implied)
    assert result["criteria_met"] == implied
    assert result["criteria_unknown"] == sorted(set(criteria(pid)) - set(implied))
    assert result["escalation_factors"] == []
    assert result["suggested_classification"] is None
    assert result["blocked_outcomes"] == ["managed_in_school"]
    assert result["may_resolve_directly"] is False
    assert len(result["tasks"]) == len(DEFINITIONS[pid]["tasks"])


@pytest.mark.parametrize("pid", ALL_IDS)
def test_r_b2_any_criterion_requires_referral(pid):
    for cid in criteria(pid):
        result = engine.evaluate(DEFINITIONS[pid], {cid: True})
        assert result["referral_required"] is True
        assert result["criteria_met"] == sorted({cid, *implied_criteria(pid)})
        assert cid not in result["criteria_unknown"]
        assert result["blocked_outcomes"] == ["managed_in_school"]
        assert "referral_required" in codes(result, "managed_in_school")
        assert "criterion_met" in codes(result, "no_referral")


def codes(result, what):
    return [r["code"] for r in result["blocked_reasons"][what]]


def test_r_b2_r_b6_all_no_means_no_referral_but_managed_in_school_needs_the_signed_decision():
    facts = {c: False for c in criteria("nudes-sharing")}
    result = engine.evaluate(DEFINITIONS["nudes-sharing"], facts)
    assert result["referral_required"] is False
    assert result["criteria_unknown"] == []
    assert codes(result, "managed_in_school") == ["sign_off_needed"]
    assert "headteacher and trust safeguarding lead" in result["blocked_reasons"]["managed_in_school"][0]["text"]
    assert codes(result, "no_referral") == []  # the decision not to refer is the next step
    signed = engine.evaluate(DEFINITIONS["nudes-sharing"], {**facts, "no_referral_signed_off": True})
    assert signed["blocked_outcomes"] == [] and signed["blocked_reasons"]["managed_in_school"] == []


def test_r_b6_sign_off_roles_are_named_in_the_words_the_caller_gives():
    facts = {c: False for c in criteria("nudes-sharing")}
    result = engine.evaluate(DEFINITIONS["nudes-sharing"], facts,
                             role_labels={"headteacher": "Headteacher", "trust_safeguarding_lead": "Trust lead"})
    assert "signed off by the headteacher and trust lead." in result["blocked_reasons"]["managed_in_school"][0]["text"]


def test_r_b2_none_or_non_bool_answers_count_as_unknown_not_met():
    result = ev("nudes-sharing", **{"B2.1": None, "B2.2": "yes", "B2.3": 1, "B2.4": False})
    assert result["referral_required"] is False
    assert result["criteria_met"] == []
    assert result["criteria_unknown"] == ["B2.1", "B2.2", "B2.3", "B2.5", "B2.6"]


def test_r_b2_criteria_met_sorted():
    result = ev("sextortion", **{"B2.6": True, "B2.2": True, "B2.1": False})
    assert result["criteria_met"] == ["B2.2", "B2.6"]


def test_r_b2_criterion_not_in_procedure_is_ignored():
    result = ev("cyberbullying", **{"B2.1": True})
    assert result["referral_required"] is False
    assert result["criteria_unknown"] == ["B2.6"]


def test_r_b2_b6_managed_in_school_blocked_until_referral_recorded():
    others = {c: False for c in criteria("nudes-sharing") if c != "B2.4"}
    assert ev("nudes-sharing", **others, **{"B2.4": True})["blocked_outcomes"] == ["managed_in_school"]
    assert ev("nudes-sharing", **others, **{"B2.4": True, "referral_recorded": "true"})["blocked_outcomes"] == [
        "managed_in_school"
    ]
    assert ev("nudes-sharing", **others, **{"B2.4": True, "referral_recorded": True})["blocked_outcomes"] == []
    # A referral to the police or children's social care named among the referrals counts too.
    assert ev("nudes-sharing", **others, **{"B2.4": True, "referrals_recorded": ["police"]})["blocked_outcomes"] == []
    assert ev("nudes-sharing", **others, **{"B2.4": True, "referrals_recorded": ["iwf"]})["blocked_outcomes"] == [
        "managed_in_school"]
    # With a referral recorded, "managed in school" needs no decision not to refer; without one, it does.
    assert ev("nudes-sharing", **others, **{"B2.4": False, "referral_recorded": True})["blocked_outcomes"] == []
    assert ev("nudes-sharing", **others, **{"B2.4": False})["blocked_outcomes"] == ["managed_in_school"]


def test_r_b3_escalation_factors_true_only_sorted():
    result = ev("nudes-sharing", **{"B3.6": True, "B3.1": True, "B3.2": False, "B3.3": None})
    assert result["escalation_factors"] == ["B3.1", "B3.6"]
    assert result["referral_required"] is False


# ---- B8 typology -------------------------------------------------------------------

EXPERIMENTAL_BASE = {"B2.1": False, "intent_to_harm": False, "pictured_child_willing": True}


def classify(**facts):
    return ev("nudes-sharing", **facts)["suggested_classification"]


def test_r_b8_adult_involved_first():
    assert (
        classify(**{"B2.1": True, "intent_to_harm": False, "relationship": "partners"}) == "aggravated.adult_involved"
    )


def test_r_b8_unknown_adult_gives_no_suggestion():
    assert classify(intent_to_harm=True) is None
    assert classify(**{"B2.1": None, "intent_to_harm": True}) is None


def test_r_b8_intent_to_harm():
    assert classify(**{"B2.1": False, "intent_to_harm": True}) == "aggravated.intent_to_harm"


def test_r_b8_unknown_intent_gives_no_suggestion():
    assert classify(**{"B2.1": False, "pictured_child_willing": False}) is None


def test_r_b8_reckless_misuse():
    assert (
        classify(**{"B2.1": False, "intent_to_harm": False, "pictured_child_willing": False})
        == "aggravated.reckless_misuse"
    )


def test_r_b8_unknown_willingness_gives_no_suggestion():
    assert (
        classify(**{"B2.1": False, "intent_to_harm": False, "relationship": "partners", "shared_beyond_pair": False})
        is None
    )


def test_r_b8_romantic():
    assert classify(**EXPERIMENTAL_BASE, relationship="partners", shared_beyond_pair=False) == "experimental.romantic"


def test_r_b8_partners_with_unknown_sharing_gives_no_suggestion():
    assert classify(**EXPERIMENTAL_BASE, relationship="partners") is None


@pytest.mark.parametrize(
    "extra",
    [
        {"relationship": "non_partners"},
        {"relationship": "non_partners", "shared_beyond_pair": False},
        {"relationship": "partners", "shared_beyond_pair": True},
        {"relationship": "unknown", "shared_beyond_pair": True},
        {"shared_beyond_pair": True},
        {"relationship": "self", "shared_beyond_pair": True},
    ],
)
def test_r_b8_attention_seeking(extra):
    assert classify(**EXPERIMENTAL_BASE, **extra) == "experimental.attention_seeking"


@pytest.mark.parametrize(
    "extra",
    [
        {"relationship": "self", "shared_beyond_pair": False},
        {"relationship": "self", "shared_beyond_pair": False, "youngest_age": 15, "sexual_motive_apparent": True},
    ],
)
def test_r_b8_other_self_images(extra):
    assert classify(**EXPERIMENTAL_BASE, **extra) == "experimental.other"


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"relationship": "unknown"},
        {"shared_beyond_pair": False},  # relationship unknown: could be partners or not
        {"relationship": "self"},  # sharing unknown: could have been sent on
        {"relationship": "unknown", "shared_beyond_pair": False, "youngest_age": 8, "sexual_motive_apparent": False},
        {"relationship": "garbled", "shared_beyond_pair": False},
    ],
)
def test_r_b8_unknown_answers_give_no_suggestion(extra):
    assert classify(**EXPERIMENTAL_BASE, **extra) is None


def test_r_b8_young_child_route_cannot_override_an_unknown_relationship():
    """In the B8 order "other" comes after romantic and attention seeking. If the relationship is
    unknown those two are still open, so a young child with no apparent motive gets no suggestion."""
    young = {"youngest_age": 8, "sexual_motive_apparent": False, "shared_beyond_pair": False}
    assert classify(**EXPERIMENTAL_BASE, **young) is None
    assert classify(**EXPERIMENTAL_BASE, **young, relationship="self") == "experimental.other"
    assert classify(**EXPERIMENTAL_BASE, **young, relationship="partners") == "experimental.romantic"


def test_r_b8_bool_is_not_an_age():
    assert engine._and(True, None) is None and engine._or(False, None) is None
    facts = {
        **EXPERIMENTAL_BASE,
        "relationship": "unknown",
        "shared_beyond_pair": False,
        "youngest_age": True,
        "sexual_motive_apparent": False,
    }
    assert engine.suggest_classification(facts) is None


def test_r_b8_no_suggestion_for_procedures_without_typology():
    facts = {"B2.1": True}
    for pid, d in DEFINITIONS.items():
        result = engine.evaluate(d, facts)["suggested_classification"]
        assert (result == "aggravated.adult_involved") is d["typology"], pid


fact_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-1, max_value=20),
    st.sampled_from(["partners", "non_partners", "self", "unknown", "yes", ""]),
)
fact_keys = st.sampled_from(
    [
        "B2.1",
        "B2.2",
        "B2.3",
        "B2.4",
        "B2.5",
        "B2.6",
        "B3.1",
        "B3.6",
        "intent_to_harm",
        "pictured_child_willing",
        "relationship",
        "shared_beyond_pair",
        "youngest_age",
        "sexual_motive_apparent",
        "referral_recorded",
        "escalation_recorded",
        "no_referral_signed_off",
        "other",
    ]
)
facts_strategy = st.dictionaries(fact_keys, fact_values, max_size=16)


@settings(max_examples=300, deadline=None)
@given(facts=facts_strategy, pid=st.sampled_from(TYPOLOGY_IDS))
def test_r_b8_property_missing_adult_answer_never_guesses(facts, pid):
    facts.pop("B2.1", None)
    assert engine.evaluate(DEFINITIONS[pid], facts)["suggested_classification"] is None


@settings(max_examples=300, deadline=None)
@given(facts=facts_strategy, pid=st.sampled_from(ALL_IDS))
def test_r_b2_b3_b6_b15_r_17_8_property_managed_in_school_is_blocked_exactly_when_a_rule_stands_in_the_way(facts, pid):
    """Issue 17.8: one rule, written out here independently of the engine."""
    result = engine.evaluate(DEFINITIONS[pid], facts)
    answers = {**facts, **{c: True for c in implied_criteria(pid)}}
    met = [c for c in criteria(pid) if answers.get(c) is True]
    unknown = [c for c in criteria(pid) if not isinstance(answers.get(c), bool)]
    present = [f["id"] for f in DEFINITIONS[pid]["escalation_factors"] if answers.get(f["id"]) is True]
    referral = facts.get("referral_recorded") is True
    escalated = referral or facts.get("escalation_recorded") is True
    required_outstanding = any(not r["satisfied"] for r in result["required_referrals"])
    should_block = ((met and not referral) or (unknown and not referral) or (present and not escalated)
                    or required_outstanding
                    or (not met and not unknown and not referral and facts.get("no_referral_signed_off") is not True))
    assert result["referral_required"] == bool(met)
    assert result["criteria_met"] == sorted(met)
    assert set(result["criteria_met"]).isdisjoint(result["criteria_unknown"])
    assert result["suggested_classification"] in (None, *engine.CLASSIFICATIONS)
    assert result["blocked_outcomes"] == (["managed_in_school"] if should_block else [])
    assert bool(result["blocked_reasons"]["managed_in_school"]) == bool(should_block)
    # B6: a decision not to refer is never possible while a criterion is met or unanswered.
    if met or unknown:
        assert result["blocked_reasons"]["no_referral"]


@settings(max_examples=300, deadline=None)
@given(facts=facts_strategy)
def test_r_b8_property_suggestion_is_stable_when_unknowns_are_filled(facts):
    """Whatever an unknown turns out to be, a suggestion already made must not change."""
    suggestion = engine.suggest_classification(facts)
    if suggestion is None:
        return
    for key, options in {
        "B2.1": [True, False],
        "intent_to_harm": [True, False],
        "pictured_child_willing": [True, False],
        "shared_beyond_pair": [True, False],
        "sexual_motive_apparent": [True, False],
        "relationship": ["partners", "non_partners", "self"],
        "youngest_age": [5, 15],
    }.items():
        current = facts.get(key)
        known = (
            isinstance(current, bool)
            if key not in ("relationship", "youngest_age")
            else (
                current in ("partners", "non_partners", "self")
                if key == "relationship"
                else isinstance(current, int) and not isinstance(current, bool)
            )
        )
        if not known:
            for value in options:
                assert engine.suggest_classification({**facts, key: value}) == suggestion


# ---- E1-E4 sextortion action plan ----------------------------------------------------


def sextortion_tasks():
    return ev("sextortion")["tasks"]


def titles(phase):
    return [t["title"].split(":")[0] for t in sextortion_tasks() if t["phase"] == phase]


def test_r_e1_e6_sextortion_immediate_tasks_due_within_two_hours():
    assert titles("immediate") == ["Secure", "Report", "Assess", "Restrict", "Contact", "Advise"]
    for t in sextortion_tasks():
        if t["phase"] == "immediate":
            assert t["due_after_minutes"] <= 120 and "E1" in t["rules"]


def test_r_e2_sextortion_short_term_tasks_due_within_48_hours():
    assert titles("short_term") == ["Team", "Legal", "Log", "Identify", "Communicate", "Support",
                                       "Remove"]  # J5: Report Remove or Take It Down
    for t in sextortion_tasks():
        if t["phase"] == "short_term":
            assert t["due_after_minutes"] == 48 * 60 and "E2" in t["rules"]


def test_r_e3_sextortion_training_within_two_weeks():
    assert titles("medium_term") == ["Train"]
    (train,) = [t for t in sextortion_tasks() if t["phase"] == "medium_term"]
    assert train["due_after_minutes"] == 14 * 24 * 60 and "E3" in train["rules"]


def test_r_e4_sextortion_ongoing_tasks_have_no_clock():
    assert titles("ongoing") == ["Evaluate", "Review", "Educate", "Inform", "Network", "Prevent", "Protect", "Engage"]
    for t in sextortion_tasks():
        if t["phase"] == "ongoing":
            assert t["due_after_minutes"] is None and "E4" in t["rules"]


def test_r_e7_every_task_has_phase_and_valid_due_time():
    for pid in ALL_IDS:
        for t in ev(pid)["tasks"]:
            assert set(t) == {"id", "phase", "title", "due_after_minutes", "rules"}
            assert t["phase"] in schema.PHASES
            assert t["due_after_minutes"] is None or t["due_after_minutes"] >= 0


def test_evaluate_rejects_non_dict_facts():
    with pytest.raises(TypeError):
        engine.evaluate(DEFINITIONS["iioc"], ["B2.1"])


def test_engine_is_pure_python():
    import ast

    tree = ast.parse((schema.DEFINITIONS_DIR.parent / "engine.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__"}


def evaluate_facts(pid, facts):
    return engine.evaluate(DEFINITIONS[pid], facts)


def test_r_b12_adult_involved_guidance_is_urgent_police():
    result = evaluate_facts("sextortion", {"B2.1": True})
    assert any("B12" in g["rules"] and "police urgently" in g["text"] for g in result["guidance"])
    adult = "An adult is involved"
    assert not any(adult in g["text"] for g in evaluate_facts("sextortion", {"B2.1": False})["guidance"])
    assert not any(adult in g["text"] for g in evaluate_facts("sextortion", {})["guidance"])  # unknown is not yes


def test_r_b9_consensual_may_be_resolved_by_school_conflict_goes_child_on_child():
    romantic = {**{f"B2.{n}": False for n in range(1, 7)}, **{f"B3.{n}": False for n in range(1, 8)},
                "intent_to_harm": False, "pictured_child_willing": True,
                "relationship": "partners", "shared_beyond_pair": False}
    texts = [g["text"] for g in evaluate_facts("nudes-sharing", romantic)["guidance"]]
    assert any("school may resolve this directly" in t for t in texts)
    conflict = {**romantic, "intent_to_harm": True}
    texts = [g["text"] for g in evaluate_facts("nudes-sharing", conflict)["guidance"]]
    assert any("child-on-child abuse procedure" in t for t in texts)
    assert not any("resolve this directly" in t for t in texts)
    # A criterion met means no "resolve directly", whatever the classification.
    texts = [g["text"] for g in evaluate_facts("nudes-sharing", {**romantic, "B2.6": True})["guidance"]]
    assert not any("resolve this directly" in t for t in texts)


def test_r_b13_speak_to_police_before_passing_beyond_the_school():
    assert any("B13" in g["rules"] for g in evaluate_facts("nudes-sharing", {"B3.5": True})["guidance"])
    assert not any("B13" in g["rules"] for g in evaluate_facts("nudes-sharing", {"B3.5": False})["guidance"])
    assert any("B13" in g["rules"] for g in evaluate_facts("sextortion", {})["guidance"])

"""What the procedure definitions say, read as a DSL trainer would: the clocks match the words (E1, E7),
each kind asks the questions that fit it and none asks a child to justify themselves (B4, D6, B14, F1,
B16), staff allegations are not investigated before the LADO (F8), and the right services are named
(F3, F4, I7, A5, C8). Every test reads every shipped file, so a new or changed one is held to the same."""

import re

import pytest

from procedures import engine, schema

DEFINITIONS = schema.load_all()
TWO_HOURS = 120
IMMEDIATE_WORDS = re.compile(r"\b(immediate|immediately|at once|straight away)\b", re.I)
TASKS = [(pid, task) for pid, d in DEFINITIONS.items() for task in d["tasks"]]


def questions(pid):
    d = DEFINITIONS[pid]
    return d["initial_review_questions"] + d["risk_questions"]


def question_text(pid):
    return " ".join(q["text"] for q in questions(pid))


def task_titles(pid):
    return " ".join(t["title"] for t in DEFINITIONS[pid]["tasks"])


def guidance_text(pid, when="always"):
    return " ".join(g["text"] for g in DEFINITIONS[pid]["guidance"] if g.get("when", "always") == when)


# ---- E1, E7: clocks that match the words --------------------------------------------------------------

@pytest.mark.parametrize("pid, task", [(p, t) for p, t in TASKS if IMMEDIATE_WORDS.search(t["title"])],
                         ids=lambda v: v if isinstance(v, str) else v["id"])
def test_r_e1_e7_a_step_that_says_immediately_at_once_or_straight_away_is_due_within_two_hours(pid, task):
    assert task["due_after_minutes"] is not None and task["due_after_minutes"] <= TWO_HOURS, task["title"]


@pytest.mark.parametrize("pid, task", [(p, t) for p, t in TASKS if "B2" in t["rules"]],
                         ids=lambda v: v if isinstance(v, str) else v["id"])
def test_r_b2_e1_every_check_against_the_immediate_referral_criteria_is_due_within_two_hours(pid, task):
    """A task citing B2 checks the immediate referral criteria (or makes the referral they call for)."""
    assert task["due_after_minutes"] is not None and task["due_after_minutes"] <= TWO_HOURS, task["title"]


@pytest.mark.parametrize("pid, task", [(p, t) for p, t in TASKS if t["phase"] == "immediate"],
                         ids=lambda v: v if isinstance(v, str) else v["id"])
def test_r_e1_the_immediate_phase_is_0_to_2_hours_unless_the_step_names_a_longer_statutory_clock(pid, task):
    if "working day" in task["title"]:  # the LADO: KCSIE Part 4 allows one working day
        assert task["due_after_minutes"] <= 1440
    else:
        assert task["due_after_minutes"] <= TWO_HOURS, task["title"]


def test_the_clock_tests_cover_the_steps_the_audit_found():
    """The initial review and referral check in nudes sharing, the immediate-risk checks, the IWF report,
    the filtering breach's illegal-content report: each is among the tasks the tests above hold to 2 hours."""
    def due(pid, words):
        [task] = [t for t in DEFINITIONS[pid]["tasks"] if words in t["title"]]
        return task["due_after_minutes"]

    assert due("nudes-sharing", "initial review meeting") <= TWO_HOURS
    assert due("nudes-sharing", "Check the referral criteria") <= TWO_HOURS
    assert due("cyberbullying", "immediate risk") <= TWO_HOURS
    assert due("online-hate", "immediate risk") <= TWO_HOURS
    assert due("iioc", "Internet Watch Foundation") <= TWO_HOURS
    assert due("filtering-breach", "illegal content") <= TWO_HOURS


# ---- B12, B14, E1, E6: sextortion ----------------------------------------------------------------------

def test_r_b12_b14_sextortion_is_reported_to_the_police_whether_or_not_imagery_was_shared():
    sextortion = DEFINITIONS["sextortion"]
    police = next(t for t in sextortion["tasks"] if t["id"] == "immediate.5")  # the id stays: a referral step
    assert "police now" in police["title"] and "whether or not an image has been shared" in police["title"]
    assert "if there is abuse imagery" not in task_titles("sextortion")
    assert "police now" in guidance_text("sextortion") and "child sexual abuse" in guidance_text("sextortion")


def test_r_e1_e6_the_nca_advice_is_given_in_sextortions_first_phase():
    advice = [t for t in DEFINITIONS["sextortion"]["tasks"]
              if t["phase"] == "immediate" and "do not pay" in t["title"].lower()]
    assert len(advice) == 1
    title = advice[0]["title"].lower()
    for words in ("do not pay", "do not delete", "block", "report"):
        assert words in title
    assert advice[0]["due_after_minutes"] <= TWO_HOURS and "E6" in advice[0]["rules"]


def test_r_b4_b14_sextortion_asks_the_questions_that_fit_it():
    ids = {q["id"] for q in DEFINITIONS["sextortion"]["risk_questions"]}
    assert {"offender_known", "offender_age", "platform", "demand_and_deadline", "payment_made", "threats",
            "other_children", "wellbeing"} <= ids
    text = question_text("sextortion").lower()
    assert "by when" in text and "adult" in text and "never a whole card number" in text


def test_r_f1_grooming_asks_who_the_contact_is_the_platform_a_meeting_gifts_and_other_children():
    ids = {q["id"] for q in DEFINITIONS["online-sexual-abuse"]["risk_questions"]}
    assert {"contact_who", "platform", "meeting", "gifts_or_money", "other_children"} <= ids
    meeting = next(q for q in DEFINITIONS["online-sexual-abuse"]["risk_questions"] if q["id"] == "meeting")
    assert "police now" in meeting["text"]


# ---- B4, D6, B14, B16: no child asked to justify themselves -----------------------------------------------

JUSTIFY = re.compile(r"\bwhy (was|were|did|do|have|has|had)\b|\bwillingly\b|\bshared willingly\b", re.I)


@pytest.mark.parametrize("pid", sorted(DEFINITIONS))
def test_r_d6_no_question_asks_a_child_to_justify_themselves(pid):
    for q in questions(pid):
        assert not JUSTIFY.search(q["text"]), (pid, q["id"], q["text"])


@pytest.mark.parametrize("pid", ["sextortion", "online-sexual-abuse"])
def test_r_b14_d6_d9_sextortion_and_grooming_ask_nothing_about_consent_and_never_suggest_deleting(pid):
    text = question_text(pid).lower()
    for words in ("willing", "consent", "agreement", "relationship", "partner", "why"):
        assert words not in text, words
    assert "should imagery be deleted" not in text and "nothing is deleted" in text
    assert "delete_or_remove" not in {q["id"] for q in questions(pid)}


@pytest.mark.parametrize("pid", ["upskirting", "deepfake"])
def test_r_b16_upskirting_and_deepfakes_ask_no_consent_questions(pid):
    ids = {q["id"] for q in DEFINITIONS[pid]["risk_questions"]}
    assert not ids & {"why_shared", "consensual_or_coerced", "without_consent_of_pictured", "beyond_recipient"}
    text = " ".join(q["text"] for q in DEFINITIONS[pid]["risk_questions"]).lower()
    assert "willing" not in text and "agreement of the child" not in text and "consent" not in text


@pytest.mark.parametrize("pid", ["nudes-sharing", "sextortion", "upskirting", "deepfake"])
def test_r_b8_the_typology_still_works_on_its_own_answers_after_the_questions_changed(pid):
    """The typology reads its yes/no answers (B2.1, intent_to_harm, pictured_child_willing, relationship...),
    never the risk questions' free text: removing those questions leaves it working, and unknown still
    gives no suggestion."""
    d = DEFINITIONS[pid]
    assert d["typology"] is True
    assert engine.evaluate(d, {})["suggested_classification"] is None
    facts = {"B2.1": False, "intent_to_harm": False, "pictured_child_willing": False}
    # Sextortion implies intent to harm (B14, B16): an answer of "no" without a reason does not replace it.
    expected = engine.INTENT_TO_HARM if pid == "sextortion" else engine.RECKLESS_MISUSE
    assert engine.evaluate(d, facts)["suggested_classification"] == expected
    assert engine.evaluate(d, {"B2.1": True})["suggested_classification"] == engine.ADULT_INVOLVED


# ---- F8: concerns about staff ----------------------------------------------------------------------------

def test_r_f8_the_school_does_not_investigate_interview_or_tell_the_member_of_staff_before_the_lado():
    guidance = guidance_text("staff-allegation")
    for words in ("Do not investigate", "interview", "do not tell the member of staff", "before the LADO has advised",
                  "The LADO, not the school, decides what happens next"):
        assert words in guidance


def test_r_f8_no_staff_allegation_question_invites_the_school_to_find_out_more():
    text = question_text("staff-allegation").lower()
    assert "gather" not in text and "who will" not in text and "investigat" not in text
    assert "further_information" not in {q["id"] for q in questions("staff-allegation")}
    assert "what did they advise" in text


def test_r_f8_b15_the_lado_is_told_within_one_working_day():
    lado = next(t for t in DEFINITIONS["staff-allegation"]["tasks"] if t["id"] == "immediate.2")
    assert "LADO" in lado["title"] and "within one working day" in lado["title"]
    assert lado["due_after_minutes"] <= 1440
    assert "within one working day" in guidance_text("staff-allegation")


def test_r_h4_f8_the_staff_record_says_malicious_or_false_allegations_leave_the_personnel_file():
    titles = task_titles("staff-allegation")
    assert "malicious or false" in titles and "personnel file" in titles and "reference" in titles


# ---- F3, F4, A5, C8, I7: where cases point ---------------------------------------------------------------

def test_r_f4_i7_radicalisation_names_the_dfe_helpline_and_the_anti_terrorist_hotline():
    links = " ".join(a["title"] for a in DEFINITIONS["radicalisation"]["advice"])
    assert "020 7340 7264" in links and "0800 789 321" in links
    titles = task_titles("radicalisation")
    assert "0800 789 321" in titles and "020 7340 7264" in titles


def test_r_f3_f4_online_hate_prompts_the_dsl_to_consider_prevent():
    assert any("Prevent" in t["title"] and "F4" in t["rules"] for t in DEFINITIONS["online-hate"]["tasks"])
    assert "Prevent" in guidance_text("online-hate") and "0800 789 321" in guidance_text("online-hate")


def test_r_a5_c8_a_filtering_breach_says_do_not_visit_the_address_to_check():
    illegal = next(t for t in DEFINITIONS["filtering-breach"]["tasks"] if "illegal content" in t["title"])
    assert "do not visit the address to check" in illegal["title"]
    assert illegal["due_after_minutes"] <= TWO_HOURS


# ---- ids that others build on stay where their meaning stays ---------------------------------------------

@pytest.mark.parametrize("pid, task_id, words", [
    ("sextortion", "immediate.5", "police"),
    ("online-sexual-abuse", "immediate.3", "police"),
    ("online-sexual-abuse", "immediate.4", "children's social care"),
    ("staff-allegation", "immediate.2", "LADO"),
    ("radicalisation", "short_term.1", "Prevent"),
    ("iioc", "immediate.3", "Internet Watch Foundation"),
    ("iioc", "immediate.4", "police"),
    ("nudes-sharing", "immediate.5", "referral criteria"),
    ("upskirting", "immediate.2", "police referral"),
    ("filtering-breach", "immediate.3", "IWF"),
])
def test_referral_steps_keep_their_ids(pid, task_id, words):
    task = next(t for t in DEFINITIONS[pid]["tasks"] if t["id"] == task_id)
    assert words in task["title"]

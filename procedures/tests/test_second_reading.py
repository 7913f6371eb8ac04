"""A DSL trainer's second reading of the procedure definitions (issue 18), kept as tests so that the next edit
is held to the same: upskirting and AI-made images are never treated as consensual (B16, F5, F6); nothing is
deleted before the police have decided (C4, C7, C8, D9); a member of staff with indecent images of children
needs the police, and abuse material reached on a school device needs them too (B15, C8, C9); nobody tells the
member of staff before the LADO has advised (F8); parents are told unless that puts a child at risk (D1); the
DSL is told straight away (A1); each required referral is made by a step that names the agency (B15); the
national numbers are the right ones and the Anti-Terrorist Hotline is not an emergency line (I7, F4); and no
text a person reads names a rule number (house style: rule numbers belong behind "Why is this asked?")."""

import re

import pytest

from advice import schema as advice_schema
from cases import agencies
from procedures import engine, schema
from records import retention

DEFINITIONS = schema.load_all()
ALL_NO = {f"B2.{n}": False for n in range(1, 7)}
NO_FACTORS = {f"B3.{n}": False for n in range(1, 8)}


def texts(d):
    """Every sentence of a definition that a person reads on the procedure page or a case."""
    found = [d["title"]]
    for key in ("initial_review_questions", "referral_criteria", "escalation_factors", "risk_questions",
                "yes_no_questions", "guidance", "family_advice"):
        found += [item["text"] for item in d.get(key, [])]
    found += [o["label"] for o in d["outcomes"]] + [t["title"] for t in d["tasks"]]
    found += [a["title"] for a in d.get("advice", [])] + list(d.get("principles", []))
    found += [i["reason"] for i in d["implied_answers"]]
    found += [f"{r['to']} {r['reason']}" for r in d["required_referrals"]]
    found += [d["kind_rules"]["first_screen_warning"]]
    return [t for t in found if t]


def ev(pid, facts):
    return engine.evaluate(DEFINITIONS[pid], facts)


def codes(result, what="managed_in_school"):
    return [r["code"] for r in result["blocked_reasons"][what]]


# ---- B16, F5, F6: upskirting and AI-made images are never consensual ----------------------------------------

@pytest.mark.parametrize("pid", ["upskirting", "deepfake"])
def test_r_b16_f5_f6_upskirting_and_deepfakes_never_call_it_consensual_or_say_the_school_may_resolve_it(pid):
    for text in texts(DEFINITIONS[pid]):
        assert "consensual" not in text.lower() and "may resolve" not in text.lower(), text
    assert all(g["when"] != "experimental" for g in DEFINITIONS[pid]["guidance"])


@pytest.mark.parametrize("pid", ["upskirting", "deepfake"])
def test_r_b16_d9_the_child_pictured_is_never_asked_to_delete_an_image_made_of_them(pid):
    deletion = [t for t in DEFINITIONS[pid]["tasks"] if "delete" in t["title"]]
    assert deletion and all("never the child pictured" in t["title"] for t in deletion)


@pytest.mark.parametrize("pid", ["upskirting", "deepfake"])
def test_r_b16_d6_the_always_shown_guidance_says_the_child_pictured_is_a_victim(pid):
    always = " ".join(g["text"] for g in DEFINITIONS[pid]["guidance"] if g["when"] == "always")
    assert "victim" in always and "never ask" in always.lower()


# ---- C4, C7, C8, D9: nothing deleted before the police have decided -----------------------------------------

def test_r_c7_c8_only_youth_produced_imagery_asks_at_the_first_meeting_whether_to_delete_it():
    """Deleting is for a case with no referral (C7). Where the police may be involved (an offence, abuse imagery
    found online or on a device) the first meeting asks about removal, and says nothing is deleted yet."""
    for pid, d in DEFINITIONS.items():
        for q in d["initial_review_questions"]:
            if pid != "nudes-sharing":
                assert "deleted or" not in q["text"], (pid, q["text"])
            if q["id"] == "delete_or_remove" and pid != "nudes-sharing":
                assert "Nothing is deleted" in q["text"], pid


def test_r_c4_c8_copies_of_abuse_imagery_are_deleted_only_once_the_police_do_not_need_them():
    [copies] = [t for t in DEFINITIONS["iioc"]["tasks"] if "Delete copies" in t["title"]]
    assert "once police have confirmed they are not needed" in copies["title"]


@pytest.mark.parametrize("pid", ["nudes-sharing", "upskirting", "deepfake"])
def test_r_c7_deletion_is_asked_only_when_there_is_no_referral_and_is_confirmed(pid):
    [deletion] = [t for t in DEFINITIONS[pid]["tasks"] if "delete" in t["title"]]
    assert deletion["title"].startswith("If there is no referral") and "confirmation" in deletion["title"]
    assert "C7" in deletion["rules"] and deletion["phase"] != "immediate"


# ---- B15, C8, C9: the police for indecent images held by staff or reached on a school device -----------------

def test_r_b15_c9_a_staff_allegation_about_indecent_images_requires_the_police():
    base = {"B2.6": False, "radicalisation_concern": False, "no_referral_signed_off": True}
    unknown = ev("staff-allegation", {**base, "referrals_recorded": ["lado"], "referrals_answered": ["lado"]})
    assert codes(unknown) == ["required_referral_unanswered"] and codes(unknown, "close")
    assert "indecent images" in unknown["blocked_reasons"]["managed_in_school"][0]["text"]
    images = ev("staff-allegation", {**base, "indecent_images": True})
    (police,) = [r for r in images["required_referrals"] if r["agency"] == "police"]
    assert police["applies"] is True and police["tasks"] == ["immediate.3"] and police["decision"] is False
    # Only recording the police referral settles it: a decision not to refer does not.
    declined = ev("staff-allegation", {**base, "indecent_images": True, "referrals_declined": ["police"]})
    assert [r for r in declined["required_referrals"] if r["agency"] == "police"][0]["satisfied"] is False
    answered_no = ev("staff-allegation", {**base, "indecent_images": False})
    assert [r["agency"] for r in answered_no["required_referrals"]] == ["lado"]


def test_r_b15_c8_a_filtering_breach_that_reached_abuse_material_on_a_school_device_requires_the_police():
    facts = {"B2.6": False, "no_referral_signed_off": True}
    assert codes(ev("filtering-breach", facts)) == ["required_referral_unanswered"]
    reached = ev("filtering-breach", {**facts, "csam_on_school_device": True})
    assert [(r["agency"], r["applies"]) for r in reached["required_referrals"]] == [("police", True)]
    assert reached["blocked_outcomes"] == ["managed_in_school"]
    recorded = ev("filtering-breach", {**facts, "csam_on_school_device": True, "referrals_recorded": ["police"]})
    assert recorded["blocked_outcomes"] == []
    assert ev("filtering-breach", {**facts, "csam_on_school_device": False})["blocked_outcomes"] == []


@pytest.mark.parametrize("pid, required", [(pid, r) for pid, d in DEFINITIONS.items()
                                          for r in d["required_referrals"]],
                         ids=lambda v: v if isinstance(v, str) else v["agency"])
def test_r_b15_each_required_referral_is_made_by_a_step_that_names_the_agency(pid, required):
    """The steps of a required referral can never be marked "not done": each must be the step that makes it."""
    name = {"police": "police", "lado": "LADO", "prevent": "Prevent"}[required["agency"]]
    steps = [t for t in DEFINITIONS[pid]["tasks"] if t["id"] in required["tasks"]]
    assert steps and all(name in t["title"] for t in steps), (pid, required["agency"])


# ---- F8: nobody tells the member of staff before the LADO has advised ----------------------------------------

@pytest.mark.parametrize("pid", ["iioc", "staff-allegation"])
def test_r_f8_c9_a_step_about_staff_and_indecent_images_says_do_not_tell_the_member_of_staff(pid):
    steps = [t for t in DEFINITIONS[pid]["tasks"] if "C9" in t["rules"] and "quarantine" in t["title"]]
    assert steps
    for t in steps:
        assert "do not" in t["title"] and "tell the member of staff" in t["title"], t["title"]
        assert "look through the devices" in t["title"], t["title"]


def test_r_f8_the_school_asks_the_lado_before_changing_duties_unless_a_child_is_at_risk_today():
    [contact] = [q for q in DEFINITIONS["staff-allegation"]["risk_questions"] if q["id"] == "contact_now"]
    assert "keep them apart now" in contact["text"] and "with the LADO first" in contact["text"]


def test_r_h4_f8_no_reference_mentions_an_allegation_found_false_unsubstantiated_unfounded_or_malicious():
    """KCSIE Part 4: only a substantiated allegation may appear in a reference."""
    titles = " ".join(t["title"] for t in DEFINITIONS["staff-allegation"]["tasks"])
    assert "Never mention in a reference an allegation found to be false, unsubstantiated, unfounded or " \
           "malicious" in titles


# ---- D1: parents told unless that would put a child at risk ---------------------------------------------------

TELLS_PARENTS = re.compile(r"\b(inform|tell) parents\b", re.I)


@pytest.mark.parametrize("pid, task", [(pid, t) for pid, d in DEFINITIONS.items() for t in d["tasks"]
                                       if TELLS_PARENTS.search(t["title"])],
                         ids=lambda v: v if isinstance(v, str) else v["id"])
def test_r_d1_every_step_that_tells_parents_names_the_exception(pid, task):
    title = task["title"]
    assert "unless" in title and "risk" in title or "as the LADO advises" in title, (pid, title)


# ---- A1: the DSL is told straight away ---------------------------------------------------------------------------

@pytest.mark.parametrize("pid, task", [(pid, t) for pid, d in DEFINITIONS.items() for t in d["tasks"]
                                       if t["title"].startswith("Tell the DSL")],
                         ids=lambda v: v if isinstance(v, str) else v["id"])
def test_r_a1_telling_the_dsl_is_the_first_step_and_due_within_the_hour(pid, task):
    assert task["phase"] == "immediate" and task["due_after_minutes"] <= 60, (pid, task["title"])


@pytest.mark.parametrize("pid, task", [(pid, t) for pid, d in DEFINITIONS.items() for t in d["tasks"]],
                         ids=lambda v: v if isinstance(v, str) else v["id"])
def test_r_a1_e7_a_step_due_straight_away_does_not_say_only_the_same_day(pid, task):
    if "same day" in task["title"] and task["due_after_minutes"] == 0:
        assert "straight away" in task["title"], (pid, task["title"])


# ---- I7, F4: the national numbers, and what each line is for --------------------------------------------------

NATIONAL_NUMBERS = {
    "0800 1111": "childline",
    "0808 800 5000": "nspcc-helpline",
    "0344 381 4772": "professionals-helpline",
    "020 7340 7264": "dfe-counter-extremism-helpline",
    "0800 789 321": "anti-terrorist-hotline",
    "0300 123 2040": "report-fraud",
    "0808 1000 900": "lucy-faithfull-foundation",
    # Northern Ireland (J8): the Education Authority's CPSS helpline, as its own page gives it (eani.org.uk, CPSS).
    "028 9598 5590": "ea-cpss",
}
PHONE = re.compile(r"\b0\d{2,4} \d{3,4}(?: \d{3,4})?\b")


def every_text_people_read():
    found = [(pid, t) for pid, d in DEFINITIONS.items() for t in texts(d)]
    for sid, s in advice_schema.read_scripts().items():
        found += [(sid, t) for t in (s["title"], s["heading"], *s["paragraphs"])]
    for r in advice_schema.read_resources():
        found += [(r["id"], t) for t in (r["name"], r["what_for"], r["phone"], r["how_to_reach"]) if t]
    found += [(a["id"], a["label"]) for a in agencies.all_agencies()]
    for rule in retention.rules()["rule"]:
        found += [(rule["id"], t) for t in (rule["label"], rule["source"], rule.get("removal_explain", "")) if t]
        found += [(rule["id"], m[k]) for m in rule["measure"] for k in ("explain", "unknown_note") if m.get(k)]
    return found


def test_r_i7_every_phone_number_written_anywhere_is_a_known_national_number():
    seen = set()
    for where, text in every_text_people_read():
        for number in PHONE.findall(text):
            assert number in NATIONAL_NUMBERS, (where, number)
            seen.add(number)
    assert seen == set(NATIONAL_NUMBERS)  # the check reads every number it is meant to


def test_r_i7_the_directory_gives_each_service_its_own_number():
    phones = {r["id"]: r["phone"] for r in advice_schema.read_resources()}
    for number, rid in NATIONAL_NUMBERS.items():
        assert phones[rid].startswith(number), (rid, phones[rid])


def test_r_i7_report_fraud_replaced_action_fraud():
    for where, text in every_text_people_read():
        if "Action Fraud" in text:
            assert "replaced Action Fraud" in text, where


def test_r_f4_the_anti_terrorist_hotline_is_never_given_as_the_number_to_call_in_danger():
    for where, text in every_text_people_read():
        assert not re.search(r"999 or (call )?the Anti-Terrorist Hotline", text), (where, text)
        assert not re.search(r"danger, call 999 or", text), (where, text)


# ---- house style: no rule numbers in what people read --------------------------------------------------------

RULE_NUMBER = re.compile(r"\b[A-IS]\d{1,2}(\.\d)?\b")


def test_no_text_a_person_reads_names_a_rule_number():
    for where, text in every_text_people_read():
        assert not RULE_NUMBER.search(text), (where, text)


def test_the_retention_rules_name_their_source_without_a_rule_number():
    assert all("IRMS" in r["source"] or "Harbour's default" in r["source"] for r in retention.rules()["rule"])

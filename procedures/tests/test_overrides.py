"""Procedures are data, overridable per school or trust: validation, apply order, versions, differences."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEvent
from procedures import overrides, schema, versions
from procedures.management.commands.procedure import Command
from procedures.models import ProcedureOverride

pytestmark = pytest.mark.django_db
NUDES = "nudes-sharing"
NUDES_V = schema.get(NUDES)["version"]  # the shipped version, which moves on


@pytest.fixture(scope="module")
def shipped():
    return schema.get(NUDES)


def task(definition, task_id):
    return next(t for t in definition["tasks"] if t["id"] == task_id)


# ---- the override document ---------------------------------------------------------


def test_an_empty_override_is_valid_and_changes_nothing(shipped):
    assert overrides.validate(shipped, {}) == []
    assert overrides.apply(shipped, {}) == shipped


def test_unknown_keys_are_refused(shipped):
    errors = overrides.validate(shipped, {"referral_criteria": [], "title": "Mine"})
    assert len(errors) == 2
    assert "'referral_criteria' cannot be changed" in errors[0]
    assert "'title' cannot be changed" in errors[1]


def test_the_override_must_be_a_table(shipped):
    assert overrides.validate(shipped, ["sign_off_roles"]) == ["the override must be a table of changes"]


def test_r_b6_sign_off_roles_must_be_roles_that_can_sign_off(shipped):
    assert overrides.validate(shipped, {"sign_off_roles": ["headteacher"]}) == []
    assert overrides.validate(shipped, {"sign_off_roles": ["dsl", "chair_of_governors"]}) == []
    assert "choose at least one role" in overrides.validate(shipped, {"sign_off_roles": []})[0]
    assert "choose at least one role" in overrides.validate(shipped, {"sign_off_roles": "headteacher"})[0]
    errors = overrides.validate(shipped, {"sign_off_roles": ["headteacher", "staff", "bursar"]})
    assert len(errors) == 2 and "'staff'" in errors[0] and "'bursar'" in errors[1]
    # The trust administrator never reads cases, so cannot be named to sign one off.
    assert "'trust_administrator'" in overrides.validate(shipped, {"sign_off_roles": ["trust_administrator"]})[0]
    assert "named twice" in overrides.validate(shipped, {"sign_off_roles": ["dsl", "dsl"]})[0]


def test_sign_off_choices_come_from_the_capability_table():
    assert overrides.sign_off_role_choices() == ["dsl", "headteacher", "chair_of_governors",
                                                 "trust_safeguarding_lead"]


def test_r_e7_task_due_times_must_name_real_tasks_and_be_whole_minutes(shipped):
    assert overrides.validate(shipped, {"task_due": {"immediate.1": 30, "ongoing.1": None}}) == []
    errors = overrides.validate(shipped, {"task_due": {"immediate.99": 30, "immediate.2": -1,
                                                       "immediate.3": 1.5, "immediate.4": True}})
    assert errors == [
        "task_due: there is no task 'immediate.99' in this procedure",
        "task_due: 'immediate.2' must be whole minutes, 0 or more, or empty for ongoing",
        "task_due: 'immediate.3' must be whole minutes, 0 or more, or empty for ongoing",
        "task_due: 'immediate.4' must be whole minutes, 0 or more, or empty for ongoing",
    ]


def test_wording_names_real_items_and_needs_words(shipped):
    good = {"B2.1": "An adult is involved.", "refer": "Refer now", "immediate.1": "Tell the DSL",
            "why_shared": "Why?", "B3.6": "Before?", "inform_parents": "Parents?"}
    assert overrides.validate(shipped, {"wording": good}) == []
    errors = overrides.validate(shipped, {"wording": {"B2.9": "x", "B2.2": "  ", "tasks:nope": "x", "title:x": "y"}})
    assert len(errors) == 4
    assert "no question, criterion, factor, outcome or task 'B2.9'" in errors[0]
    assert "'B2.2' must not be empty" in errors[1]
    assert "no 'nope' in tasks" in errors[2]
    assert "unknown section 'title'" in errors[3]


def test_an_id_used_in_two_sections_must_name_its_section():
    cyber = schema.get("cyberbullying")  # "extent" is both a review question and a risk question
    errors = overrides.validate(cyber, {"wording": {"extent": "How far has it spread?"}})
    assert errors == [("wording: 'extent' is in both initial_review_questions and risk_questions; "
                       "write it as 'risk_questions:extent'")]
    changed = overrides.apply(cyber, {"wording": {"risk_questions:extent": "How far has it spread?"}})
    assert [q["text"] for q in changed["risk_questions"] if q["id"] == "extent"] == ["How far has it spread?"]
    assert [q["text"] for q in changed["initial_review_questions"] if q["id"] == "extent"] == [
        q["text"] for q in cyber["initial_review_questions"] if q["id"] == "extent"]
    assert overrides.wording_key(cyber, "risk_questions", "extent") == "risk_questions:extent"
    assert overrides.wording_key(cyber, "referral_criteria", "B2.6") == "B2.6"


def test_extra_tasks_are_checked(shipped):
    good = [{"phase": "short_term", "title": "Tell the trust", "due_after_minutes": 240, "rules": ["B10"]},
            {"phase": "ongoing", "title": "Check in with the child each week"}]
    assert overrides.validate(shipped, {"extra_tasks": good}) == []
    errors = overrides.validate(shipped, {"extra_tasks": [
        {"phase": "later", "title": "", "due_after_minutes": -5, "rules": ["b2"], "colour": "red"}]})
    assert errors == [
        "extra task 1: unknown 'colour'",
        "extra task 1: choose a phase (immediate, short_term, medium_term, ongoing)",
        "extra task 1: give it a title of up to 1000 characters",
        "extra task 1: the due time must be whole minutes, 0 or more, or empty for ongoing",
        "extra task 1: rules must be a list of rule ids like 'E2'",
    ]
    assert overrides.validate(shipped, {"extra_tasks": {"phase": "immediate"}}) == [
        "extra_tasks: must be a list of tasks"]


def test_r_b2_b5_an_override_cannot_remove_criteria_or_outcomes(shipped):
    """There is no key that removes anything; rewording keeps every B2 criterion and B5 outcome."""
    changed = overrides.apply(shipped, {"wording": {"B2.4": "Sexual acts and a child under 13.", "refer": "Refer"}})
    assert [c["id"] for c in changed["referral_criteria"]] == [f"B2.{n}" for n in range(1, 7)]
    assert [o["id"] for o in changed["outcomes"]] == ["refer", "seek_advice", "managed_in_school"]
    assert schema.validate(changed) == []


@pytest.mark.parametrize("key", ["implied_answers", "required_referrals", "kind_rules"])
def test_r_b14_b15_b16_f8_an_override_cannot_change_what_the_law_sets_for_a_kind(key):
    sextortion = schema.get("sextortion")
    errors = overrides.validate(sextortion, {key: []})
    assert errors == [f"{key!r} rests on the law and guidance for this kind of incident and cannot be changed by a "
                      "school or trust"]


def test_r_b14_an_override_cannot_remove_an_implied_answer_the_law_rests_on():
    sextortion = schema.get("sextortion")
    errors = overrides.validate(sextortion, {"remove_implied_answers": ["B2.2"]})
    assert errors == ["remove_implied_answers: the answer to 'B2.2' rests on the law or statutory guidance, so no "
                      "school or trust can remove it"]
    # Even an unchecked document leaves it in place.
    assert overrides.apply(sextortion, {"remove_implied_answers": ["B2.2"]})["implied_answers"] == \
        sextortion["implied_answers"]
    assert overrides.validate(sextortion, {"remove_implied_answers": ["B2.5"]}) == [
        "remove_implied_answers: this procedure implies no answer to 'B2.5'"]
    assert overrides.validate(sextortion, {"remove_implied_answers": "B2.2"}) == [
        "remove_implied_answers: must be a list of question ids"]


def test_r_b16_removing_an_implied_answer_is_shown_in_the_versions_differences():
    sextortion = schema.get("sextortion")
    assert overrides.validate(sextortion, {"remove_implied_answers": ["intent_to_harm"]}) == []
    effective = overrides.apply(sextortion, {"remove_implied_answers": ["intent_to_harm"]})
    assert [i["question"] for i in effective["implied_answers"]] == ["B2.2"]
    assert versions.differences(sextortion, effective) == [
        "No longer answered yes from the kind of incident: ‘Was there malice, threats, extortion, conflict between…’"]


def test_r_b15_a_version_that_no_longer_requires_a_referral_says_so():
    sextortion = schema.get("sextortion")
    effective = {**sextortion, "required_referrals": [], "kind_rules": {**sextortion["kind_rules"],
                                                                          "may_resolve_directly": True}}
    assert versions.differences(sextortion, effective) == ["No longer requires a referral to the police",
                                                           "Changed for this kind of incident: may resolve directly"]


def test_apply_does_not_touch_the_definition_it_is_given(shipped):
    before = schema.get(NUDES)
    overrides.apply(shipped, {"sign_off_roles": ["dsl"], "task_due": {"immediate.1": 5},
                              "wording": {"B2.1": "Changed"}, "extra_tasks": [{"phase": "immediate", "title": "X"}]})
    assert shipped == before


def test_r_e7_apply_changes_times_and_words_and_adds_tasks_in_phase_order(shipped):
    changed = overrides.apply(shipped, {
        "task_due": {"immediate.2": 30, "medium_term.1": None},
        "wording": {"immediate.1": "Tell the DSL at once"},
        "extra_tasks": [{"phase": "immediate", "title": "Ring the trust lead", "due_after_minutes": 120}],
    }, scope="trust")
    assert task(changed, "immediate.2")["due_after_minutes"] == 30
    assert task(changed, "medium_term.1")["due_after_minutes"] is None
    assert task(changed, "immediate.1")["title"] == "Tell the DSL at once"
    extra = task(changed, "trust.1")
    assert extra == {"id": "trust.1", "phase": "immediate", "title": "Ring the trust lead", "due_after_minutes": 120,
                     "rules": [], "added_by": "trust"}
    ids = [t["id"] for t in changed["tasks"]]
    assert ids.index("trust.1") == ids.index("immediate.5") + 1 < ids.index("short_term.1")


def test_apply_skips_entries_that_no_longer_match(shipped):
    """A school's change to a task the trust has since removed must not stop a case opening."""
    changed = overrides.apply(shipped, {"task_due": {"trust.1": 5}, "wording": {"trust.1": "Gone"}})
    assert changed == shipped


def test_the_merged_procedure_must_still_pass_the_schema(shipped, monkeypatch):
    monkeypatch.setattr(overrides, "MAX_TEXT", 10**6)
    errors = overrides.validate(shipped, {"wording": {"B2.1": "x" * 50}})
    assert errors == []
    monkeypatch.setattr(schema, "validate", lambda d: ["'sign_off_roles' must be a non-empty list of role names"])
    errors = overrides.validate(shipped, {"wording": {"B2.1": "x"}})
    assert errors == ["the adapted procedure would be invalid: 'sign_off_roles' must be a non-empty list of role names"]


# ---- differences (pure) ------------------------------------------------------------


def test_no_differences_from_itself(shipped):
    assert versions.differences(shipped, shipped) == []


def test_r_b6_r_e7_differences_read_as_plain_english(shipped):
    effective = overrides.apply(shipped, {
        "sign_off_roles": ["headteacher"],
        "task_due": {"immediate.2": 30, "short_term.1": 1440, "ongoing.1": 10080},
        "wording": {"B2.1": "An adult is involved or suspected.", "why_shared": "Why was it sent?"},
        "extra_tasks": [{"phase": "short_term", "title": "Tell the trust safeguarding lead", "due_after_minutes": 240}],
    })
    assert versions.differences(shipped, effective) == [
        "Sign-off for a decision not to refer: headteacher and trust safeguarding lead → headteacher only",
        "Wording of referral criterion ‘An adult is involved, or is suspected of posing as a child.’ changed to: "
        "‘An adult is involved or suspected.’",
        "Wording of risk question ‘As far as we know, what led to it being shared: a…’ changed to: ‘Why was it sent?’",
        "Task ‘Secure any device involved: flight mode (or switched off…’ due within 1 hour → within 30 minutes",
        "Task ‘Complete the risk assessment questions’ due within 2 days → within 1 day",
        ("Task ‘Review the case whenever new information arrives; re-check…’ due with no set time (ongoing) → "
         "within 7 days"),
        "Extra task by the school, short term, due within 4 hours: Tell the trust safeguarding lead",
    ]


def test_due_times_in_words():
    assert [versions.describe_due(m) for m in (None, 0, 1, 45, 60, 90, 120, 1440, 2880, 1500)] == [
        "with no set time (ongoing)", "straight away", "within 1 minute", "within 45 minutes", "within 1 hour",
        "within 1 hour 30 minutes", "within 2 hours", "within 1 day", "within 2 days", "within 25 hours"]


def test_role_names_keep_acronyms():
    assert versions.roles_in_words(["dsl", "headteacher", "senco"]) == (
        "designated safeguarding lead, headteacher and SENCO")


# ---- versions in the database --------------------------------------------------------


def save(world, user, *, school=None, trust=None, changes=None, reason="Agreed at the safeguarding meeting"):
    return versions.save_override(user=user, procedure_id=NUDES, school=school, trust=trust,
                                  changes=changes if changes is not None else {}, reason=reason)


def test_effective_for_a_school_with_no_overrides_is_the_shipped_procedure(world, shipped):
    effective = versions.effective_for(world.oakfield, NUDES)
    assert effective["pinned"] == {"procedure_id": NUDES, "shipped_version": shipped["version"], "trust_version": None,
                                   "school_version": None, "nation": "england", "nation_version": None,  # J8
                                   "label": f"Sharing nudes and semi-nudes v{NUDES_V}"}
    assert {k: v for k, v in effective.items() if k != "pinned"} == shipped


def test_apply_order_is_shipped_then_trust_then_school(world):
    """The school's change wins over the trust's, the trust's over the shipped value."""
    save(world, world.lena, trust=world.trust, changes={
        "sign_off_roles": ["headteacher"], "task_due": {"immediate.2": 30, "immediate.4": 720},
        "extra_tasks": [{"phase": "immediate", "title": "Ring the trust lead", "due_after_minutes": 120}]})
    save(world, world.lena, trust=world.trust, changes={
        "sign_off_roles": ["dsl", "headteacher"], "task_due": {"immediate.2": 45, "immediate.4": 720},
        "extra_tasks": [{"phase": "immediate", "title": "Ring the trust lead", "due_after_minutes": 120}]})
    save(world, world.diana, school=world.oakfield, changes={"task_due": {"immediate.2": 15, "trust.1": 60}})

    oak = versions.effective_for(world.oakfield, NUDES)
    assert oak["sign_off_roles"] == ["dsl", "headteacher"]  # trust v2, not v1
    assert task(oak, "immediate.2")["due_after_minutes"] == 15  # school over trust
    assert task(oak, "immediate.4")["due_after_minutes"] == 720  # trust over shipped
    assert task(oak, "trust.1")["due_after_minutes"] == 60  # the school changed the trust's extra task
    assert oak["pinned"] == {"procedure_id": NUDES, "shipped_version": NUDES_V, "trust_version": 2, "school_version": 1,
                             "nation": "england", "nation_version": None,
                             "label": f"Sharing nudes and semi-nudes v{NUDES_V} · Brightwater Learning Trust v2 · "
                                      "Oakfield Primary v1"}

    river = versions.effective_for(world.riverside, NUDES)
    assert task(river, "immediate.2")["due_after_minutes"] == 45
    assert river["pinned"]["label"] == f"Sharing nudes and semi-nudes v{NUDES_V} · Brightwater Learning Trust v2"
    elm = versions.effective_for(world.elmtree, NUDES)
    assert elm["pinned"]["label"] == f"Sharing nudes and semi-nudes v{NUDES_V}"
    assert versions.effective_for(world.oakfield, "sextortion")["pinned"]["trust_version"] is None


def test_versions_count_up_per_owner_and_an_undo_is_a_new_empty_version(world, shipped):
    first = save(world, world.diana, school=world.oakfield, changes={"sign_off_roles": ["headteacher"]})
    second = save(world, world.diana, school=world.oakfield, changes={}, reason="Back to the trust's way")
    trust_first = save(world, world.lena, trust=world.trust, changes={"sign_off_roles": ["dsl"]})
    river_first = save(world, world.lena, school=world.riverside, changes={})
    other = versions.save_override(user=world.diana, procedure_id="sextortion", school=world.oakfield,
                                   changes={}, reason="Nothing yet")
    assert [first.version, second.version, trust_first.version, river_first.version, other.version] == [1, 2, 1, 1, 1]
    assert ProcedureOverride.objects.get(id=first.id).changes == {"sign_off_roles": ["headteacher"]}
    oak = versions.effective_for(world.oakfield, NUDES)
    assert oak["sign_off_roles"] == ["dsl"]  # the school's undo leaves the trust's change in force
    assert oak["pinned"]["school_version"] == 2
    assert [r.version for r in versions.history(world.oakfield, NUDES)] == [1, 2, 1]


def test_a_pinned_version_rebuilds_exactly_after_later_changes(world):
    """A case keeps the version it opened with (PROCEDURES.md: "the one in force when it was opened")."""
    save(world, world.lena, trust=world.trust, changes={"sign_off_roles": ["headteacher"]})
    save(world, world.diana, school=world.oakfield, changes={"task_due": {"immediate.2": 30}})
    at_opening = versions.effective_for(world.oakfield, NUDES)
    save(world, world.lena, trust=world.trust, changes={"sign_off_roles": ["dsl"]})
    save(world, world.diana, school=world.oakfield, changes={})
    assert versions.effective_for(world.oakfield, NUDES) != at_opening
    assert versions.effective_at(world.oakfield, at_opening["pinned"]) == at_opening
    with pytest.raises(ValueError, match="not the pinned v0"):
        versions.effective_at(world.oakfield, {**at_opening["pinned"], "shipped_version": 0})


def test_the_database_refuses_a_duplicate_version_or_two_owners(world):
    row = save(world, world.diana, school=world.oakfield)
    common = {"procedure_id": NUDES, "reason": "r", "created_by": world.diana, "created_at": timezone.now()}
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureOverride.objects.create(school=world.oakfield, version=row.version, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureOverride.objects.create(school=world.oakfield, trust=world.trust, version=5, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureOverride.objects.create(version=5, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureOverride.objects.create(school=world.oakfield, version=6, **{**common, "reason": ""})


def test_saving_writes_one_audit_event_in_the_same_transaction(world):
    row = save(world, world.diana, school=world.oakfield, changes={"task_due": {"immediate.2": 30}})
    event = AuditEvent.objects.get(object_type="procedure_override")
    assert (event.actor_id, event.action, event.object_id, event.school_id) == (
        world.diana.id, "create", str(row.id), world.oakfield.id)
    assert event.changed_fields == ["task_due"]
    assert event.detail == {"procedure": NUDES, "version": 1, "owner": "school", "trust": world.trust.id}

    trust_row = save(world, world.lena, trust=world.trust, changes={"sign_off_roles": ["dsl"]})
    event = AuditEvent.objects.filter(object_type="procedure_override").order_by("-seq").first()
    assert (event.object_id, event.school_id, event.detail["owner"]) == (str(trust_row.id), None, "trust")


def test_every_decision_has_a_reason(world):
    with pytest.raises(ValidationError) as caught:
        save(world, world.diana, school=world.oakfield, changes={"sign_off_roles": ["dsl"]}, reason="   ")
    assert caught.value.messages == ["Give a reason for the change."]
    assert not ProcedureOverride.objects.exists() and not AuditEvent.objects.filter(
        object_type="procedure_override").exists()


def test_invalid_changes_are_refused_with_readable_messages(world):
    with pytest.raises(ValidationError) as caught:
        save(world, world.diana, school=world.oakfield, changes={"task_due": {"immediate.99": 5}, "colour": "red"})
    assert caught.value.messages == [
        "'colour' cannot be changed by an override (allowed: sign_off_roles, task_due, wording, extra_tasks, "
        "remove_implied_answers)",
        "task_due: there is no task 'immediate.99' in this procedure",
    ]
    with pytest.raises(ValidationError, match="no procedure called 'nope'"):
        versions.save_override(user=world.diana, procedure_id="nope", school=world.oakfield, changes={}, reason="r")
    assert not ProcedureOverride.objects.exists()


def test_a_school_override_is_checked_against_the_trusts_version(world):
    """A school may change the trust's extra task; it cannot name one the trust has not added."""
    with pytest.raises(ValidationError, match="no task 'trust.1'"):
        save(world, world.diana, school=world.oakfield, changes={"task_due": {"trust.1": 5}})
    save(world, world.lena, trust=world.trust, changes={"extra_tasks": [{"phase": "ongoing", "title": "Tell us"}]})
    assert save(world, world.diana, school=world.oakfield, changes={"task_due": {"trust.1": 5}}).version == 1


def test_only_the_right_people_may_save(world):
    with pytest.raises(Http404):
        save(world, world.dev, school=world.oakfield)  # a deputy reads procedures but does not adapt them
    with pytest.raises(Http404):
        save(world, world.eve, school=world.oakfield)  # another trust's DSL
    with pytest.raises(Http404):
        save(world, world.diana, trust=world.trust)  # a school's DSL cannot adapt for the whole trust
    with pytest.raises(Http404):
        save(world, world.otto, trust=world.trust)  # another trust's lead
    with pytest.raises(ValueError):
        save(world, world.lena, school=world.oakfield, trust=world.trust)
    assert not ProcedureOverride.objects.exists()
    assert save(world, world.lena, school=world.riverside).school == world.riverside


def test_the_list_reads_every_procedures_overrides_in_one_query(world, django_assert_num_queries):
    save(world, world.lena, trust=world.trust, changes={"sign_off_roles": ["dsl"]})
    school = type(world.oakfield).objects.select_related("trust").get(id=world.oakfield.id)
    definitions = schema.load_all()
    with django_assert_num_queries(1):
        effective = versions.effective_all(school, definitions)
    assert len(effective) == 12  # J1: misinformation
    assert effective[NUDES]["sign_off_roles"] == ["dsl"]
    assert effective["sextortion"]["pinned"]["label"] == f"Image extortion v{schema.get('sextortion')['version']}"


def test_r_b6_the_diff_command_prints_the_version_and_the_differences(world):
    save(world, world.lena, trust=world.trust, changes={"sign_off_roles": ["headteacher"]})
    out = StringIO()
    call_command(Command(), "diff", NUDES, "--school", "oakfield", stdout=out)
    assert out.getvalue().splitlines() == [
        f"Sharing nudes and semi-nudes v{NUDES_V} · Brightwater Learning Trust v1",
        "- Sign-off for a decision not to refer: headteacher and trust safeguarding lead → headteacher only",
    ]
    out = StringIO()
    call_command(Command(), "diff", NUDES, "--school", "elmtree", stdout=out)
    assert out.getvalue().splitlines()[1] == "No differences from the shipped procedure."

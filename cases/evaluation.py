"""Joins a case to the pure engine: the facts Harbour knows itself, then `evaluate`.

The DSL answers the criteria and factors; Harbour adds what it can work out from its
own records, so nobody has to remember it:
- B3.6 "involved before?" from earlier cases of the same children;
- the youngest child's age (for the B8 typology) from dates of birth, unless the DSL
  gave one (children outside the school may be younger);
- whether a referral to children's social care or the police has been recorded (B2).
"""

from dataclasses import dataclass, field

from cases.models import Case, Referral
from concerns.models import ConcernChild
from procedures import engine

YES_NO_KEYS = ("intent_to_harm", "pictured_child_willing", "shared_beyond_pair", "sexual_motive_apparent")
RELATIONSHIPS = ("partners", "non_partners", "self", "unknown")


def case_pupils(case):
    """The children named in the case's concerns, with their roles, oldest link first."""
    return list(
        ConcernChild.objects.filter(concern__case=case)
        .select_related("pupil", "concern")
        .order_by("pupil__legal_last_name", "pupil__legal_first_name", "concern__created_at")
    )


def earlier_cases(case, pupil_ids=None):
    """B3.6: other cases, opened before this one, about any of the same children."""
    if pupil_ids is None:
        pupil_ids = {link.pupil_id for link in case_pupils(case)}
    if not pupil_ids:
        return []
    return list(
        Case.objects.filter(concerns__children__pupil_id__in=pupil_ids, opened_at__lt=case.opened_at)
        .exclude(id=case.id)
        .select_related("school")
        .defer(*Case.JSON_FIELDS)  # listed by reference, kind and date only
        .distinct()
        .order_by("-opened_at")
    )


def age_on(date_of_birth, day):
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


@dataclass
class Assessment:
    facts: dict  # what the engine saw
    result: dict  # what the engine said
    earlier: list = field(default_factory=list)
    links: list = field(default_factory=list)
    computed_age: int | None = None
    referral_recorded: bool = False

    @property
    def referral_required(self):
        return self.result["referral_required"]

    @property
    def missing_referral(self):
        """B2: a criterion is met and no referral to children's social care or police is recorded."""
        return self.result["referral_required"] and not self.referral_recorded


def assess(case, facts=None, referral_recorded=None):
    """Evaluate the case's pinned procedure on its answers plus what Harbour knows.

    `referral_recorded`: whether a B2 referral is recorded, when the caller has read it already."""
    links = case_pupils(case)
    earlier = earlier_cases(case, {link.pupil_id for link in links})
    answers = dict(case.facts if facts is None else facts)
    if earlier:
        answers["B3.6"] = True
    ages = [age_on(link.pupil.date_of_birth, case.incident_recorded_at.date())
            for link in links if link.pupil.date_of_birth]
    computed_age = min(ages) if ages else None
    if not isinstance(answers.get("youngest_age"), int) and computed_age is not None:
        answers["youngest_age"] = computed_age
    if referral_recorded is None:
        referral_recorded = Referral.objects.filter(case=case).for_b2().exists()
    answers["referral_recorded"] = referral_recorded
    result = engine.evaluate(case.procedure, answers)
    return Assessment(facts=answers, result=result, earlier=earlier, links=links, computed_age=computed_age,
                      referral_recorded=referral_recorded)


def describe_changes(before: dict, after: dict, procedure: dict) -> list[str]:
    """B7: what changed between two evaluations, in words the DSL can act on."""
    texts = {
        c["id"]: c["text"] for c in procedure.get("referral_criteria", []) + procedure.get("escalation_factors", [])
    }
    changes = []
    old_met, new_met = set(before.get("criteria_met", [])), set(after.get("criteria_met", []))
    for cid in sorted(new_met - old_met):
        changes.append(f"Referral criterion {cid} now applies: {texts.get(cid, '')}")
    for cid in sorted(old_met - new_met):
        changes.append(f"Referral criterion {cid} no longer applies.")
    old_f, new_f = set(before.get("escalation_factors", [])), set(after.get("escalation_factors", []))
    for fid in sorted(new_f - old_f):
        changes.append(f"Escalation factor {fid} is now present: {texts.get(fid, '')}")
    for fid in sorted(old_f - new_f):
        changes.append(f"Escalation factor {fid} is no longer present.")
    if before and bool(before.get("referral_required")) != bool(after.get("referral_required")):
        changes.append("A referral is now required." if after.get("referral_required")
                       else "No referral criterion applies any more.")
    old_s, new_s = before.get("suggested_classification"), after.get("suggested_classification")
    if old_s != new_s and (before or new_s):
        changes.append(f"Suggested classification: {classification_label(old_s)} → {classification_label(new_s)}.")
    return changes


CLASSIFICATION_LABELS = {
    engine.ADULT_INVOLVED: "Aggravated: adult involved",
    engine.INTENT_TO_HARM: "Aggravated: youth only, intent to harm",
    engine.RECKLESS_MISUSE: "Aggravated: youth only, reckless misuse",
    engine.ROMANTIC: "Experimental: romantic",
    engine.ATTENTION_SEEKING: "Experimental: sexual attention seeking",
    engine.OTHER: "Experimental: other",
}


def classification_label(value):
    if not value:
        return "none yet"
    return CLASSIFICATION_LABELS.get(value, value)

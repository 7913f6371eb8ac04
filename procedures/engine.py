"""Pure evaluation of a procedure definition against the facts of a case.

No Django, no database: `evaluate(procedure, facts)` takes a parsed definition
(see schema.py) and a dict of answers and says what the rules require.

Unknown is never "no". A fact that is absent, None, or not a real boolean counts as
unknown: it never meets a criterion, never rules one out, and never leads the B8
typology to a guess.
"""

from __future__ import annotations

# B8, in the order the typology is applied.
ADULT_INVOLVED = "aggravated.adult_involved"
INTENT_TO_HARM = "aggravated.intent_to_harm"
RECKLESS_MISUSE = "aggravated.reckless_misuse"
ROMANTIC = "experimental.romantic"
ATTENTION_SEEKING = "experimental.attention_seeking"
OTHER = "experimental.other"
CLASSIFICATIONS = (ADULT_INVOLVED, INTENT_TO_HARM, RECKLESS_MISUSE, ROMANTIC, ATTENTION_SEEKING, OTHER)

MANAGED_IN_SCHOOL = "managed_in_school"
RESULT_KEYS = (
    "referral_required",
    "criteria_met",
    "criteria_unknown",
    "escalation_factors",
    "suggested_classification",
    "blocked_outcomes",
    "tasks",
    "guidance",
)


def _bool(facts: dict, key: str):
    """True, False, or None (unknown) for a yes/no fact."""
    value = facts.get(key)
    return value if isinstance(value, bool) else None


def _equals(facts: dict, key: str, expected: str):
    """Three-valued `facts[key] == expected` for the relationship answer."""
    value = facts.get(key)
    if value in ("partners", "non_partners", "self"):
        return value == expected
    return None  # absent, "unknown", or something unrecognised


def _and(*values):
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def _or(*values):
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


def _not(value):
    return None if value is None else not value


def suggest_classification(facts: dict):
    """Rule B8: suggest a Wolak & Finkelhor category, or None when the answers do not settle it.

    Each step is decided in three-valued logic; as soon as a step is unknown the
    answer is None, because the unknown answer could change which category applies.
    """
    adult = _bool(facts, "B2.1")
    if adult is True:
        return ADULT_INVOLVED
    if adult is None:
        return None

    intent = _bool(facts, "intent_to_harm")
    if intent is True:
        return INTENT_TO_HARM
    if intent is None:
        return None

    willing = _bool(facts, "pictured_child_willing")
    if willing is False:
        return RECKLESS_MISUSE
    if willing is None:
        return None

    shared = _bool(facts, "shared_beyond_pair")
    romantic = _and(_equals(facts, "relationship", "partners"), _not(shared))
    if romantic is True:
        return ROMANTIC
    if romantic is None:
        return None

    attention = _or(_equals(facts, "relationship", "non_partners"), shared)
    if attention is True:
        return ATTENTION_SEEKING
    if attention is None:
        return None

    age = facts.get("youngest_age")
    young = (age <= 9) if isinstance(age, int) and not isinstance(age, bool) else None
    no_motive = _not(_bool(facts, "sexual_motive_apparent"))
    other = _or(_equals(facts, "relationship", "self"), _and(young, no_motive))
    if other is True:
        return OTHER
    return None


def evaluate(procedure: dict, facts: dict) -> dict:
    """Evaluate B2, B3, B5/B6 and B8 for one procedure and return the result dict."""
    if not isinstance(facts, dict):
        raise TypeError("facts must be a dict")
    criteria = [c["id"] for c in procedure.get("referral_criteria", [])]
    factors = [f["id"] for f in procedure.get("escalation_factors", [])]

    criteria_met = sorted(c for c in criteria if facts.get(c) is True)
    criteria_unknown = sorted(c for c in criteria if _bool(facts, c) is None)
    referral_required = bool(criteria_met)

    blocked = []
    if referral_required and facts.get("referral_recorded") is not True:
        blocked.append(MANAGED_IN_SCHOOL)

    suggestion = suggest_classification(facts) if procedure.get("typology") is True else None

    tasks = [
        {
            "id": t["id"],
            "phase": t["phase"],
            "title": t["title"],
            "due_after_minutes": t.get("due_after_minutes"),
            "rules": list(t.get("rules", [])),
        }
        for t in procedure.get("tasks", [])
    ]
    guidance = []
    for item in procedure.get("guidance", []):
        when = item.get("when", "always")
        applies = (when == "always"
                   or (when == "experimental" and (suggestion or "").startswith("experimental.") and not criteria_met)
                   or facts.get(when) is True)
        if applies:
            guidance.append({"text": item["text"], "rules": list(item.get("rules", []))})
    return {
        "referral_required": referral_required,
        "criteria_met": criteria_met,
        "criteria_unknown": criteria_unknown,
        "escalation_factors": sorted(f for f in factors if facts.get(f) is True),
        "suggested_classification": suggestion,
        "blocked_outcomes": blocked,
        "tasks": tasks,
        "guidance": guidance,
    }

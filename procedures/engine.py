"""Pure evaluation of a procedure definition against the facts of a case.

No Django, no database: `evaluate(procedure, facts)` takes a parsed definition
(see schema.py) and a dict of answers and says what the rules require.

Unknown is never "no". A fact that is absent, None, or not a real boolean counts as
unknown: it never meets a criterion, never rules one out, and never leads the B8
typology to a guess.

The facts are the answers (criteria "B2.1"…, factors "B3.1"…, the typology's questions and
the procedure's own yes/no questions) and what the case has recorded, which a case passes in
so that the engine and the case give one answer about what may happen (issue 17.8):

- `referral_recorded`: a referral to children's social care or the police (B2);
- `referrals_recorded`, `referrals_answered`, `referrals_declined`: agency ids with a referral,
  with their answer, and with a recorded decision not to refer (B15: only where the procedure
  allows that decision, as for Prevent);
- `escalation_recorded`: an escalation through child protection procedures (B3): a referral
  to children's social care or the police, or a consultation with children's social care with
  their advice;
- `no_referral_signed_off`: a decision not to refer, signed off (B6);
- `implied_changes`: {question id: reason} for an implied answer the DSL changed (B14, B16).
  Without a reason the implied answer stands, whatever answer was given.
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
# What `blocked_reasons` says about, beside the outcome: a decision not to refer (B6) and closing the case.
NO_REFERRAL = "no_referral"
CLOSE = "close"
# Each reason's code in `blocked_reasons` (the API publishes them as an enum: a new one is added here).
BLOCKED_CODES = ("referral_required", "criterion_met", "criteria_unanswered", "escalation_needed", "answer_needed",
                 "required_referral_unanswered", "required_decision", "required_referral", "sign_off_needed")
RESULT_KEYS = (
    "referral_required",
    "criteria_met",
    "criteria_unknown",
    "escalation_factors",
    "suggested_classification",
    "blocked_outcomes",
    "blocked_reasons",
    "implied_answers",
    "required_referrals",
    "may_resolve_directly",
    "tasks",
    "guidance",
)
# B8: the typology's yes/no questions, in the words the DSL reads.
TYPOLOGY_QUESTIONS = {
    "intent_to_harm": "Was there malice, threats, extortion, conflict between young people, or sexual abuse "
                      "among them?",
    "pictured_child_willing": "Did the child pictured take part knowingly and willingly?",
    "shared_beyond_pair": "Was it shared beyond the two people, or meant to be?",
    "sexual_motive_apparent": "Is a sexual motive apparent?",
}
TYPOLOGY_YES_NO = tuple(TYPOLOGY_QUESTIONS)
# B2: the agencies whose referral answers an immediate referral criterion (cases/agencies.toml agrees: a check).
B2_AGENCIES = ("csc", "police", "ird")  # ird: social work or the police in Scotland, for an IRD (J8)


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


def question_texts(procedure: dict) -> dict:
    """{question id: its words} for every yes/no question of the procedure."""
    texts = {c["id"]: c["text"] for c in procedure.get("referral_criteria", [])}
    texts.update({f["id"]: f["text"] for f in procedure.get("escalation_factors", [])})
    if procedure.get("typology") is True:
        texts.update(TYPOLOGY_QUESTIONS)
    texts.update({q["id"]: q["text"] for q in procedure.get("yes_no_questions", [])})
    return texts


def _condition(when, facts: dict):
    """A `when`: True, False or None (unknown). No condition always applies; a list applies if any one does."""
    if when is None:
        return True
    return _or(*(_bool(facts, c) for c in (when if isinstance(when, list) else [when])))


def apply_implied(procedure: dict, facts: dict):
    """B14, B16: return (the facts with the kind's implied answers in force, what is implied now).

    An implied answer applies from the start, or once its `when` is answered yes. The DSL's own
    answer replaces it only with a reason in `implied_changes`.
    """
    changes = facts.get("implied_changes")
    changes = changes if isinstance(changes, dict) else {}
    texts = question_texts(procedure)
    effective = dict(facts)
    implied = []
    for item in procedure.get("implied_answers", []):
        if _condition(item.get("when"), effective) is not True:
            continue
        question = item["question"]
        why = changes.get(question)
        why = why.strip() if isinstance(why, str) and why.strip() else None
        if why is None:
            effective[question] = item["answer"]
        implied.append({
            "question": question,
            "text": texts.get(question, question),
            "implied": item["answer"],
            "answer": _bool(effective, question),
            "reason": item["reason"],
            "legal": item.get("legal", False) is True,
            "rules": list(item.get("rules", [])),
            "changed": why is not None,
            "change_reason": why,
        })
    return effective, implied


def _ids(facts: dict, key: str) -> set:
    value = facts.get(key)
    return {a for a in value if isinstance(a, str)} if isinstance(value, (list, tuple, set)) else set()


def _records(facts: dict) -> dict:
    """What the case has recorded, read from the facts (see the module's docstring)."""
    recorded = _ids(facts, "referrals_recorded")
    referral = facts.get("referral_recorded") is True or bool(recorded & set(B2_AGENCIES))
    return {
        "referral": referral,
        "recorded": recorded,
        "answered": _ids(facts, "referrals_answered"),
        "declined": _ids(facts, "referrals_declined"),
        "escalated": referral or facts.get("escalation_recorded") is True,
        "signed_off": facts.get("no_referral_signed_off") is True,
    }


def required_referrals(procedure: dict, facts: dict, records: dict | None = None) -> list[dict]:
    """B15: the referrals this kind requires now (its condition yes), or may require (its condition unknown)."""
    records = records if records is not None else _records(facts)
    texts = question_texts(procedure)
    found = []
    for item in procedure.get("required_referrals", []):
        applies = _condition(item.get("when"), facts)
        if applies is False:
            continue
        agency = item["agency"]
        recorded = agency in records["recorded"]
        declined = item.get("decision") is True and agency in records["declined"] and not recorded
        when = item.get("when")
        found.append({
            "agency": agency,
            "to": item["to"],
            "reason": item["reason"],
            "rules": list(item.get("rules", [])),
            "applies": applies,
            "condition": [texts.get(c, c) for c in (when if isinstance(when, list) else [when])] if when else [],
            "recorded": recorded,
            "declined": declined,
            "answered": agency in records["answered"],
            "satisfied": recorded or declined,
            "decision": item.get("decision") is True,
            "answer_needed": item.get("answer_needed") is True,
            "within_working_days": item.get("within_working_days"),
            "tasks": list(item.get("tasks", [])),
        })
    return found


def _clause(text: str) -> str:
    """"An adult is involved." → "an adult is involved", to sit inside a sentence ("LADO …" stays as it is)."""
    text = text.strip().rstrip(".?")
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def _because(code: str, text: str, items) -> dict:
    if code not in BLOCKED_CODES:
        raise ValueError(f"add {code!r} to BLOCKED_CODES")
    return {"code": code, "text": text, "items": list(items)}


def _roles_in_words(roles, role_labels) -> str:
    names = [(role_labels or {}).get(r, r.replace("_", " ")) for r in roles]
    names = [n[:1].lower() + n[1:] if n[1:2].islower() else n for n in names]
    return " and ".join(names) if names else "the roles the school names"


def blocked_reasons(procedure: dict, *, met, unknown, present, required, records, role_labels=None) -> dict:
    """Why "managed in school", a decision not to refer (B6) and closing the case are not possible yet.

    {MANAGED_IN_SCHOOL: [...], NO_REFERRAL: [...], CLOSE: [...]}, each a list of {code, text, items}; an
    empty list means nothing in the procedure stands in the way (the case has its own further steps to close).
    """
    texts = question_texts(procedure)
    managed, no_referral, close = [], [], []
    # J8: the nation's route (Scotland: social work or the police, for an inter-agency referral discussion).
    route = procedure.get("referral_route") or {}
    refer_to = route.get("to") or "children's social care or the police"
    consult = route.get("consult") or "children's social care"
    if met:
        clauses = "; ".join(_clause(texts.get(c, c)) for c in met)
        if not records["referral"]:
            why = _because("referral_required", f"A referral is required now, because {clauses}. Record the "
                                                 f"referral to {refer_to}.", met)
            managed.append(why)
            close.append(why)
        no_referral.append(_because("criterion_met", f"A decision not to refer is not possible, because {clauses}. "
                                    f"Refer to {refer_to}.", met))
    if unknown:
        n = len(unknown)
        count = f"{n} referral question{'s are' if n != 1 else ' is'} not answered yet"
        if not records["referral"]:
            managed.append(_because("criteria_unanswered", f"{count}. Without a referral, the school can manage "
                                    "this itself only once each is answered no.", unknown))
        no_referral.append(_because("criteria_unanswered", f"{count}. A decision not to refer needs each one "
                                    "answered no: answer them first.", unknown))
    if present and not records["escalated"]:
        clauses = "; ".join(_clause(texts.get(f, f)) for f in present)
        why = _because("escalation_needed", f"Escalate through child protection procedures first, because "
                       f"{clauses}: record a referral, or a consultation with {consult} and their advice.",
                       present)
        managed.append(why)
        no_referral.append(why)
    for item in required:
        if item["satisfied"]:
            if item["answer_needed"] and item["recorded"] and not item["answered"]:
                why = _because("answer_needed", f"Record the answer from {item['to']}: what happens next follows "
                               "their advice.", [item["agency"]])
                managed.append(why)
                close.append(why)
            continue
        if item["applies"] is None:
            asked = " and ".join(f"‘{c.strip()}’" for c in item["condition"])
            why = _because("required_referral_unanswered", f"Answer {asked}: if the answer is yes, {item['to']} "
                           "must be told.", [item["agency"]])
        elif item["decision"]:
            why = _because("required_decision", f"{item['reason']} Record the referral to {item['to']}, or record "
                           "why not.", [item["agency"]])
        else:
            why = _because("required_referral", f"{item['reason']} Record the referral to {item['to']}.",
                           [item["agency"]])
        managed.append(why)
        no_referral.append(why)
        close.append(why)
    if not met and not unknown and not records["referral"] and not records["signed_off"]:
        roles = procedure.get("sign_off_roles") or []
        managed.append(_because("sign_off_needed", "Managing this in school without a referral needs a decision "
                                f"not to refer, signed off by the {_roles_in_words(roles, role_labels)}.", roles))
    return {MANAGED_IN_SCHOOL: managed, NO_REFERRAL: no_referral, CLOSE: close}


def evaluate(procedure: dict, facts: dict, *, role_labels: dict | None = None) -> dict:
    """Evaluate B2, B3, B5/B6, B8, B9 and B14–B16 for one procedure and return the result dict.

    `role_labels` ({role: words}) names the sign-off roles in `blocked_reasons`; without it the role ids are used.
    """
    if not isinstance(facts, dict):
        raise TypeError("facts must be a dict")
    facts, implied = apply_implied(procedure, facts)
    criteria = [c["id"] for c in procedure.get("referral_criteria", [])]
    factors = [f["id"] for f in procedure.get("escalation_factors", [])]
    kind = procedure.get("kind_rules") or {}

    criteria_met = sorted(c for c in criteria if facts.get(c) is True)
    criteria_unknown = sorted(c for c in criteria if _bool(facts, c) is None)
    present = sorted(f for f in factors if facts.get(f) is True)
    records = _records(facts)
    required = required_referrals(procedure, facts, records)
    reasons = blocked_reasons(procedure, met=criteria_met, unknown=criteria_unknown, present=present,
                              required=required, records=records, role_labels=role_labels)

    suggestion = suggest_classification(facts) if procedure.get("typology") is True else None
    if (suggestion or "").startswith("experimental.") and kind.get("experimental_possible", True) is False:
        suggestion = None  # B16: this kind is never experimental; the DSL chooses, with a reason
    # B9, B16: only when every criterion and factor is answered no, and the kind allows it.
    may_resolve = (kind.get("may_resolve_directly", False) is True and not criteria_met and not criteria_unknown
                   and all(facts.get(f) is False for f in factors))

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
                   or (when == "experimental" and may_resolve and (suggestion or "").startswith("experimental."))
                   or (when == "may_resolve_directly" and may_resolve)
                   or facts.get(when) is True)
        if applies:
            guidance.append({"text": item["text"], "rules": list(item.get("rules", []))})
    return {
        "referral_required": bool(criteria_met),
        "criteria_met": criteria_met,
        "criteria_unknown": criteria_unknown,
        "escalation_factors": present,
        "suggested_classification": suggestion,
        "blocked_outcomes": [MANAGED_IN_SCHOOL] if reasons[MANAGED_IN_SCHOOL] else [],
        "blocked_reasons": reasons,
        "implied_answers": implied,
        "required_referrals": required,
        "may_resolve_directly": may_resolve,
        "tasks": tasks,
        "guidance": guidance,
    }

"""Override documents: how a trust or school adapts a shipped procedure. Pure, no database.

An override document is a dict with any of these keys:

- `sign_off_roles`: who signs off a decision not to refer (rule B6), a non-empty list of
  roles that hold the sign-off capability in accounts.capabilities;
- `task_due`: {task id: minutes from when the incident was recorded, or None for an
  ongoing task} (rule E7). Task ids come from `schema.normalise`, such as "immediate.1";
- `wording`: {item id: new text} for initial review questions, referral criteria,
  escalation factors, risk questions, outcomes (their label) and tasks (their title).
  A question id used in two sections (several procedures have "extent" in both) must be
  written with its section, "risk_questions:extent";
- `extra_tasks`: [{phase, title, due_after_minutes?, rules?}], added to the action plan
  with ids "<scope>.1", "<scope>.2"... where scope is "trust" or "school";
- `remove_implied_answers`: [question id], answers the kind implies (B16) that this school
  or trust does not want pre-answered. Only an implied answer without `legal = true` can be
  removed; every override carries its reason, and the version's differences name the removal.

An override can change and add, never otherwise remove: the B2 referral criteria, the B5
outcomes, the referrals a kind requires (B15), the answers the law implies (B14, B16) and
the kind's rules (B9, F8) always stay. Whatever is changed, the merged definition must still
pass `schema.validate`.
"""

import copy
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from accounts.capabilities import CAPABILITIES, Capability, Role, TrustRole
from lib import datafiles
from lib.datafiles import Table, checked, is_int, one_of, problem, refuse
from procedures import schema

KEYS = ("sign_off_roles", "task_due", "wording", "extra_tasks", "remove_implied_answers")
# What the law and statutory guidance set for a kind of incident: never changed by an override (B14–B16, F8).
FIXED_KEYS = ("implied_answers", "required_referrals", "kind_rules")
# Section → the field that holds its words.
WORDING_SECTIONS = {
    "initial_review_questions": "text",
    "referral_criteria": "text",
    "escalation_factors": "text",
    "risk_questions": "text",
    "outcomes": "label",
    "tasks": "title",
}
MAX_TEXT = 1000
SCOPES = ("trust", "school")


def sign_off_role_choices() -> list[str]:
    """Roles that may be named to sign off a decision not to refer: those that can sign off at all."""
    return [r for r in [*Role.values, *TrustRole.values] if Capability.SIGN_OFF_DECISIONS in CAPABILITIES[r]]


def _text_ok(value) -> bool:
    return isinstance(value, str) and value.strip() != "" and len(value) <= MAX_TEXT


def wordable_items(definition: dict):
    """Yield (section, item) for every item whose words can be changed."""
    for section in WORDING_SECTIONS:
        for item in definition.get(section, []):
            yield section, item


def wording_key(definition: dict, section: str, item_id: str) -> str:
    """The key an override uses for one item: its id, or "section:id" when the id is not unique."""
    clashes = sum(1 for _, item in wordable_items(definition) if item["id"] == item_id)
    return item_id if clashes == 1 else f"{section}:{item_id}"


def _find_item(definition: dict, key: str):
    """Return (section, item, problem) for a wording key; problem is None when found."""
    if ":" in key:
        section, _, item_id = key.partition(":")
        if section not in WORDING_SECTIONS:
            return None, None, f"{key!r} names an unknown section {section!r}"
        item = next((i for i in definition.get(section, []) if i["id"] == item_id), None)
        if item is None:
            return None, None, f"there is no {item_id!r} in {section}"
        return section, item, None
    found = [(s, i) for s, i in wordable_items(definition) if i["id"] == key]
    if not found:
        return None, None, f"there is no question, criterion, factor, outcome or task {key!r}"
    if len(found) > 1:
        sections = " and ".join(s for s, _ in found)
        return None, None, f"{key!r} is in both {sections}; write it as '{found[-1][0]}:{key}'"
    return found[0][0], found[0][1], None


# ---- the override document -----------------------------------------------------------------

def _definition(info: ValidationInfo) -> dict:
    """The definition the override applies to, given as the validation context."""
    return info.context["definition"]


def _known_task(task_id: str, info: ValidationInfo) -> str:
    if task_id not in {t["id"] for t in _definition(info)["tasks"]}:
        raise problem("there is no task {field} in this procedure")
    return task_id


Minutes = checked(int | None, lambda v: v is None or (is_int(v) and v >= 0),
                  "{field} must be whole minutes, 0 or more, or empty for ongoing")
# What the law and guidance set: present at all, it is refused.
Fixed = checked(Any, lambda v: False, "{field} rests on the law and guidance for this kind of incident and cannot be "
                "changed by a school or trust")


class ExtraTask(Table):
    """A task the trust or school adds to the action plan (E7)."""

    # Left out, the phase and the title get the same words as when they are wrong.
    phase: checked(str, one_of(schema.PHASES), f"choose a phase ({', '.join(schema.PHASES)})") = Field(
        None, validate_default=True)
    title: str = Field(None, validate_default=True)
    due_after_minutes: checked(int | None, lambda v: v is None or (is_int(v) and v >= 0),
                               "the due time must be whole minutes, 0 or more, or empty for ongoing") = None
    rules: checked(list[str], lambda v: isinstance(v, list) and all(
        isinstance(r, str) and schema.RULE_ID.match(r) for r in v), "rules must be a list of rule ids like 'E2'") = []

    @model_validator(mode="before")
    @classmethod
    def _a_table(cls, data):
        if not isinstance(data, dict):
            raise problem("must have a phase and a title")
        return data

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, title):
        if not _text_ok(title):
            raise problem(f"give it a title of up to {MAX_TEXT} characters")
        return title


class Override(Table):
    """The changes a trust or school makes to a procedure: every key may be left out."""

    sign_off_roles: list[str] = None
    task_due: checked(dict[Annotated[str, AfterValidator(_known_task)], Minutes], lambda v: isinstance(v, dict),
                      "must be a table of task id to minutes") = None
    wording: dict[str, str] = None
    extra_tasks: checked(list[ExtraTask], lambda v: isinstance(v, list), "must be a list of tasks") = None
    remove_implied_answers: list[str] = None
    implied_answers: Fixed = None
    required_referrals: Fixed = None
    kind_rules: Fixed = None

    @model_validator(mode="before")
    @classmethod
    def _a_table(cls, data):
        if not isinstance(data, dict):
            raise problem("the override must be a table of changes")
        return data

    @field_validator("sign_off_roles", mode="before")
    @classmethod
    def _sign_off_roles(cls, roles):
        """B6: at least one role, each one that can sign off a decision not to refer, none twice."""
        if not isinstance(roles, list) or not roles:
            raise problem("choose at least one role to sign off a decision not to refer")
        allowed = sign_off_role_choices()
        found = [((), f"{role!r} is not a role that can sign off decisions (choose from {', '.join(allowed)})")
                 for role in roles if role not in allowed]
        if len(set(map(str, roles))) != len(roles):
            found.append(((), "a role is named twice"))
        refuse(found)
        return roles

    @field_validator("wording", mode="before")
    @classmethod
    def _wording(cls, wording, info: ValidationInfo):
        """Each key names one item of the procedure; each new text has words, and not too many."""
        if not isinstance(wording, dict):
            raise problem("must be a table of item id to new text")
        found = []
        for key, text in wording.items():
            _, _, trouble = _find_item(_definition(info), str(key))
            if trouble:
                found.append(((), trouble))
            elif not _text_ok(text):
                found.append(((), f"the new text for {key!r} must not be empty or over {MAX_TEXT} characters"))
        refuse(found)
        return wording

    @field_validator("remove_implied_answers", mode="before")
    @classmethod
    def _removals(cls, removals, info: ValidationInfo):
        """B16: an implied answer may be removed only when the law is not its reason."""
        if not isinstance(removals, list) or not all(isinstance(q, str) for q in removals):
            raise problem("must be a list of question ids")
        implied = {i["question"]: i for i in _definition(info).get("implied_answers", [])}
        refuse([((), f"this procedure implies no answer to {q!r}") if q not in implied else
                ((), f"the answer to {q!r} rests on the law or statutory guidance, so no school or trust can "
                     "remove it") for q in removals if q not in implied or implied[q].get("legal")])
        return removals


def _where(loc: tuple, data):
    if len(loc) >= 2 and loc[0] == "extra_tasks" and isinstance(loc[1], int):
        return f"extra task {loc[1] + 1}"
    return None


def _unknown(loc: tuple) -> str:
    if len(loc) == 1:
        return f"{{field}} cannot be changed by an override (allowed: {', '.join(KEYS)})"
    return "unknown {field}"


def validate(definition: dict, changes) -> list[str]:
    """Return every problem with `changes` as an override of `definition`; empty means valid.

    `definition` is what the override applies to: the shipped definition for a trust, the
    trust's version of it for a school.
    """
    _, errors = datafiles.validate(Override, changes, context={"definition": definition}, where=_where,
                                   wording={"extra_forbidden": _unknown})
    if not errors:
        merged = apply(definition, changes)
        errors += [f"the adapted procedure would be invalid: {e}" for e in schema.validate(merged)]
    return errors


def apply(definition: dict, changes: dict, *, scope: str = "school") -> dict:
    """Return a copy of `definition` with `changes` applied. `definition` is not touched.

    Entries that no longer match anything (a task the trust has since removed, say) are
    skipped rather than failing: a saved override must never stop a case from opening.
    Call `validate` first to refuse them when saving.
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    result = copy.deepcopy(definition)
    changes = changes or {}
    if changes.get("sign_off_roles"):
        result["sign_off_roles"] = list(changes["sign_off_roles"])
    for key, text in (changes.get("wording") or {}).items():
        section, item, problem = _find_item(result, str(key))
        if not problem:
            item[WORDING_SECTIONS[section]] = text.strip()
    due = changes.get("task_due") or {}
    for task in result["tasks"]:
        if task["id"] in due:
            task["due_after_minutes"] = due[task["id"]]
    removed = set(changes.get("remove_implied_answers") or [])
    if removed:
        result["implied_answers"] = [i for i in result.get("implied_answers", [])
                                     if i["question"] not in removed or i.get("legal")]
    for n, extra in enumerate(changes.get("extra_tasks") or [], start=1):
        result["tasks"].append({
            "id": f"{scope}.{n}",
            "phase": extra["phase"],
            "title": extra["title"].strip(),
            "due_after_minutes": extra.get("due_after_minutes"),
            "rules": list(extra.get("rules", [])),
            "added_by": scope,
        })
    # Keep the action plan in phase order; within a phase, shipped tasks first (the sort is stable).
    result["tasks"].sort(key=lambda t: schema.PHASES.index(t["phase"]))
    return result

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

from __future__ import annotations

import copy

from accounts.capabilities import CAPABILITIES, Capability, Role, TrustRole
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
EXTRA_TASK_KEYS = {"phase", "title", "due_after_minutes", "rules"}
MAX_TEXT = 1000
SCOPES = ("trust", "school")


def sign_off_role_choices() -> list[str]:
    """Roles that may be named to sign off a decision not to refer: those that can sign off at all."""
    return [r for r in [*Role.values, *TrustRole.values] if Capability.SIGN_OFF_DECISIONS in CAPABILITIES[r]]


def _is_minutes(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


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
            return None, None, f"wording: {key!r} names an unknown section {section!r}"
        item = next((i for i in definition.get(section, []) if i["id"] == item_id), None)
        if item is None:
            return None, None, f"wording: there is no {item_id!r} in {section}"
        return section, item, None
    found = [(s, i) for s, i in wordable_items(definition) if i["id"] == key]
    if not found:
        return None, None, f"wording: there is no question, criterion, factor, outcome or task {key!r}"
    if len(found) > 1:
        sections = " and ".join(s for s, _ in found)
        return None, None, f"wording: {key!r} is in both {sections}; write it as '{found[-1][0]}:{key}'"
    return found[0][0], found[0][1], None


def _check_extra_tasks(extra, errors: list[str]) -> None:
    if not isinstance(extra, list):
        errors.append("extra_tasks: must be a list of tasks")
        return
    for n, task in enumerate(extra, start=1):
        where = f"extra task {n}"
        if not isinstance(task, dict):
            errors.append(f"{where}: must have a phase and a title")
            continue
        unknown = sorted(set(task) - EXTRA_TASK_KEYS)
        if unknown:
            errors.append(f"{where}: unknown {', '.join(repr(k) for k in unknown)}")
        if task.get("phase") not in schema.PHASES:
            errors.append(f"{where}: choose a phase ({', '.join(schema.PHASES)})")
        if not _text_ok(task.get("title")):
            errors.append(f"{where}: give it a title of up to {MAX_TEXT} characters")
        due = task.get("due_after_minutes")
        if due is not None and not _is_minutes(due):
            errors.append(f"{where}: the due time must be whole minutes, 0 or more, or empty for ongoing")
        rules = task.get("rules", [])
        if not isinstance(rules, list) or not all(isinstance(r, str) and schema.RULE_ID.match(r) for r in rules):
            errors.append(f"{where}: rules must be a list of rule ids like 'E2'")


def _check_removals(definition: dict, removals, errors: list[str]) -> None:
    """B16: an implied answer may be removed only when the law is not its reason."""
    if not isinstance(removals, list) or not all(isinstance(q, str) for q in removals):
        errors.append("remove_implied_answers: must be a list of question ids")
        return
    implied = {i["question"]: i for i in definition.get("implied_answers", [])}
    for question in removals:
        item = implied.get(question)
        if item is None:
            errors.append(f"remove_implied_answers: this procedure implies no answer to {question!r}")
        elif item.get("legal"):
            errors.append(f"remove_implied_answers: the answer to {question!r} rests on the law or statutory "
                          "guidance, so no school or trust can remove it")


def validate(definition: dict, changes) -> list[str]:
    """Return every problem with `changes` as an override of `definition`; empty means valid.

    `definition` is what the override applies to: the shipped definition for a trust, the
    trust's version of it for a school.
    """
    if not isinstance(changes, dict):
        return ["the override must be a table of changes"]
    errors = [f"{key!r} rests on the law and guidance for this kind of incident and cannot be changed by a "
              "school or trust" if key in FIXED_KEYS else
              f"{key!r} cannot be changed by an override (allowed: {', '.join(KEYS)})"
              for key in changes if key not in KEYS]

    if "sign_off_roles" in changes:
        roles = changes["sign_off_roles"]
        allowed = sign_off_role_choices()
        if not isinstance(roles, list) or not roles:
            errors.append("sign_off_roles: choose at least one role to sign off a decision not to refer (B6)")
        else:
            for role in roles:
                if role not in allowed:
                    errors.append(f"sign_off_roles: {role!r} is not a role that can sign off decisions "
                                  f"(choose from {', '.join(allowed)})")
            if len(set(map(str, roles))) != len(roles):
                errors.append("sign_off_roles: a role is named twice")

    if "task_due" in changes:
        task_due = changes["task_due"]
        task_ids = {t["id"] for t in definition["tasks"]}
        if not isinstance(task_due, dict):
            errors.append("task_due: must be a table of task id to minutes")
        else:
            for task_id, minutes in task_due.items():
                if task_id not in task_ids:
                    errors.append(f"task_due: there is no task {task_id!r} in this procedure")
                elif minutes is not None and not _is_minutes(minutes):
                    errors.append(f"task_due: {task_id!r} must be whole minutes, 0 or more, or empty for ongoing")

    if "wording" in changes:
        wording = changes["wording"]
        if not isinstance(wording, dict):
            errors.append("wording: must be a table of item id to new text")
        else:
            for key, text in wording.items():
                _, _, problem = _find_item(definition, str(key))
                if problem:
                    errors.append(problem)
                elif not _text_ok(text):
                    errors.append(f"wording: the new text for {key!r} must not be empty or over {MAX_TEXT} characters")

    if "extra_tasks" in changes:
        _check_extra_tasks(changes["extra_tasks"], errors)

    if "remove_implied_answers" in changes:
        _check_removals(definition, changes["remove_implied_answers"], errors)

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

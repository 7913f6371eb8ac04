"""J7: what changed between the procedure a case is pinned to and the one now in force, in plain words.

Pure: reads two definitions (dicts), no database. Each element is matched by what names it (a question's id, a
link's address, a referral's agency); what changed in a matched element is said in words, never by rule number.
"""

import json

from procedures.schema import ELEMENT_SECTIONS, source_in_words
from procedures.versions import describe_due, roles_in_words

# What names an element of each section, so that the same element is found in both versions.
IDENTITY = {
    "implied_answers": "question",
    "required_referrals": "agency",
    "guidance": "text",
    "family_advice": "text",
    "advice": "url",
}
WORDS = ("text", "title", "label", "reason", "to")
SECTION_TITLES = {
    "initial_review_questions": "Initial review questions",
    "referral_criteria": "Immediate referral criteria",
    "escalation_factors": "Escalation factors",
    "risk_questions": "Risk assessment questions",
    "outcomes": "Outcomes",
    "tasks": "Steps",
    "yes_no_questions": "Questions about the incident",
    "implied_answers": "Answers the kind of incident implies",
    "required_referrals": "Referrals the kind of incident requires",
    "guidance": "Guidance",
    "family_advice": "Advice for the family",
    "advice": "Where to get help",
}


def pinned_versions(definition: dict) -> tuple:
    """The versions a definition is made of: (shipped, trust, school), and (nation, its layer's version) after them
    when a nation's layer is part of it (J8; England's cases, and those pinned before layers, have three)."""
    pinned = definition.get("pinned") or {}
    versions = (pinned.get("shipped_version", definition.get("version")), pinned.get("trust_version"),
                pinned.get("school_version"))
    if pinned.get("nation_version") is not None:
        versions += (pinned["nation"], pinned["nation_version"])
    return versions


def pinned_text(definition: dict) -> str:
    """`pinned_versions` as the JSON text a case keeps beside its copy (Case.pinned_versions)."""
    return json.dumps(list(pinned_versions(definition)), separators=(",", ":"))


def label(definition: dict) -> str:
    return (definition.get("pinned") or {}).get("label") or f"{definition['title']} v{definition['version']}"


def _name(section, item):
    return item.get(IDENTITY.get(section, "id"))


def _words(item):
    return next((item[k] for k in WORDS if item.get(k)), "")


def _changed(section, old, new):
    found = []
    if _words(old) != _words(new):
        found.append(f"now reads ‘{_words(new)}’")
    if section == "tasks":
        if old.get("phase") != new.get("phase"):
            found.append(f"moved to the {new['phase'].replace('_', ' ')} steps")
        if old.get("due_after_minutes") != new.get("due_after_minutes"):
            found.append(f"now due {describe_due(new.get('due_after_minutes'))}, was "
                         f"{describe_due(old.get('due_after_minutes'))}")
    if (old.get("source") or None) != (new.get("source") or None):
        found.append(f"now comes from {source_in_words(new.get('source'))}" if new.get("source")
                     else "no longer names where it comes from")
    shown = {"source", "phase", "due_after_minutes", "rules", *WORDS}
    if not found and {k: v for k, v in old.items() if k not in shown} != {k: v for k, v in new.items()
                                                                          if k not in shown}:
        found.append("other details changed")
    if not found and old.get("rules") != new.get("rules"):
        found.append("the guidance it follows changed")
    return found


def changes(old: dict, new: dict) -> list[dict]:
    """Every difference, in order of the sections: {"section", "change" (added/removed/changed), "words",
    "details" (what changed, for a changed element)}."""
    found = []
    for section in ELEMENT_SECTIONS:
        before = {_name(section, i): i for i in old.get(section) or []}
        after = {_name(section, i): i for i in new.get(section) or []}
        heading = SECTION_TITLES[section]
        for key, item in after.items():
            if key not in before:
                found.append({"section": heading, "change": "added", "words": _words(item), "details": []})
            elif (details := _changed(section, before[key], item)):
                found.append({"section": heading, "change": "changed", "words": _words(before[key]),
                              "details": details})
        for key, item in before.items():
            if key not in after:
                found.append({"section": heading, "change": "removed", "words": _words(item), "details": []})
    if list(old.get("sign_off_roles") or []) != list(new.get("sign_off_roles") or []):
        found.append({"section": "Sign-off", "change": "changed",
                      "words": "Who signs off a decision not to refer",
                      "details": [f"now {roles_in_words(new['sign_off_roles'])}"]})
    return found

"""Retention dates (rule H4): the rules are data (records/retention.toml); the sums are pure.

`retention_for(...)` knows nothing of the database: it takes the dates it needs and returns
when the record may be disposed of, under which rule, and why, in plain English.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings

RULES_FILE = Path(__file__).with_name("retention.toml")
APPLIES = ("children", "staff", "otherwise")
MEASURES = ("child_birth", "staff_retirement", "closure")
RULE_KEYS = {"id", "label", "applies_when", "source", "measure", "remove_when_found", "removal_explain"}
# KCSIE Part 4's findings on an allegation about a member of staff.
FINDINGS = ("substantiated", "malicious", "false", "unsubstantiated", "unfounded")
MEASURE_KEYS = {"from", "years", "explain", "unknown_note"}


class RetentionRuleError(ValueError):
    """The rules file is broken; the message says where."""


def _check_rules(data):
    if set(data) - {"review_window_days", "rule"}:
        raise RetentionRuleError(f"unknown top-level keys: {sorted(set(data) - {'review_window_days', 'rule'})}")
    window = data.get("review_window_days")
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 366:
        raise RetentionRuleError("review_window_days must be a whole number of days from 0 to 366")
    rules, seen = data.get("rule") or [], set()
    if sorted(r.get("applies_when") for r in rules) != sorted(APPLIES):
        raise RetentionRuleError(f"there must be exactly one rule for each of {', '.join(APPLIES)}")
    for rule in rules:
        where = f"rule {rule.get('id', '?')!r}"
        if set(rule) - RULE_KEYS:
            raise RetentionRuleError(f"{where}: unknown keys {sorted(set(rule) - RULE_KEYS)}")
        for key in ("id", "label", "source"):
            if not isinstance(rule.get(key), str) or not rule[key].strip():
                raise RetentionRuleError(f"{where}: {key} is required")
        if rule["id"] in seen:
            raise RetentionRuleError(f"{where}: id used twice")
        seen.add(rule["id"])
        if not rule.get("measure"):
            raise RetentionRuleError(f"{where}: give at least one measure")
        for m in rule["measure"]:
            if m.get("from") not in MEASURES:
                raise RetentionRuleError(f"{where}: a measure's `from` must be one of {', '.join(MEASURES)}")
            if set(m) - MEASURE_KEYS:
                raise RetentionRuleError(f"{where}: unknown measure keys {sorted(set(m) - MEASURE_KEYS)}")
            if not isinstance(m.get("explain"), str) or not m["explain"].strip():
                raise RetentionRuleError(f"{where}: each measure needs `explain`")
            years = m.get("years")
            if m["from"] == "staff_retirement":
                if years is not None:
                    raise RetentionRuleError(f"{where}: the retirement age is a setting, not `years`")
                if not m.get("unknown_note"):
                    raise RetentionRuleError(f"{where}: say what happens when the date of birth is not known")
            elif not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 100:
                raise RetentionRuleError(f"{where}: `years` must be a whole number from 1 to 100")
        if rule["applies_when"] == "children" and not any(m["from"] == "child_birth" for m in rule["measure"]):
            raise RetentionRuleError(f"{where}: a children's rule must count from the child's date of birth")
        _check_removal(where, rule)
    return data


def _check_removal(where, rule):
    found = rule.get("remove_when_found")
    if found is None:
        if "removal_explain" in rule:
            raise RetentionRuleError(f"{where}: removal_explain is only used with remove_when_found")
        return
    if rule["applies_when"] != "staff":
        raise RetentionRuleError(f"{where}: only the staff rule removes a record on a finding")
    if not isinstance(found, list) or not found or any(f not in FINDINGS for f in found):
        raise RetentionRuleError(f"{where}: remove_when_found must list findings from {', '.join(FINDINGS)}")
    if not isinstance(rule.get("removal_explain"), str) or not rule["removal_explain"].strip():
        raise RetentionRuleError(f"{where}: say why the record is removed (removal_explain)")


def read_rules(path=RULES_FILE):
    """Read and validate the rules file. Raise RetentionRuleError if it is broken."""
    try:
        data = tomllib.loads(Path(path).read_text())
    except tomllib.TOMLDecodeError as error:
        raise RetentionRuleError(str(error)) from None
    return _check_rules(data)


@cache
def rules():
    return read_rules()


def rule_by_id(rule_id):
    return next((r for r in rules()["rule"] if r["id"] == rule_id), None)


def review_window():
    return timedelta(days=rules()["review_window_days"])


def add_years(day: date, years: int) -> date:
    """`day` moved on `years` years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Retention:
    rule: dict | None  # None while the record is open
    until: date | None  # None while the record is open: an open record is never due
    explain: str
    notes: list[str] = field(default_factory=list)

    @property
    def rule_id(self):
        return self.rule["id"] if self.rule else ""

    def is_due(self, today):
        return self.until is not None and self.until <= today

    def in_queue(self, today):
        """Past its date, or within the review window of it (90 days unless the rules say otherwise)."""
        return self.until is not None and self.until <= today + review_window()


def _apply(rule, *, closed_on, youngest_birth, staff_birth, retirement_age, staff_finding=None):
    if staff_finding is not None and staff_finding in rule.get("remove_when_found", ()):
        # KCSIE Part 4: not kept on to retirement age; due for the disposal review once closed.
        return Retention(rule=rule, until=closed_on, explain=rule["removal_explain"],
                         notes=[f"Found {staff_finding}: {rule['removal_explain']}."])
    dates, explains, notes = [], [], []
    for m in rule["measure"]:
        if m["from"] == "child_birth":
            dates.append(add_years(youngest_birth, m["years"]))
        elif m["from"] == "closure":
            dates.append(add_years(closed_on, m["years"]))
        elif staff_birth is None:
            notes.append(m["unknown_note"])
            continue
        else:
            dates.append(add_years(staff_birth, retirement_age))
        explains.append(m["explain"])
    until = max(dates)
    explain = explains[0] if len(explains) == 1 else " or ".join(explains) + ", whichever is later"
    return Retention(rule=rule, until=until, explain=explain, notes=notes)


def retention_for(*, is_open, closed_on=None, child_birth_dates=(), about_staff=False, staff_birth=None,
                  retirement_age=None, staff_finding=None):
    """Return the Retention of one record (H4).

    `child_birth_dates`: the dates of birth of every child named (the youngest counts).
    `about_staff`: the record is an allegation about a member of staff, born on
    `staff_birth` (None when not known). `staff_finding`: what the allegation was found to be
    (one of FINDINGS), when known; a finding the staff rule lists in `remove_when_found`
    ends that rule's hold at closure (KCSIE Part 4).
    """
    if staff_finding is not None and staff_finding not in FINDINGS:
        raise ValueError(f"unknown finding {staff_finding!r} (known: {', '.join(FINDINGS)})")
    if is_open or closed_on is None:
        return Retention(rule=None, until=None, explain="An open case is never due for disposal.")
    retirement_age = retirement_age if retirement_age is not None else settings.HARBOUR_RETIREMENT_AGE
    by_kind = {r["applies_when"]: r for r in rules()["rule"]}
    births = [d for d in child_birth_dates if d is not None]
    kinds = (["children"] if births else []) + (["staff"] if about_staff else []) or ["otherwise"]
    found = [_apply(by_kind[k], closed_on=closed_on, youngest_birth=max(births) if births else None,
                    staff_birth=staff_birth, retirement_age=retirement_age,
                    staff_finding=staff_finding if k == "staff" else None) for k in kinds]
    latest = max(found, key=lambda r: r.until)
    others = [f"{r.rule['label']}: kept until {r.until:%-d %B %Y} by itself." for r in found if r is not latest]
    notes = [n for r in found for n in r.notes] + others
    return Retention(rule=latest.rule, until=latest.until, explain=latest.explain, notes=notes)

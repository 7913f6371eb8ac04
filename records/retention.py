"""Retention dates (rule H4): the rules are data (records/retention.toml); the sums are pure.

`retention_for(...)` knows nothing of the database: it takes the dates it needs and returns
when the record may be disposed of, under which rule, and why, in plain English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated

from django.conf import settings
from pydantic import Field, model_validator

from lib import datafiles
from lib.datafiles import Table, checked, each_once, is_int, nonempty_str, one_of, problem, refuse

RULES_FILE = Path(__file__).with_name("retention.toml")
APPLIES = ("children", "staff", "otherwise")
MEASURES = ("child_birth", "staff_retirement", "closure")
# KCSIE Part 4's findings on an allegation about a member of staff.
FINDINGS = ("substantiated", "malicious", "false", "unsubstantiated", "unfounded")


class RetentionRuleError(ValueError):
    """The rules file is broken; the message says where."""


# ---- the rules file -----------------------------------------------------------------------

Text = checked(str, nonempty_str, "{field} is required")


class Measure(Table):
    """One date a rule keeps a record until; the rule keeps it until the latest of its measures."""

    from_: checked(str, one_of(MEASURES), "a measure's `from` must be one of " + ", ".join(MEASURES)) = Field(
        alias="from")
    years: int | None = None
    explain: checked(str, nonempty_str, "each measure needs `explain`")
    unknown_note: str | None = None

    @model_validator(mode="after")
    def _years(self):
        if self.from_ == "staff_retirement":
            if self.years is not None:
                raise problem("the retirement age is a setting, not `years`")
            if not self.unknown_note:
                raise problem("say what happens when the date of birth is not known")
        elif not (is_int(self.years) and 1 <= self.years <= 100):
            raise problem("`years` must be a whole number from 1 to 100")
        return self


class Rule(Table):
    id: Text
    label: Text
    applies_when: checked(str, one_of(APPLIES), "{field} must be one of " + ", ".join(APPLIES))
    source: Text
    measure: checked(list[Measure], lambda v: isinstance(v, list) and v != [], "give at least one measure")
    # KCSIE Part 4: the findings after which the staff rule keeps the record only until it is closed.
    remove_when_found: checked(list[str], lambda v: isinstance(v, list) and v != [] and all(f in FINDINGS for f in v),
                               "remove_when_found must list findings from " + ", ".join(FINDINGS)) = None
    removal_explain: checked(str, nonempty_str, "say why the record is removed (removal_explain)") = None

    @model_validator(mode="after")
    def _consistent(self):
        found = []
        if self.applies_when == "children" and not any(m.from_ == "child_birth" for m in self.measure):
            found.append(((), "a children's rule must count from the child's date of birth"))
        if self.remove_when_found is None:
            if self.removal_explain is not None:
                found.append(((), "removal_explain is only used with remove_when_found"))
        else:
            if self.applies_when != "staff":
                found.append(((), "only the staff rule removes a record on a finding"))
            if self.removal_explain is None:
                found.append(((), "say why the record is removed (removal_explain)"))
        refuse(found)
        return self


class RetentionRules(Table):
    review_window_days: checked(int, lambda v: is_int(v) and 0 <= v <= 366,
                                "{field} must be a whole number of days from 0 to 366")
    rule: Annotated[list[Rule], each_once("id", "id used twice")] = []

    @model_validator(mode="after")
    def _one_rule_each(self):
        if sorted(r.applies_when for r in self.rule) != sorted(APPLIES):
            raise problem(f"there must be exactly one rule for each of {', '.join(APPLIES)}")
        return self


def _where(loc: tuple, data) -> str | None:
    """rule 'staff-allegation', measure 2: each rule named by its id, as the file's readers know it."""
    if len(loc) < 2 or loc[0] != "rule" or not isinstance(loc[1], int):
        return None
    rules = data.get("rule") if isinstance(data, dict) else None
    rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
    where = f"rule {rule.get('id', '?') if isinstance(rule, dict) else '?'!r}"
    if len(loc) >= 4 and loc[2] == "measure" and isinstance(loc[3], int):
        where += f", measure {loc[3] + 1}"
    return where


def read_rules(path=RULES_FILE):
    """Read and validate the rules file. Raise RetentionRuleError, naming the file, if it is broken."""
    path = Path(path)
    data = datafiles.read_toml(path, RetentionRuleError)
    model, errors = datafiles.validate(RetentionRules, data, where=_where)
    if errors:
        raise RetentionRuleError(f"{path.name}: " + "; ".join(errors))
    return model.model_dump(by_alias=True, exclude_unset=True)


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

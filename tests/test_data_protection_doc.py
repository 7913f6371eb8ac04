"""Issue 21.5: docs/data-protection.md is written from what the code does, so it must keep matching it: every file
it names exists, its retention periods are records/retention.toml's, and every role of the capability table is in
its "who can see what" table."""

import re
import tomllib
from pathlib import Path

from accounts.capabilities import CAPABILITIES

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "data-protection.md").read_text()


def test_every_file_the_document_names_exists():
    named = set(re.findall(r"`([a-z_]+/[A-Za-z0-9_/.-]*)`", DOC))
    assert len(named) > 20
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert missing == []


def test_its_retention_periods_are_the_rules_in_retention_toml():
    rules = tomllib.loads((ROOT / "records" / "retention.toml").read_text())
    by_id = {rule["id"]: rule for rule in rules["rule"]}
    child = next(m for m in by_id["child-protection"]["measure"] if m["from"] == "child_birth")
    staff = next(m for m in by_id["staff-allegation"]["measure"] if m["from"] == "closure")
    other = next(m for m in by_id["other"]["measure"] if m["from"] == "closure")
    assert f"until {child['years']} years after the date of birth of the youngest" in DOC
    assert f"or {staff['years']} years after the case closed" in DOC
    assert f"{other['years']} years after closure" in DOC
    assert f"{rules['review_window_days']} days before their date" in DOC
    assert set(by_id["staff-allegation"]["remove_when_found"]) == {"malicious", "false"} and "malicious or false" in DOC


def test_every_role_is_in_the_who_can_see_what_table():
    table = DOC[DOC.index("## Who can see what"):DOC.index("## Where it is stored")].lower()
    words = {"staff": "any member of staff", "dsl": "designated safeguarding lead", "deputy_dsl": "deputies",
             "headteacher": "headteacher", "senco": "senco", "online_safety_coordinator": "online-safety coordinator",
             "technical": "technical staff", "governor": "governors", "chair_of_governors": "chair of governors",
             "trust_safeguarding_lead": "trust safeguarding lead", "trust_administrator": "trust administrator"}
    assert set(words) == {str(role) for role in CAPABILITIES}
    for role, said in words.items():
        assert f"\n| {said}" in table or f" {said} " in table, role

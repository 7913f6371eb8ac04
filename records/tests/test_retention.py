"""Retention dates from the rules file (H4): child protection DOB + 25, staff allegations the longer of
retirement age and 10 years from closure, open cases never due; the file validated at start-up."""

from datetime import date

import pytest
from django.test import override_settings

from records import retention
from records.retention import RetentionRuleError, read_rules, retention_for


def test_r_h4_child_protection_is_kept_until_the_youngest_childs_birth_plus_25_years():
    r = retention_for(is_open=False, closed_on=date(2020, 1, 1),
                      child_birth_dates=[date(2005, 6, 1), date(2008, 3, 9), date(2006, 1, 1)])
    assert r.rule_id == "child-protection"
    assert r.until == date(2033, 3, 9)  # the latest date of birth: the youngest child
    assert "youngest child" in r.explain


def test_r_h4_a_leap_day_birthday_moves_to_28_february():
    assert retention.add_years(date(2008, 2, 29), 25) == date(2033, 2, 28)


@override_settings(HARBOUR_RETIREMENT_AGE=67)
def test_r_h4_staff_allegation_is_kept_until_retirement_age_when_that_is_later():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=date(1980, 4, 2))
    assert r.rule_id == "staff-allegation" and r.until == date(2047, 4, 2)
    assert "whichever is later" in r.explain and r.notes == []


@override_settings(HARBOUR_RETIREMENT_AGE=67)
def test_r_h4_staff_allegation_is_kept_10_years_from_closure_when_that_is_later():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=date(1950, 1, 1))
    assert r.until == date(2030, 5, 1)


@override_settings(HARBOUR_RETIREMENT_AGE=60)
def test_r_h4_the_retirement_age_is_a_setting():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=date(1980, 4, 2))
    assert r.until == date(2040, 4, 2)


def test_r_h4_unknown_staff_date_of_birth_uses_10_years_and_says_so():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=None)
    assert r.until == date(2030, 5, 1)
    assert r.notes == ["The member of staff's date of birth is not known, so 10 years from closure is used."]


def test_r_h4_a_record_under_both_rules_is_kept_until_the_later_date():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=None,
                      child_birth_dates=[date(2010, 1, 1)])
    assert r.rule_id == "child-protection" and r.until == date(2035, 1, 1)
    assert any("Allegation about a member of staff" in n and "2030" in n for n in r.notes)
    assert any("date of birth is not known" in n for n in r.notes)


def test_r_h4_an_open_case_is_never_due():
    r = retention_for(is_open=True, closed_on=None, child_birth_dates=[date(1970, 1, 1)])
    assert r.until is None and not r.is_due(date(2100, 1, 1)) and not r.in_queue(date(2100, 1, 1))


def test_a_record_naming_no_child_or_staff_uses_the_otherwise_rule():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1))
    assert r.rule_id == "other" and r.until == date(2026, 5, 1)


def test_r_h4_the_queue_window_is_90_days_before_the_date():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1))
    assert not r.in_queue(date(2026, 1, 30)) and r.in_queue(date(2026, 1, 31))  # 1 May less 90 days
    assert not r.is_due(date(2026, 4, 30)) and r.is_due(date(2026, 5, 1))


def test_the_shipped_rules_file_is_valid():
    data = read_rules()
    assert {r["applies_when"] for r in data["rule"]} == {"children", "staff", "otherwise"}


@pytest.mark.parametrize("change, message", [
    ('years = 25', 'years = 0'),
    ('applies_when = "staff"', 'applies_when = "children"'),
    ('from = "closure"\n  years = 10', 'from = "the moon"\n  years = 10'),
    ('review_window_days = 90', 'review_window_days = "soon"'),
    ('id = "other"', 'id = "child-protection"'),
])
def test_a_broken_rules_file_is_refused_with_a_reason(tmp_path, change, message):
    text = retention.RULES_FILE.read_text()
    assert change in text
    path = tmp_path / "retention.toml"
    path.write_text(text.replace(change, message, 1))
    with pytest.raises(RetentionRuleError):
        read_rules(path)


def test_the_system_check_reports_a_broken_file(monkeypatch, tmp_path):
    from records.checks import retention_rules_are_valid

    path = tmp_path / "retention.toml"
    path.write_text("review_window_days = 90\n")
    monkeypatch.setattr(retention, "RULES_FILE", path)
    [error] = retention_rules_are_valid(None)
    assert error.id == "records.E001" and "exactly one rule" in error.msg


# ---- KCSIE Part 4: malicious or false allegations leave the personnel record (H4, F8) ---------------------

@override_settings(HARBOUR_RETIREMENT_AGE=67)
@pytest.mark.parametrize("finding", ["malicious", "false"])
def test_r_h4_an_allegation_found_malicious_or_false_is_not_kept_to_retirement_age(finding):
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=date(1980, 4, 2),
                      staff_finding=finding)
    assert r.rule_id == "staff-allegation" and r.until == date(2020, 5, 1)  # due for the disposal review at once
    assert r.is_due(date(2020, 5, 1))
    assert "removed from personnel records" in r.explain and "reference" in r.explain
    assert r.notes == [f"Found {finding}: {r.explain}."]


@override_settings(HARBOUR_RETIREMENT_AGE=67)
@pytest.mark.parametrize("finding", ["substantiated", "unsubstantiated", "unfounded", None])
def test_r_h4_every_other_finding_keeps_the_record_to_retirement_age_or_10_years(finding):
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=date(1980, 4, 2),
                      staff_finding=finding)
    assert r.until == date(2047, 4, 2)


def test_r_h4_a_false_allegation_naming_a_child_keeps_the_childs_record_and_says_what_to_remove():
    r = retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_birth=None,
                      child_birth_dates=[date(2010, 1, 1)], staff_finding="false")
    assert r.rule_id == "child-protection" and r.until == date(2035, 1, 1)
    assert any(n.startswith("Found false:") and "personnel records" in n for n in r.notes)


def test_a_finding_that_is_not_in_kcsie_is_refused():
    with pytest.raises(ValueError, match="unknown finding 'dismissed'"):
        retention_for(is_open=False, closed_on=date(2020, 5, 1), about_staff=True, staff_finding="dismissed")


def test_r_h4_the_shipped_rules_remove_malicious_and_false_allegations():
    staff = next(r for r in read_rules()["rule"] if r["applies_when"] == "staff")
    assert staff["remove_when_found"] == ["malicious", "false"]


@pytest.mark.parametrize("change, message", [
    ('remove_when_found = ["malicious", "false"]', 'remove_when_found = ["malicious", "dismissed"]'),
    ('remove_when_found = ["malicious", "false"]', 'remove_when_found = []'),
    ('removal_explain = "an allegation', 'removal_note = "an allegation'),
])
def test_a_broken_removal_rule_is_refused_with_a_reason(tmp_path, change, message):
    text = retention.RULES_FILE.read_text()
    assert change in text
    path = tmp_path / "retention.toml"
    path.write_text(text.replace(change, message, 1))
    with pytest.raises(RetentionRuleError):
        read_rules(path)


def test_only_the_staff_rule_may_remove_a_record_on_a_finding(tmp_path):
    text = retention.RULES_FILE.read_text().replace(
        'applies_when = "children"\n', 'applies_when = "children"\nremove_when_found = ["false"]\n'
        'removal_explain = "x"\n', 1)
    path = tmp_path / "retention.toml"
    path.write_text(text)
    with pytest.raises(RetentionRuleError, match="only the staff rule"):
        read_rules(path)


def test_r_h4_a_broken_rules_file_is_refused_naming_the_file_the_rule_and_the_problem(tmp_path, monkeypatch):
    from records.checks import retention_rules_are_valid

    path = tmp_path / "retention.toml"
    path.write_text(retention.RULES_FILE.read_text().replace("years = 25", "years = 0", 1))
    with pytest.raises(RetentionRuleError) as refused:
        read_rules(path)
    message = "retention.toml: rule 'child-protection', measure 1: `years` must be a whole number from 1 to 100"
    assert str(refused.value) == message
    monkeypatch.setattr(retention, "RULES_FILE", path)
    [error] = retention_rules_are_valid(None)
    assert error.id == "records.E001" and message in error.msg

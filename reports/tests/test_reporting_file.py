"""reports/reporting.toml: online-risk areas and terms, validated at load (G4)."""

import tomllib
from datetime import date

import pytest

from reports import reporting
from reports.reporting import FILE, case_types, validate


def data():
    return tomllib.loads(FILE.read_text())


def test_the_shipped_file_is_valid_and_maps_every_kind_of_case_to_one_of_the_four_areas():
    assert validate(data(), case_types()) == []
    definition = reporting.load()
    assert set(definition.areas) == case_types()
    assert set(definition.areas.values()) <= {"content", "contact", "conduct", "commerce"}


def test_a_missing_kind_an_unknown_kind_and_a_fifth_area_are_each_named():
    broken = data()
    del broken["areas"]["sextortion"]
    broken["areas"]["phishing"] = "commerce"
    broken["areas"]["cyberbullying"] = "conflict"
    problems = " ".join(validate(broken, case_types()))
    assert "no area for 'sextortion'" in problems
    assert "'phishing', which is not a kind of case" in problems
    assert "'conflict'" in problems


def test_terms_must_be_real_dates_in_the_order_of_the_school_year():
    broken = data()
    broken["terms"][1]["starts"] = "02-30"
    assert any("MM-DD" in p for p in validate(broken, case_types()))
    swapped = data()
    swapped["terms"][1], swapped["terms"][2] = swapped["terms"][2], swapped["terms"][1]
    assert any("order of the school year" in p for p in validate(swapped, case_types()))


def test_terms_are_whole_periods_that_follow_one_another():
    autumn = reporting.term_containing(date(2025, 11, 3))
    assert (autumn.key, autumn.start, autumn.end) == ("2025-autumn", date(2025, 9, 1), date(2026, 1, 1))
    spring = reporting.term_containing(date(2026, 2, 1))
    summer = reporting.term_containing(date(2026, 7, 20))
    assert spring.end == summer.start == date(2026, 4, 15)
    assert summer.end == date(2026, 9, 1)
    assert reporting.period_for_key("2025-spring") == spring
    assert reporting.period_for_key("2025-winter") is None and reporting.period_for_key("x") is None
    terms = reporting.recent_terms(date(2026, 2, 1), 4)
    assert [t.key for t in terms] == ["2025-spring", "2025-autumn", "2024-summer", "2024-spring"]
    assert all(newer.start == older.end for newer, older in zip(terms, terms[1:], strict=False))


def test_r_g4_a_broken_file_is_refused_naming_the_file_the_term_and_the_problem(tmp_path, monkeypatch):
    from reports.checks import reporting_file_is_valid

    path = tmp_path / "reporting.toml"
    starts = data()["terms"][1]["starts"]
    path.write_text(FILE.read_text().replace(f'starts = "{starts}"', 'starts = "02-30"', 1))
    monkeypatch.setattr(reporting, "FILE", path)
    reporting.load.cache_clear()
    try:
        message = "reporting.toml: term 'spring': starts must be MM-DD, not '02-30'"
        with pytest.raises(reporting.ReportingDefinitionError) as refused:
            reporting.load()
        assert str(refused.value) == message
        [error] = reporting_file_is_valid(None)
        assert error.id == "reports.E001" and message in error.msg
    finally:
        reporting.load.cache_clear()

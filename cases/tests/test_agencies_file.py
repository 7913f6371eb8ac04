"""cases/agencies.toml is checked by its models at start-up (B2, B15): a broken file is refused by name."""

import pytest

from cases import agencies
from cases.checks import agencies_are_valid


@pytest.fixture
def broken_agencies(tmp_path, monkeypatch):
    """agencies.toml with its first agency (children's social care) made an 'advice' agency."""
    path = tmp_path / "agencies.toml"
    path.write_text(agencies.PATH.read_text().replace('kind = "referral"', 'kind = "advice"', 1))
    monkeypatch.setattr(agencies, "PATH", path)
    agencies._load.cache_clear()
    yield path
    agencies._load.cache_clear()


MESSAGE = ("agencies.toml: agency 1 (csc): kind must be one of referral, report, shared; "
           "agency 1 (csc): only a referral can count for B2")


def test_r_b2_a_broken_agencies_file_is_refused_naming_the_file_the_agency_and_the_problem(broken_agencies):
    with pytest.raises(agencies.AgenciesFileError) as refused:
        agencies.all_agencies()
    assert str(refused.value) == MESSAGE


def test_r_b15_the_start_up_check_reports_it(broken_agencies):
    [error] = agencies_are_valid(None)
    assert error.id == "cases.E001" and MESSAGE in error.msg


def test_the_shipped_file_loads_as_written():
    """Plain dicts with only the keys the file gives: a key left out is left out, as before the models."""
    csc = agencies.get("csc")
    assert csc["kind"] == "referral" and csc["counts_for_b2"] is True and "urls_only" not in csc
    assert agencies.routes()["phone"] == "By phone"

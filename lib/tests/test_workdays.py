"""Working days for clocks counted in them (referral feedback; later LADO and file transfer, H5)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from lib.workdays import add_working_days, is_working_day

LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(date(2026, 11, 23))  # a Monday
    assert not is_working_day(date(2026, 11, 22))  # a Sunday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # substitute Boxing Day


def test_one_working_day_keeps_the_time_of_day():
    assert add_working_days(at(2026, 11, 23, 14, 30), 1) == at(2026, 11, 24, 14, 30)
    assert add_working_days(at(2026, 11, 27, 16, 0), 1) == at(2026, 11, 30, 16, 0)  # Friday → Monday


def test_a_start_at_the_weekend_counts_from_monday_morning():
    assert add_working_days(at(2026, 11, 21, 22, 0), 1) == at(2026, 11, 24, 9, 0)


def test_five_working_days_over_easter_2027():
    # Maundy Thursday 25 March 2027; Good Friday 26th and Easter Monday 29th are bank holidays.
    assert add_working_days(at(2027, 3, 25, 10, 0), 5) == at(2027, 4, 5, 10, 0)


def test_beyond_the_bundled_data_only_weekends_are_skipped():
    assert add_working_days(at(2031, 1, 3, 12, 0), 1) == at(2031, 1, 6, 12, 0)  # Friday → Monday

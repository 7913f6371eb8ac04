"""Working-day arithmetic for clocks counted in working days (referral feedback, LADO, file transfer).

A working day is Monday to Friday and not a bank holiday in England and Wales. The bank
holidays come from govuk-bank-holidays' bundled data, so nothing is fetched from the network.
Beyond the years that data covers, only weekends are skipped.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

from django.utils import timezone


@lru_cache(maxsize=1)
def bank_holidays() -> frozenset[date]:
    from govuk_bank_holidays.bank_holidays import BankHolidays

    data = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in data.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: datetime, days: int) -> datetime:
    """The same local time of day, `days` working days after `start`.

    A start outside working days counts from 09:00 on the next working day: a referral made
    on a Saturday is received on Monday morning, so one working day later is 09:00 on Tuesday.
    """
    local = timezone.localtime(start)
    day = local.date()
    while not is_working_day(day):
        day += timedelta(days=1)
        local = local.replace(hour=9, minute=0, second=0, microsecond=0)
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))

"""Reading the date and time a person typed into an HTML datetime-local field."""

import re
from datetime import datetime

from django.utils import timezone

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def parse_local_datetime(value):
    """'2026-11-22T09:05' in the school's time zone → an aware datetime, or None if it is not one."""
    try:
        return timezone.make_aware(datetime.strptime((value or "").strip(), DATETIME_LOCAL))
    except ValueError:
        return None


def uk_date(value) -> str:
    """A date as people in the UK write it: 6 December 2026 (a datetime gives its own date; None gives "")."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {value:%B %Y}"


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?")


def uk_words(value):
    """A value that is wholly an ISO date ("2026-12-06") or date and time ("2026-12-06 09:05") as UK words ("6
    December 2026", "6 December 2026 at 9:05am"); anything else unchanged. For printed records whose data keeps the
    ISO form (a subject access export, a child protection file)."""
    if not isinstance(value, str):
        return value
    found = _ISO.fullmatch(value.strip())
    if not found:
        return value
    year, month, day, hour, minute = found.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return value
    words = uk_date(when.date())
    if hour is None:
        return words
    return f"{words} at {when:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")

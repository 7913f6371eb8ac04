"""Reading the date and time a person typed into an HTML datetime-local field."""

from datetime import datetime

from django.utils import timezone

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def parse_local_datetime(value):
    """'2026-11-22T09:05' in the school's time zone → an aware datetime, or None if it is not one."""
    try:
        return timezone.make_aware(datetime.strptime((value or "").strip(), DATETIME_LOCAL))
    except ValueError:
        return None

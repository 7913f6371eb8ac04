from lib.dates import parse_local_datetime


def test_parse_local_datetime_reads_the_field_and_refuses_anything_else():
    value = parse_local_datetime(" 2026-11-22T09:05 ")
    assert value.tzinfo is not None and (value.hour, value.minute) == (9, 5)
    for bad in ("", None, "22/11/2026 09:05", "2026-13-01T00:00"):
        assert parse_local_datetime(bad) is None


def test_dates_in_print_are_written_in_uk_words():
    """Issue 20.9: "6 December 2026", never 2026-12-06."""
    from datetime import date, datetime

    from django.utils import timezone

    from lib.dates import uk_date, uk_words

    assert uk_date(date(2026, 12, 6)) == "6 December 2026"
    assert uk_date(timezone.make_aware(datetime(2026, 12, 6, 23, 30))) == "6 December 2026"
    assert uk_date(None) == ""
    assert uk_words("2026-12-06") == "6 December 2026"
    assert uk_words("2026-03-02 09:05") == "2 March 2026 at 9:05am"
    assert uk_words("2026-03-02 14:40") == "2 March 2026 at 2:40pm"
    # Anything that is not wholly a date is left as it was.
    assert uk_words("Seen on 2026-03-02 in a chat") == "Seen on 2026-03-02 in a chat"
    assert uk_words("2026-13-40") == "2026-13-40" and uk_words(7) == 7

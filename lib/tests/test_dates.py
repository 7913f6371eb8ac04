from lib.dates import parse_local_datetime


def test_parse_local_datetime_reads_the_field_and_refuses_anything_else():
    value = parse_local_datetime(" 2026-11-22T09:05 ")
    assert value.tzinfo is not None and (value.hour, value.minute) == (9, 5)
    for bad in ("", None, "22/11/2026 09:05", "2026-13-01T00:00"):
        assert parse_local_datetime(bad) is None

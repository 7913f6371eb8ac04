"""The embedded database's durability settings, read back from live connections."""

import os

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def test_sqlite_pragmas_on_a_live_connection(tmp_path, django_db_blocker):
    """WAL, synchronous=FULL, foreign keys on, a busy timeout, IMMEDIATE transactions."""
    wrapper = DatabaseWrapper({
        "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "harbour.sqlite3"),
        "OPTIONS": settings.SQLITE_OPTIONS, "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "",
        "TEST": {},
    }, alias="pragma_check")
    with django_db_blocker.unblock(), wrapper.cursor() as cursor:
        def pragma(name):
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000
    with django_db_blocker.unblock():
        wrapper.close()
    assert wrapper.transaction_mode == "IMMEDIATE"


def test_postgresql_comes_from_one_database_url():
    import dj_database_url

    parsed = dj_database_url.parse("postgres://harbour:pw@db.internal:5433/harbour", conn_max_age=600,
                                   conn_health_checks=True)
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert (parsed["HOST"], parsed["PORT"], parsed["NAME"]) == ("db.internal", 5433, "harbour")
    assert parsed["CONN_MAX_AGE"] == 600 and parsed["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    from django.db import connection

    assert connection.vendor == ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")

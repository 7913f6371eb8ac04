"""Backup and restore on PostgreSQL (issue 8.5): `manage.py backup` (pg_dump, sealed by libsodium's secretstream) of
a database with people, a case and its audit trail, then `manage.py restore` into a new, empty database, which checks
the audit chain before it is used. Runs in the PostgreSQL half of `make test` (SQLite files are covered in
test_backup)."""

import os
import secrets
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.durability.crash import PYTHON, ROOT, SETUP, environment
from tests.figures import report

URL = os.environ.get("DATABASE_URL", "")
pytestmark = [pytest.mark.postgresql,
              pytest.mark.skipif(not URL.startswith("postgres"), reason="needs the PostgreSQL server of make test")]

AUDITED = ("from audit.log import Action, record; [record(actor=None, action=Action.CREATE, object_type='test', "
           "object_id=n) for n in range(25)]")


def _server():
    import psycopg

    parts = urlsplit(URL)
    conn = psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                           password=parts.password or "", dbname="postgres", autocommit=True)
    return conn, parts


@pytest.fixture
def databases(tmp_path):
    conn, parts = _server()
    names = [f"harbour_bk_{uuid.uuid4().hex[:8]}_{n}" for n in ("src", "dst", "bad")]
    for name in names:
        conn.execute(f'CREATE DATABASE "{name}"')

    def env(name):
        return environment(tmp_path) | {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
                                        "HARBOUR_BACKUP_KEY": key}

    key = secrets.token_hex(32)
    yield env, names
    for name in names:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def manage(env, *args):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def counts(env, *sqls):
    """The first column of each query's first row, read in one interpreter."""
    script = ("from django.db import connection; c = connection.cursor()\n"
              f"for q in {list(sqls)!r}:\n    c.execute(q); print(c.fetchone()[0])")
    out = manage(env, "shell", "-v", "0", "-c", script)
    assert out.returncode == 0, out.stderr[-1500:]
    return [int(v) for v in out.stdout.split() if v.isdigit()]


TABLES = [f"SELECT count(*) FROM {t}" for t in ("audit_auditevent", "schools_pupil", "accounts_user",
                                                "schools_school", "django_migrations")]


def test_r_h_backup_round_trip_on_postgresql(databases, tmp_path):
    env, (src, dst, bad) = databases
    for step in (("migrate", "--noinput", "-v0"), ("shell", "-c", SETUP), ("shell", "-c", AUDITED)):
        result = manage(env(src), *step)
        assert result.returncode == 0, result.stderr[-1500:]
    out = tmp_path / "harbour.backup"
    made = manage(env(src), "backup", str(out))
    assert made.returncode == 0, made.stderr[-1500:]
    assert b"Crash Test School" not in out.read_bytes()  # encrypted

    restored = manage(env(dst), "restore", str(out))
    assert restored.returncode == 0, restored.stdout + restored.stderr[-1500:]
    restored_counts = counts(env(dst), *TABLES)
    assert restored_counts == counts(env(src), *TABLES) and restored_counts[0] >= 25
    assert manage(env(dst), "verify_audit").returncode == 0

    # A backup changed by one byte, or opened with another key, is refused and nothing is created.
    damaged = tmp_path / "damaged.backup"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    refused = manage(env(bad), "restore", str(damaged))
    wrong_key = manage(env(bad) | {"HARBOUR_BACKUP_KEY": secrets.token_hex(32)}, "restore", str(out))
    assert refused.returncode != 0 and wrong_key.returncode != 0
    # A backup of the old format (1, before libsodium's secretstream) is refused, saying which release reads it.
    old = tmp_path / "old.backup"
    old.write_bytes(b"HARBOUR-BACKUP 1\n" + out.read_bytes()[len(b"HARBOUR-BACKUP 2\n"):])
    old_format = manage(env(bad), "restore", str(old))
    assert old_format.returncode != 0 and "earlier release of Harbour" in old_format.stderr
    assert counts(env(bad), "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == [0]
    # Restoring over a database that is in use is refused.
    assert manage(env(src), "restore", str(out)).returncode != 0
    events = restored_counts[0]
    report("backup and restore (PostgreSQL)", f"pg_dump round trip ok: {events} audit events verified after restore "
           f"into an empty database; a damaged backup, a wrong key and a format-1 backup refused with nothing created")

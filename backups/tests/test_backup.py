"""Backup and restore (issue 8): encrypted, checked before anything is replaced, round trip proven.

Runs real `manage.py backup` and `restore` against a scratch SQLite database (the embedded default).
"""

import os
import secrets
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from tests.durability.crash import PYTHON, ROOT, SETUP, environment, manage
from tests.figures import report

pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite files; runs once")


def run(env, *args):
    # The usual umask of a server account (022): anything Harbour does not make private itself is world-readable.
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(0o022))


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


AUDITED = "from audit.log import Action, record; [record(actor=None, action=Action.CREATE, object_type='test', " \
          "object_id=n) for n in range(25)]"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One migrated database with people and 25 audit events, copied for each test (migrating is slow)."""
    where = tmp_path_factory.mktemp("template")
    env = environment(where)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", SETUP)
    manage(env, "shell", "-c", AUDITED)
    return where / "harbour.sqlite3"


@pytest.fixture
def site(tmp_path, template):
    with sqlite3.connect(template) as src, sqlite3.connect(tmp_path / "harbour.sqlite3") as dst:
        src.backup(dst)
    return environment(tmp_path) | {"HARBOUR_BACKUP_KEY": secrets.token_hex(32)}, tmp_path


def count(path, table):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_round_trip_restores_exactly_what_was_backed_up(site):
    env, tmp = site
    db = tmp / "harbour.sqlite3"
    backup = tmp / "harbour.backup"
    made = run(env, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    raw = backup.read_bytes()
    assert b"Crash Test School" not in raw and b"teacher@crash.example" not in raw  # encrypted
    users, events = count(db, "accounts_user"), count(db, "audit_auditevent")
    assert events > 0
    # A restore never silently overwrites…
    refused = run(env, "restore", str(backup))
    assert refused.returncode != 0 and "--replace" in refused.stderr
    # …and with --replace it puts the checked copy in place.
    manage(env, "shell", "-c", "from schools.models import Trust; Trust.objects.create(name='After', slug='after')")
    done = run(env, "restore", str(backup), "--replace")
    assert done.returncode == 0, done.stderr
    assert count(db, "accounts_user") == users and count(db, "audit_auditevent") == events
    assert count(db, "schools_trust") == 1  # the trust made after the backup is gone
    assert run(env, "verify_audit").returncode == 0
    report("backup and restore", f"round trip ok: {events} audit events verified inside the copy before replacing")


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "wrong key", "not a backup"])
def test_a_damaged_backup_or_wrong_key_is_refused_and_nothing_is_replaced(site, damage):
    env, tmp = site
    db = tmp / "harbour.sqlite3"
    backup = tmp / "harbour.backup"
    assert run(env, "backup", str(backup)).returncode == 0
    data = bytearray(backup.read_bytes())
    if damage == "flip a byte":
        data[-20] ^= 0x01
    elif damage == "cut short":
        data = data[:-40]
    elif damage == "not a backup":
        data = bytearray(b"SQLite format 3\x00" + bytes(100))
    backup.write_bytes(bytes(data))
    if damage == "wrong key":
        env = env | {"HARBOUR_BACKUP_KEY": secrets.token_hex(32)}
    before = db.read_bytes()
    refused = run(env, "restore", str(backup), "--replace")
    assert refused.returncode != 0
    assert db.read_bytes() == before
    assert not (tmp / "harbour.sqlite3.restoring").exists()


def test_a_backup_needs_a_key_from_the_environment(site):
    env, tmp = site
    env = {k: v for k, v in env.items() if k != "HARBOUR_BACKUP_KEY"}
    refused = run(env, "backup", str(tmp / "x.backup"))
    assert refused.returncode != 0 and "HARBOUR_BACKUP_KEY" in refused.stderr
    assert not (tmp / "x.backup").exists()


def test_a_backup_file_is_readable_by_its_owner_only(site):
    env, tmp = site
    backup = tmp / "harbour.backup"
    backup.write_bytes(b"an older file, world-readable")
    backup.chmod(0o644)
    assert run(env, "backup", str(backup)).returncode == 0
    assert mode(backup) == 0o600


@pytest.mark.parametrize("live_mode", [0o600, 0o640])
def test_a_restore_keeps_the_live_databases_mode(site, live_mode):
    env, tmp = site
    db, backup = tmp / "harbour.sqlite3", tmp / "harbour.backup"
    assert run(env, "backup", str(backup)).returncode == 0
    db.chmod(live_mode)
    done = run(env, "restore", str(backup), "--replace")
    assert done.returncode == 0, done.stderr
    assert mode(db) == live_mode
    assert run(env, "verify_audit").returncode == 0


def test_a_restore_with_no_live_database_makes_it_private(site):
    env, tmp = site
    db, backup = tmp / "harbour.sqlite3", tmp / "harbour.backup"
    assert run(env, "backup", str(backup)).returncode == 0
    db.unlink()
    assert run(env, "restore", str(backup)).returncode == 0
    assert mode(db) == 0o600


def test_the_decrypted_scratch_copy_is_private_whatever_the_umask(site, monkeypatch):
    """The scratch copy of a restore holds every record in plain: it is 0600 from the moment it exists."""
    from backups import snapshots as backups

    env, tmp = site
    backup = tmp / "harbour.backup"
    assert run(env, "backup", str(backup)).returncode == 0
    monkeypatch.setenv("HARBOUR_BACKUP_KEY", env["HARBOUR_BACKUP_KEY"])
    scratch = tmp / "harbour.sqlite3.restoring"
    scratch.write_bytes(b"left over from a crash")
    scratch.chmod(0o644)
    old = os.umask(0o022)
    try:
        backups._decrypt(backup, Path(scratch), backups.backup_key())
    finally:
        os.umask(old)
    assert mode(scratch) == 0o600

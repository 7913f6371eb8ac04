"""Backup and restore (issue 8): encrypted, checked before anything is replaced, round trip proven.

Runs real `manage.py backup` and `restore` against a scratch SQLite database (the embedded default). The stream is
libsodium's secretstream (issue 19.5): the tests at the end take a backup apart chunk by chunk.
"""

import hashlib
import json
import os
import secrets
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from tests.durability.crash import PYTHON, ROOT, SETUP, environment, manage
from tests.figures import report

pytestmark = [pytest.mark.sqlite_run,
              pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite files; runs once")]


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


OLD_FORMAT = (b"HARBOUR-BACKUP 1\n" + json.dumps({"format": 1, "vendor": "sqlite", "audit_events": 25}).encode()
              + b"\n" + os.urandom(8) + (4096 + 16).to_bytes(4, "big") + os.urandom(4096 + 16))


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "wrong key", "not a backup", "changed header",
                                    "data after the end", "old format", "newer format"])
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
    elif damage == "changed header":  # the header line is each chunk's associated data
        data = bytearray(bytes(data).replace(b'"audit_events": 25', b'"audit_events": 24', 1))
    elif damage == "data after the end":
        data += b"\x00"
    elif damage == "old format":
        data = bytearray(OLD_FORMAT)
    elif damage == "newer format":
        data = bytearray(b"HARBOUR-BACKUP 3" + bytes(data)[len(b"HARBOUR-BACKUP 2"):])
    backup.write_bytes(bytes(data))
    if damage == "wrong key":
        env = env | {"HARBOUR_BACKUP_KEY": secrets.token_hex(32)}
    before = db.read_bytes()
    refused = run(env, "restore", str(backup), "--replace")
    assert refused.returncode != 0
    assert db.read_bytes() == before
    assert not (tmp / "harbour.sqlite3.restoring").exists()
    said = refused.stderr
    expected = {"flip a byte": "wrong key, or the file was changed", "cut short": "cut short",
                "wrong key": "wrong key, or the file was changed", "not a backup": "not a Harbour backup",
                "changed header": "wrong key, or the file was changed", "data after the end": "data after its end",
                "old format": "made by an earlier release of Harbour", "newer format": "made by a newer release"}
    assert expected[damage] in said, said
    if damage == "old format":
        assert "Restore this backup with the release that made it" in said and "nothing has been changed" in said


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


# -- The stream, chunk by chunk (in this process, with small chunks so a backup has many) ----------------------


@pytest.fixture
def stream(tmp_path, monkeypatch):
    """A 10,000-byte "database" backed up in chunks of 1,024 bytes: ten chunks, the last one final."""
    from backups import snapshots as backups

    monkeypatch.setattr(backups, "CHUNK", 1024)
    plain, out = tmp_path / "plain", tmp_path / "harbour.backup"
    plain.write_bytes(os.urandom(10_000))
    key = bytes.fromhex(secrets.token_hex(32))
    backups._encrypt(plain, out, {"format": 2, "vendor": "sqlite"}, key)
    return backups, plain, out, key


def chunks(backups, data):
    """(everything before the first chunk, [each chunk with its length]) of a backup's bytes."""
    at = data.index(b"\n", len(backups.MAGIC)) + 1 + backups.STREAM_HEADER_BYTES
    start, parts = data[:at], []
    while at < len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        parts.append(data[at:at + 4 + size])
        at += 4 + size
    return start, parts


def test_a_backup_is_a_libsodium_secretstream_whose_last_chunk_is_final(stream):
    from nacl import bindings as sodium

    backups, plain, out, key = stream
    data = out.read_bytes()
    assert data.startswith(b"HARBOUR-BACKUP 2\n")  # the format's version comes first
    start, parts = chunks(backups, data)
    assert len(parts) == 10
    head = start[len(backups.MAGIC):-backups.STREAM_HEADER_BYTES]
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, start[-backups.STREAM_HEADER_BYTES:], key)
    opened, tags = b"", []
    for part in parts:  # opened with libsodium directly, not Harbour's reader
        message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, part[4:], backups.MAGIC + head)
        opened, tags = opened + message, tags + [tag]
    assert opened == plain.read_bytes()
    assert tags == [sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE] * 9 + [
        sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL]
    backups._decrypt(out, out.with_name("restored"), key)
    assert out.with_name("restored").read_bytes() == plain.read_bytes()


@pytest.mark.parametrize("change", ["drop a chunk", "swap two chunks", "stop after a chunk that is not the last",
                                    "a chunk from another backup", "a length beyond any chunk"])
def test_chunks_dropped_reordered_cut_off_or_swapped_between_backups_are_refused(stream, change):
    backups, plain, out, key = stream
    start, parts = chunks(backups, out.read_bytes())
    if change == "drop a chunk":
        parts = parts[:4] + parts[5:]
    elif change == "swap two chunks":
        parts[3], parts[4] = parts[4], parts[3]
    elif change == "stop after a chunk that is not the last":
        parts = parts[:6]
    elif change == "a chunk from another backup":  # same key, same header line: still refused
        other = out.with_name("other.backup")
        backups._encrypt(plain, other, {"format": 2, "vendor": "sqlite"}, key)
        parts[2] = chunks(backups, other.read_bytes())[1][2]
    else:
        parts[1] = (2 ** 31).to_bytes(4, "big") + parts[1][4:]
    out.write_bytes(start + b"".join(parts))
    restored = out.with_name("restored")
    with pytest.raises(backups.BackupError) as refused:
        backups._decrypt(out, restored, key)
    assert ("cut short" if change.startswith("stop") else "changed") in str(refused.value)


def test_a_backup_streams_and_never_holds_the_database_in_memory(tmp_path):
    """48 MB through backup and restore with at most a few 4 MB chunks in memory at once."""
    import tracemalloc

    from backups import snapshots as backups

    plain, out, back = tmp_path / "plain", tmp_path / "harbour.backup", tmp_path / "restored"
    with plain.open("wb") as f:
        for _ in range(12):
            f.write(os.urandom(4 * 1024 * 1024))
    key = bytes.fromhex(secrets.token_hex(32))
    tracemalloc.start()
    try:
        backups._encrypt(plain, out, {"format": 2, "vendor": "sqlite"}, key)
        backups._decrypt(out, back, key)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (plain, back)]
    assert digest[0] == digest[1]
    assert peak < 4 * backups.CHUNK, f"peak {peak:,} bytes"
    report("backup streaming", f"48 MB backed up and restored with a peak of {peak / 2**20:.1f} MB in memory "
           f"(chunks of {backups.CHUNK // 2**20} MB)")


def test_the_daily_backup_into_a_folder_keeps_only_the_newest(site):
    """The timer's backup (`run_scheduled backup` → `backup --into FOLDER --keep N`): dated files, oldest deleted."""
    env, where = site
    folder = where / "backups"
    for _ in range(3):
        made = run(env, "backup", "--into", str(folder), "--keep", "2")
        assert made.returncode == 0, made.stderr
    kept = sorted(folder.glob("harbour-*.backup"))
    assert len(kept) == 2
    assert "1 older backup(s) deleted" in made.stdout
    assert mode(folder) == 0o700 and all(mode(f) == 0o600 for f in kept)
    restored = run(env | {"HARBOUR_SQLITE_PATH": str(where / "restored.sqlite3")}, "restore", str(kept[-1]))
    assert restored.returncode == 0, restored.stderr


def test_a_backup_needs_either_a_file_or_a_folder(site):
    env, where = site
    assert "either a file" in run(env, "backup").stderr
    assert "either a file" in run(env, "backup", str(where / "x.backup"), "--into", str(where)).stderr

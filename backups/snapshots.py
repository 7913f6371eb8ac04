"""Encrypted backups and checked restores (issue 8; ASVS V8 / DfE cyber standards: backups).

A backup file is:

    HARBOUR-BACKUP 2\\n                       the format and its version
    {"vendor": …, "created_at": …, "audit_events": N, "audit_head": "<mac of the last event>", …}\\n
    the secretstream header (24 bytes)
    messages: 4-byte length + one chunk of the database, sealed by libsodium's secretstream
              (XChaCha20-Poly1305); the last is tagged final; the two lines above are each chunk's
              associated data.

The stream is libsodium's own construction (`crypto_secretstream_xchacha20poly1305`, through PyNaCl's
bindings), nothing assembled here: a chunk cannot be changed, dropped, reordered, swapped between files
or cut off at the end without the restore noticing, and the header lines cannot be changed either. The
key is HARBOUR_BACKUP_KEY (64 hex characters) from the environment, never the database. A backup is
streamed in chunks of 4 MB both ways: neither a backup nor a restore holds the database in memory.

Format 1 (AES-256-GCM chunks put together by Harbour itself) is refused with a message that says to
restore it with the release that made it; docs/keys.md says why it is not read here.

SQLite is copied with its online backup API (a consistent snapshot while the server runs); PostgreSQL
with `pg_dump --format=custom`.

Every file a backup or restore writes is private to the account that runs it (0600), whatever its
umask: the backup itself, the plain copy it is made from, and the scratch copy a restore checks. A
restored SQLite database takes the live database's mode (and owner, when run as root), so a restore
never leaves the records world-readable.

A restore decrypts to a scratch file, checks it (SQLite `PRAGMA integrity_check`, and the audit
chain verified inside the copy) and only then replaces the database. The header's audit head is
also the external record of the chain's end: a trail cut short since the backup shows up as fewer
events than the backup holds.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import struct
import subprocess  # nosec B404 - runs pg_dump/pg_restore with an argument list, never a shell
import tempfile
from pathlib import Path

import nacl.exceptions
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_ABYTES as ABYTES,
    crypto_secretstream_xchacha20poly1305_HEADERBYTES as STREAM_HEADER_BYTES,
    crypto_secretstream_xchacha20poly1305_init_pull as init_pull,
    crypto_secretstream_xchacha20poly1305_init_push as init_push,
    crypto_secretstream_xchacha20poly1305_pull as pull,
    crypto_secretstream_xchacha20poly1305_push as push,
    crypto_secretstream_xchacha20poly1305_state as stream_state,
    crypto_secretstream_xchacha20poly1305_TAG_FINAL as TAG_FINAL,
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE as TAG_MESSAGE,
)
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 2
TITLE = b"HARBOUR-BACKUP "
MAGIC = TITLE + str(FORMAT).encode() + b"\n"
CHUNK = 4 * 1024 * 1024


class BackupError(Exception):
    pass


def backup_key() -> bytes:
    raw = os.environ.get("HARBOUR_BACKUP_KEY", "")
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise BackupError("Set HARBOUR_BACKUP_KEY to 64 hexadecimal characters (32 random bytes), kept apart "
                          "from the backups, e.g. python -c 'import secrets;print(secrets.token_hex(32))'.")
    return key


def _vendor():
    return connections["default"].vendor


def _audit_head(alias="default"):
    from audit.models import AuditEvent

    last = AuditEvent.objects.using(alias).order_by("-seq").values_list("seq", "mac").first()
    return {"audit_events": last[0] if last else 0, "audit_head": last[1] if last else ""}


def _private(path: Path):
    """Open `path` for writing, readable and writable by this account only (0600), whatever the umask. A file
    left over (a crash) is emptied and made private too: opening an existing file keeps its mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _encrypt(plain: Path, out: Path, header: dict, key: bytes):
    """Stream `plain` into `out` through secretstream, one CHUNK at a time; the last chunk is tagged final."""
    head = json.dumps(header, sort_keys=True).encode() + b"\n"
    state, size, sent = stream_state(), plain.stat().st_size, 0  # `plain` is this backup's own private copy
    with plain.open("rb") as src, _private(out) as dst:
        dst.write(MAGIC + head + init_push(state, key))
        while True:
            data = src.read(CHUNK)
            if not data and sent < size:
                raise BackupError("The copy of the database shrank while it was being encrypted; run the backup again.")
            sent += len(data)
            final = sent >= size
            sealed = push(state, data, MAGIC + head, TAG_FINAL if final else TAG_MESSAGE)
            dst.write(struct.pack(">I", len(sealed)))
            dst.write(sealed)
            if final:
                break


def _read_magic(f):
    """Check the first line of an open backup file, naming an older or newer format plainly."""
    first = f.readline(64)
    if first == MAGIC:
        return
    version = first[len(TITLE):].strip()
    if not first.startswith(TITLE) or not version.isdigit():
        raise BackupError("This is not a Harbour backup file.")
    if int(version) < FORMAT:
        raise BackupError(
            f"This backup is in format {int(version)}, made by an earlier release of Harbour. This release reads "
            f"format {FORMAT} only (libsodium's secretstream), so nothing has been changed. Restore this backup "
            f"with the release that made it, then make a new backup with this release (docs/keys.md, Backups).")
    raise BackupError(f"This backup is in format {int(version)}, made by a newer release of Harbour. Restore it "
                      f"with that release, or a later one. Nothing has been changed.")


def read_header(path: Path) -> dict:
    with Path(path).open("rb") as f:
        _read_magic(f)
        try:
            return json.loads(f.readline())
        except ValueError:
            raise BackupError("The backup's header is damaged.") from None


def _decrypt(path: Path, out: Path, key: bytes) -> dict:
    """Stream the backup at `path` into `out`, checking every chunk. BackupError unless every chunk opens, in
    order, and the last one read is the final one with nothing after it."""
    state = stream_state()
    with Path(path).open("rb") as src, _private(out) as dst:
        _read_magic(src)
        head = src.readline()
        stream_header = src.read(STREAM_HEADER_BYTES)
        if len(stream_header) < STREAM_HEADER_BYTES:
            raise BackupError("The backup file is cut short.")
        init_pull(state, stream_header, key)
        tag = None
        while tag != TAG_FINAL:
            raw = src.read(4)
            if len(raw) < 4:
                raise BackupError("The backup file is cut short.")
            size = struct.unpack(">I", raw)[0]
            if not ABYTES <= size <= CHUNK + ABYTES:
                raise BackupError("The backup cannot be decrypted: the file was changed or is damaged.")
            sealed = src.read(size)
            if len(sealed) < size:
                raise BackupError("The backup file is cut short.")
            try:
                data, tag = pull(state, sealed, MAGIC + head)
            except nacl.exceptions.CryptoError:
                raise BackupError("The backup cannot be decrypted: wrong key, or the file was changed.") from None
            dst.write(data)
        if src.read(1):
            raise BackupError("The backup file has data after its end.")
    try:
        return json.loads(head)
    except ValueError:
        raise BackupError("The backup's header is damaged.") from None


def backup(out: Path) -> dict:
    """Write an encrypted backup of the whole database to `out`; return its header."""
    key = backup_key()
    out = Path(out)
    vendor = _vendor()
    header = {"format": FORMAT, "vendor": vendor, "created_at": timezone.now().isoformat(), **_audit_head()}
    with tempfile.TemporaryDirectory(prefix="harbour-backup-") as scratch:
        plain = Path(scratch) / "plain"
        _private(plain).close()  # SQLite and pg_dump write into it and keep its mode
        if vendor == "sqlite":
            src = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            dst = sqlite3.connect(plain)
            with dst:
                src.backup(dst)
            dst.close()
            src.close()
        elif vendor == "postgresql":
            db = settings.DATABASES["default"]
            env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
            # Waived (B603, B607): a fixed argument list from settings and no shell; the PostgreSQL client
            # tools are found on PATH as the operator installed them (their location differs by distribution).
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(plain),
                            "--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
                            "--username", db.get("USER") or "postgres", db["NAME"]], check=True, env=env,
                           capture_output=True)  # nosec B603 B607 - see above
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        header["bytes"] = plain.stat().st_size
        tmp_out = out.with_name(out.name + ".partial")
        _encrypt(plain, tmp_out, header, key)
        os.replace(tmp_out, out)
    _record_trail_head(header)
    return header


def _record_trail_head(header):
    """The audit trail's head in this backup's header, written outside the database too (audit/head.py)."""
    from audit import head

    head.write("backup", {"seq": header["audit_events"], "mac": header["audit_head"]})


def _check_sqlite_copy(path: Path) -> tuple[int, object]:
    """integrity_check, then the audit chain verified inside the copy."""
    conn = sqlite3.connect(path)
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    if result != "ok":
        raise BackupError(f"The restored copy fails SQLite's integrity check: {result}")
    alias = "harbour_restore_check"
    connections.settings[alias] = {**connections.settings["default"], "NAME": str(path)}
    try:
        from audit import chain
        from audit.log import CHAIN_FIELDS
        from audit.models import AuditEvent

        rows = AuditEvent.objects.using(alias).order_by("seq").values_list(*CHAIN_FIELDS).iterator(chunk_size=5000)
        return chain.verify(rows)
    finally:
        if alias in connections:
            connections[alias].close()
            del connections[alias]
        connections.settings.pop(alias, None)


def _take_mode_of(live: Path, copy: Path):
    """Give the checked copy the live database's mode, and its owner and group when run as root (the server's
    account must still open it); with no live database it stays 0600. SQLite gives its -wal and -shm files the
    database's mode."""
    if not live.exists():
        return
    st = live.stat()
    if os.geteuid() == 0:
        os.chown(copy, st.st_uid, st.st_gid)
    os.chmod(copy, stat.S_IMODE(st.st_mode))


def restore(path: Path, *, replace_existing=False) -> dict:
    """Check a backup and, only if it is sound, put it in place of the database."""
    key = backup_key()
    header = read_header(path)
    vendor = _vendor()
    if header.get("vendor") != vendor:
        raise BackupError(f"This backup is of a {header.get('vendor')} database; this Harbour uses {vendor}.")
    if vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        if target.exists() and not replace_existing:
            raise BackupError(f"{target} exists. Pass --replace to put the backup in its place.")
        scratch = target.with_name(target.name + ".restoring")
        try:
            _decrypt(path, scratch, key)
            count, problem = _check_sqlite_copy(scratch)
            if problem:
                raise BackupError(f"The audit trail in the backup is broken at event {problem[0]}: {problem[1]}")
            if count != header["audit_events"]:
                raise BackupError("The backup's audit trail does not end where its header says.")
            _take_mode_of(target, scratch)
            connections["default"].close()
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            os.replace(scratch, target)
        finally:
            scratch.unlink(missing_ok=True)
        return header | {"verified_events": count}
    if vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            if cursor.fetchone()[0]:
                raise BackupError("Restore PostgreSQL into a new, empty database: point DATABASE_URL at it.")
        db = settings.DATABASES["default"]
        with tempfile.TemporaryDirectory(prefix="harbour-restore-") as scratch:
            plain = Path(scratch) / "plain"
            _decrypt(path, plain, key)
            env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
            subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", db["NAME"],
                            "--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432),
                            "--username", db.get("USER") or "postgres", str(plain)], check=True, env=env,
                           capture_output=True)  # nosec B603 B607 - see above
        from audit.log import verify_trail

        count, problem = verify_trail()
        if problem or count != header["audit_events"]:
            raise BackupError("The restored database's audit trail does not verify; do not use it.")
        return header | {"verified_events": count}
    raise BackupError(f"Restores support SQLite and PostgreSQL, not {vendor}.")


def rotate(folder, keep: int):
    """Write a new backup, harbour-<UTC date and time>.backup, in `folder`, then delete all but the newest `keep`
    of its kind there (0: keep all). Only a backup written in full is counted: a `.partial` left by a crash is
    neither kept nor counted. Return (the new file, its header, the files deleted)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S.%fZ")
    out = folder / f"harbour-{stamp}.backup"
    header = backup(out)
    removed = []
    if keep:
        backups = sorted(folder.glob("harbour-*Z.backup"))  # the name sorts by time
        for old in backups[:-keep]:
            old.unlink(missing_ok=True)
            removed.append(old)
    return out, header, removed

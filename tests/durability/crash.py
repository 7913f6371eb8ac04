"""Crash durability: kill -9 the web server again and again while concerns are submitted.

Rule A1 and the brief's "nothing lost": a concern the server acknowledged (redirected to its
"submitted" page) must survive any crash. The harness:

1. builds a fresh SQLite database (WAL, synchronous=FULL, as in production's embedded mode)
   with one school, one pupil and one member of staff;
2. starts gunicorn (2 sync workers) in its own process group, signs in over HTTP, and submits
   concerns, each with its own idempotency key, recording every acknowledgement;
3. from another thread, at random moments, kills the whole process group with SIGKILL, then
   starts it again; a submission cut off by a kill is retried with the same key;
4. at the end counts: acknowledged, lost (acknowledged but not in the database), duplicated
   (one key stored twice), `PRAGMA integrity_check`, and `manage.py verify_audit`.

    python -m tests.durability.crash --kills 50

`make test` runs a short form (tests/durability/test_crash.py); `make crash` the full one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "crash test passphrase for a fictional teacher"

SETUP = f"""
from accounts.models import Membership, User
from schools.models import Pupil, School, Trust
import datetime
trust = Trust.objects.create(name="Crash Test Trust", slug="crash")
school = School.objects.create(trust=trust, name="Crash Test School", slug="crash-school", urn="999001",
                               phase="secondary")
pupil = Pupil.objects.create(school=school, upn="A999000000001", legal_first_name="Fictional",
                             legal_last_name="Pupil", date_of_birth=datetime.date(2011, 5, 1), sex="F",
                             year_group=10)
user = User.objects.create_user("teacher@crash.example", "Fictional Teacher", {PASSWORD!r})
Membership.objects.create(user=user, school=school, role="staff")
print(pupil.id)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(workdir: Path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SECRET_KEY="crash-test-secret-key-not-for-production-0123456789",
               HARBOUR_AUDIT_KEY="crash-test-audit-key-0123456789abcdef0123456789",
               HARBOUR_TRANSFER_KEY="c7a5" * 16,
               HARBOUR_SQLITE_PATH=str(workdir / "harbour.sqlite3"), DEBUG="0", HARBOUR_HTTPS="0",
               HARBOUR_AUDIT_HEAD_FILE=str(workdir / "audit-head.log"),
               HARBOUR_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
               EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", PYTHONUNBUFFERED="1")
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True, **kwargs)


class Server:
    """gunicorn with 2 workers on 127.0.0.1 (also used by bench/run.py, with its own WSGI app)."""

    def __init__(self, env, port, log, app="harbour.wsgi", start_within=30, options=("--log-level", "error")):
        self.env, self.port, self.log, self.proc = env, port, log, None
        self.app, self.start_within, self.options = app, start_within, list(options)

    def start(self):
        self.proc = subprocess.Popen(
            [GUNICORN, self.app, "--bind", f"127.0.0.1:{self.port}", "--workers", "2", *self.options],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + self.start_within
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz/web", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start; see the log")

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)


class Reporter:
    """One member of staff submitting concerns through the real page, as a browser would."""

    def __init__(self, base, pupil_id):
        self.base, self.pupil_id = base, pupil_id
        self.session = requests.Session()

    def sign_in(self):
        self.session.cookies.clear()
        self.session.get(f"{self.base}/account/sign-in/", timeout=5)
        response = self.session.post(f"{self.base}/account/sign-in/", timeout=5, allow_redirects=False, data={
            "username": "teacher@crash.example", "password": PASSWORD,
            "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}, headers={"Referer": self.base})
        if response.status_code != 302:
            raise RuntimeError(f"sign-in failed: {response.status_code}")

    def submit(self, key, n):
        """The concern's id if the server acknowledged it, else None."""
        response = self.session.post(f"{self.base}/concerns/report/", timeout=10, allow_redirects=False, data={
            "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""), "idempotency_key": key,
            "incident_type": "cyberbullying", "account": f"Crash test concern {n}: mocked in a group chat.",
            "dsl_told_in_person": "no", "child": str(self.pupil_id), f"role_{self.pupil_id}": "harmed",
        }, headers={"Referer": self.base})
        match = re.search(r"/concerns/my-reports/(\d+)/$", response.headers.get("Location", ""))
        if response.status_code == 302 and match:
            return int(match.group(1))
        if response.status_code == 302 and "/account/sign-in/" in response.headers.get("Location", ""):
            raise PermissionError("signed out")
        raise RuntimeError(f"unexpected answer {response.status_code}")


def run(kills=5, workdir=None, seed=None, min_gap=0.2, max_gap=1.2):
    """Run the harness; return its figures as a dict."""
    rng = random.Random(seed)
    workdir = Path(workdir or tempfile.mkdtemp(prefix="harbour-crash-"))
    env = environment(workdir)
    manage(env, "migrate", "--noinput", "-v0")
    pupil_id = int(manage(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    port = free_port()
    log = open(workdir / "server.log", "ab")
    server = Server(env, port, log)
    reporter = Reporter(f"http://127.0.0.1:{port}", pupil_id)
    acknowledged: dict[str, int] = {}
    attempts = retried = 0
    started = time.monotonic()
    try:
        server.start()
        reporter.sign_in()
        done = 0
        n = 0
        while done < kills:
            stop = threading.Event()
            gap = rng.uniform(min_gap, max_gap)
            killer = threading.Timer(gap, lambda: (server.kill(), stop.set()))
            killer.start()
            pending = None
            while not stop.is_set():
                key = pending or str(uuid.uuid4())
                n += 1
                attempts += 1
                try:
                    concern_id = reporter.submit(key, n)
                    acknowledged[key] = concern_id
                    pending = None
                except PermissionError:
                    reporter.sign_in()
                    pending = key
                except (requests.RequestException, RuntimeError):
                    # Cut off by the kill: the browser would show an error; the page keeps the key,
                    # so the person's retry carries the same one.
                    pending = key
            killer.join()
            done += 1
            server.start()
            if pending:  # the retry after the crash: stored once, whatever happened before
                retried += 1
                try:
                    acknowledged[pending] = reporter.submit(pending, n)
                except PermissionError:
                    reporter.sign_in()
                    acknowledged[pending] = reporter.submit(pending, n)
    finally:
        server.stop()
        log.close()

    db = sqlite3.connect(workdir / "harbour.sqlite3")
    stored = {}
    duplicated = 0
    for key, count, first_id in db.execute(
            "SELECT idempotency_key, COUNT(*), MIN(id) FROM concerns_concern GROUP BY idempotency_key"):
        canonical = str(uuid.UUID(key.replace("-", ""))) if isinstance(key, str) else str(uuid.UUID(bytes=key))
        stored[canonical] = first_id
        duplicated += count - 1
    lost = [k for k in acknowledged if k not in stored]
    wrong_id = [k for k, cid in acknowledged.items() if k in stored and stored[k] != cid]
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    verify = subprocess.run([PYTHON, "manage.py", "verify_audit"], cwd=ROOT, env=env, capture_output=True, text=True)
    return {
        "kills": kills,
        "submissions": attempts,
        "acknowledged": len(acknowledged),
        "retried_after_crash": retried,
        "stored": len(stored),
        "lost": len(lost),
        "duplicated": duplicated,
        "acknowledged_with_another_id": len(wrong_id),
        "integrity_check": integrity,
        "verify_audit": "ok" if verify.returncode == 0 else verify.stdout + verify.stderr,
        "seconds": round(time.monotonic() - started, 1),
        "workdir": str(workdir),
    }


def summary(figures):
    return (f"{figures['kills']} kills (SIGKILL), {figures['acknowledged']} acknowledged, "
            f"{figures['lost']} lost, {figures['duplicated']} duplicated, "
            f"{figures['retried_after_crash']} retried after a crash, integrity_check {figures['integrity_check']}, "
            f"verify_audit {figures['verify_audit']}, {figures['seconds']} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    figures = run(kills=args.kills, seed=args.seed)
    print(json.dumps(figures, indent=2))
    print("crash durability:", summary(figures))
    ok = (figures["lost"] == 0 and figures["duplicated"] == 0 and figures["integrity_check"] == "ok"
          and figures["verify_audit"] == "ok" and figures["acknowledged_with_another_id"] == 0)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

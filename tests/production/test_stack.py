"""The production stack, tested as docs/deploy.md sets it up (issue 21.3), in the PostgreSQL run of `make test`.

On this machine: a new database in the test run's PostgreSQL, the production settings (DEBUG off, HTTPS on, behind
a proxy: deploy/harbour.env.example), gunicorn and the worker as the systemd units start them, Caddy terminating
TLS on 127.0.0.1 with its internal certificate authority, and an SMTP server standing in for the trust's relay.
Then, over HTTPS as people would: `create_trust` → `add_school` → the administrator's emailed link → a password →
the second factor → staff and pupils imported → the DSL and a teacher invited → the teacher reports a concern
(rule A1: the DSL is told at once) → the DSL's notice and email → `backup` → `restore` into a new database, which
verifies the audit trail (rule H2).

Then a second web server and worker against the same PostgreSQL, Caddy sharing requests between the two: each
concern reported through either reaches the DSL once; each scheduled job started twice at once, as two servers'
timers would, runs once; a session made on one server is honoured by the other and no upload touches a disk.
`/healthz` is checked with the worker up and stopped. Everything started here is stopped by the module's
finalisers; ports are chosen at run time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.figures import report
from tests.production.stack import (
    PYTHON, ROOT, Browser, Caddy, Mailbox, Process, env_template, exec_start, free_port, new_secrets, timer_jobs,
    totp_now, wait_for,
)

URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.production,
    pytest.mark.postgresql,  # it reaches the PostgreSQL server itself: always in that run (tests/runs.py)
    pytest.mark.skipif(not URL.startswith("postgres"), reason="the production stack runs in the PostgreSQL run"),
]

PASSWORD = {"admin": "a long passphrase the trust administrator chose",
            "dsl": "the designated safeguarding lead's own passphrase",
            "teacher": "a teacher's passphrase that is long enough"}
ADMIN = "it@brightwater.example"
DSL = "nadia.newby@oakfield.example"
TEACHER = "tom.teacher@oakfield.example"
STAFF_CSV = ("Email,Forename,Surname,Role,Job Title\r\n"
             f"{DSL},Nadia,Newby,Designated Safeguarding Lead,Assistant Head\r\n"
             f"{TEACHER},Tom,Teacher,Teacher,Class teacher\r\n")
PUPILS_CSV = ("UPN,Legal Surname,Legal Forename,DOB,Gender,Year\r\n"
              "B100000000001,Ashdown,Amelia,03/09/2014,F,Year 7\r\n"
              "B100000000002,Brook,Benjamin,21/01/2014,Male,7\r\n")
FIGURES: dict[str, str] = {}
# A request straight to a web server, as Caddy sends it: HTTPS at the proxy (HARBOUR_BEHIND_PROXY), else the
# production settings redirect it to HTTPS.
PROXIED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


# --- The database server and the pieces every server shares -----------------------------------------------------

def _server():
    import psycopg

    parts = urlsplit(URL)
    conn = psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                           password=parts.password or "", dbname="postgres", autocommit=True)
    return conn, parts


class Databases:
    """New databases in the test run's PostgreSQL server, owned by a role of their own that is neither a superuser
    nor able to create roles (docs/deploy.md, "PostgreSQL"); dropped at the end, the role too."""

    def __init__(self):
        self.conn, self.parts = _server()
        self.names = []
        self.role, self.password = f"harbour_stack_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        # As the database administrator does once: the audit trail's maintenance role, and the application's.
        self.conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                          "'harbour_audit_maintenance') THEN CREATE ROLE harbour_audit_maintenance NOLOGIN; END IF; "
                          "END $$")
        self.conn.execute(f"CREATE ROLE {self.role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                          f"PASSWORD '{self.password}'")

    def create(self, label):
        name = f"{self.role}_{label}"
        self.conn.execute(f'CREATE DATABASE "{name}" OWNER {self.role}')
        self.names.append(name)
        return name

    def url(self, name):
        netloc = f"{self.role}:{self.password}@{self.parts.hostname}:{self.parts.port or 5432}"
        return urlunsplit(self.parts._replace(netloc=netloc, path=f"/{name}"))

    def query(self, name, sql, *params):
        import psycopg

        p = self.parts
        with psycopg.connect(host=p.hostname, port=p.port or 5432, user=p.username or "postgres",
                             password=p.password or "", dbname=name, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def drop_all(self):
        for name in self.names:
            self.conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.conn.execute(f"DROP ROLE IF EXISTS {self.role}")
        self.conn.close()


def manage(env, *args, timeout=300):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


class Server:
    """One application server: its web server (gunicorn) and worker, with its own private folder (its TMPDIR,
    audit head and backups), as a second machine would have."""

    def __init__(self, name, env, folder):
        self.name, self.folder = name, folder
        for sub in ("tmp", "backups"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        self.env = env | {"TMPDIR": str(folder / "tmp"), "HARBOUR_AUDIT_HEAD_FILE": str(folder / "audit-head.log"),
                          "HARBOUR_BACKUP_DIR": str(folder / "backups")}
        self.port = free_port()
        self.web = Process(f"{name}-web", exec_start("harbour-web.service", **{
            "127.0.0.1:8000": f"127.0.0.1:{self.port}", "3": "2"}), self.env, folder)
        self.worker = Process(f"{name}-worker", exec_start("harbour-worker.service"), self.env, folder)

    def start(self):
        self.web.start()
        self.worker.start()
        import requests

        def up():
            if not self.web.running():
                raise AssertionError(f"{self.name}'s gunicorn stopped:\n" + self.web.output()[-3000:])
            return requests.get(f"http://127.0.0.1:{self.port}/healthz", headers=PROXIED,
                                timeout=2).status_code in (200, 503)
        wait_for(f"{self.name}'s web server", up, within=60)
        return self

    def terminate(self):
        self.worker.terminate()
        self.web.terminate()

    def stop(self):
        self.worker.stop()
        self.web.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The first server, set up from nothing as docs/deploy.md says; stopped and dropped at the end."""
    if not shutil.which("caddy"):
        pytest.fail("Caddy is not installed: scripts/test.sh installs Debian's caddy package")
    folder = tmp_path_factory.mktemp("stack")
    started = time.monotonic()
    dbs, mail, running = Databases(), Mailbox().start(), []
    try:
        name = dbs.create("live")
        env = {"PATH": os.environ["PATH"], "HOME": str(folder), "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1",
               **env_template(), **new_secrets(),
               "DATABASE_URL": dbs.url(name), "ALLOWED_HOSTS": "127.0.0.1",
               "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail.port), "EMAIL_USE_TLS": "0",
               "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
               "HARBOUR_STATIC_ROOT": str(folder / "static"),
               # Servers here make no PDF: they skip loading WeasyPrint at start (a 3.5 s import each).
               "HARBOUR_PDF_WARM_UP": "0"}
        caddy = Caddy("caddy-one", folder / "caddy-one")
        env["HARBOUR_SITE_URL"] = env["CSRF_TRUSTED_ORIGINS"] = caddy.base  # the address people use
        a = Server("server-a", env, folder / "server-a")

        # migrate, collectstatic and the deployment checks, side by side (docs/deploy.md, "First start").
        steps = [subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=a.env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
                 for args in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"],
                              ["check", "--deploy", "--fail-level", "WARNING"])]
        for step in steps:
            out = step.communicate(timeout=300)[0]
            assert step.returncode == 0, f"{step.args[2:]}:\n{out[-3000:]}"
        FIGURES["setup"] = f"{time.monotonic() - started:.0f} s"
        running += [a, caddy]
        a.start()
        caddy.start(upstreams=[a.port])
        yield {"env": a.env, "a": a, "caddy": caddy, "mail": mail, "dbs": dbs, "db": name, "folder": folder,
               "running": running, "started": started}
    finally:
        for process in running:  # all asked at once, then each waited for
            process.terminate()
        for process in reversed(running):
            process.stop()
        mail.stop()
        dbs.drop_all()


def _sign_in(browser, email, password):
    browser.get("/account/sign-in/")
    response = browser.post("/account/sign-in/", {"username": email, "password": password})
    assert response.status_code == 302, f"sign-in of {email}: {response.status_code}"
    return response


def _choose_password(browser, link, password):
    form = browser.get(link)  # the token moves into the session; the form is at a URL without it
    assert form.status_code == 200 and "new_password1" in form.text, form.text[:500]
    done = browser.post(form.url, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302 and "welcome=1" in done.headers["Location"], done.text[:2000]


def _enrol_second_factor(browser):
    page = browser.get("/account/two-factor/set-up/")
    key = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    code, step = totp_now(key)
    done = browser.post("/account/two-factor/set-up/", {"code": code, "next": "/"})
    assert done.status_code == 302 and "recovery-codes" in done.headers["Location"], done.text[:2000]
    return key, step


def _report(browser, pupil_id, n):
    response = browser.post("/concerns/report/", {
        "idempotency_key": str(uuid.uuid4()), "incident_type": "cyberbullying",
        "account": f"Smoke test concern {n}: unkind messages in a group chat.", "dsl_told_in_person": "no",
        "child": str(pupil_id), f"role_{pupil_id}": "harmed"})
    match = re.search(r"/concerns/my-reports/(\d+)/$", response.headers.get("Location", ""))
    assert response.status_code == 302 and match, f"report {n}: {response.status_code} {response.text[:1500]}"
    return int(match.group(1))


@pytest.fixture(scope="module")
def first_dsl(stack):
    """create_trust → add_school → the administrator's link → password → second factor → imports → invitations →
    the DSL signed in with their second factor, and the teacher signed in."""
    env, mail, caddy, dbs, db = stack["env"], stack["mail"], stack["caddy"], stack["dbs"], stack["db"]
    out = manage(env, "create_trust", "Brightwater Learning Trust", "--admin", ADMIN)
    slug = re.search(r"Trust slug: (\S+)", out).group(1)
    manage(env, "add_school", slug, "Oakfield Primary School", "--urn", "123456", "--phase", "primary")

    admin = Browser(caddy.base, caddy.root_cert)
    _choose_password(admin, mail.link_for(ADMIN), PASSWORD["admin"])
    _sign_in(admin, ADMIN, PASSWORD["admin"])
    _enrol_second_factor(admin)
    for name, text in (("pupils.csv", PUPILS_CSV), ("staff.csv", STAFF_CSV)):
        page = admin.post("/imports/", {"full": "no"}, files={"file": (name, text.encode(), "text/csv")})
        assert page.status_code == 200 and "Imported" in page.text, page.text[:3000]
    people = admin.get("/account/people/")
    assert DSL in people.text or "Nadia Newby" in people.text
    ids = dict(dbs.query(db, "SELECT email, id FROM accounts_user WHERE email IN (%s, %s)", DSL, TEACHER))
    for email in (DSL, TEACHER):
        sent = admin.post(f"/account/people/{ids[email]}/invite/")
        assert sent.status_code == 302, sent.text[:1500]

    dsl, teacher = Browser(caddy.base, caddy.root_cert), Browser(caddy.base, caddy.root_cert)
    _choose_password(dsl, mail.link_for(DSL), PASSWORD["dsl"])
    _sign_in(dsl, DSL, PASSWORD["dsl"])
    dsl_key, _ = _enrol_second_factor(dsl)
    home = dsl.get("/")
    assert home.status_code == 200 and home.url.rstrip("/") == caddy.base, home.url
    _choose_password(teacher, mail.link_for(TEACHER), PASSWORD["teacher"])
    _sign_in(teacher, TEACHER, PASSWORD["teacher"])
    pupil_id = dbs.query(db, "SELECT id FROM schools_pupil WHERE upn = %s", "B100000000001")[0][0]
    FIGURES["first DSL"] = f"{time.monotonic() - stack['started']:.0f} s"
    return {"admin": admin, "dsl": dsl, "teacher": teacher, "pupil_id": pupil_id, "dsl_id": ids[DSL]}


def test_r_s1_the_first_dsl_signs_in_with_a_second_factor_over_tls_from_a_bare_database(stack, first_dsl):
    caddy = stack["caddy"]
    home = first_dsl["dsl"].get("/")
    assert home.status_code == 200 and "Sign out" in home.text
    assert home.url.startswith("https://127.0.0.1:")
    # Production settings: HSTS and the secure cookies are set; plain HTTP to Caddy's HTTPS port is refused.
    assert "max-age=63072000" in home.headers["Strict-Transport-Security"]
    cookie = next(c for c in first_dsl["dsl"].session.cookies if c.name == "harbour_session")
    assert cookie.secure
    assert "Server" not in home.headers or "Caddy" not in home.headers["Server"]
    static = re.search(r'href="(/static/[^"]+\.css)"', home.text).group(1)
    assert first_dsl["dsl"].get(static).status_code == 200, "collectstatic's files are served"
    # Issue 26: through Caddy, every stylesheet and script has a hashed name, is sent compressed (whitenoise's copies
    # made at collectstatic; Caddy does not compress it again) and may be cached for a year.
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', home.text)
    assert len(assets) >= 4
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), asset
        for encoding in ("br", "gzip"):
            got = first_dsl["dsl"].get(asset, headers={"Accept-Encoding": encoding}, stream=True)
            assert got.status_code == 200 and got.headers["Content-Encoding"] == encoding, (asset, encoding)
            assert "immutable" in got.headers["Cache-Control"], asset
            assert int(re.search(r"max-age=(\d+)", got.headers["Cache-Control"]).group(1)) >= 365 * 24 * 3600
            got.close()
    FIGURES["tls"] = "TLS ok" if caddy.root_cert.exists() else "TLS ?"


def test_r_a1_a_teachers_report_over_https_reaches_the_dsl_at_once(stack, first_dsl):
    dsl, teacher, mail = first_dsl["dsl"], first_dsl["teacher"], stack["mail"]
    started = time.monotonic()
    concern = _report(teacher, first_dsl["pupil_id"], 1)
    reference = f"C{concern:06d}"
    wait_for("the DSL's notice", lambda: reference in dsl.get("/notifications/").text, within=20, every=0.05)
    FIGURES["notice"] = f"{time.monotonic() - started:.1f} s"
    wait_for("the DSL's email, sent by the worker", lambda: mail.to(DSL, f"New concern {reference}"), within=30,
             every=0.1)
    FIGURES["email"] = f"{time.monotonic() - started:.1f} s"
    assert len(mail.to(DSL, f"New concern {reference}")) == 1
    assert "Amelia" not in mail.to(DSL, reference)[0] and "Ashdown" not in mail.to(DSL, reference)[0]


def test_r_h2_a_backup_restores_into_a_new_database_and_its_audit_trail_verifies(stack, first_dsl):
    env, dbs = stack["env"], stack["dbs"]
    path = stack["folder"] / "first.backup"
    manage(env, "backup", str(path))
    assert b"Oakfield" not in path.read_bytes()
    restored = dbs.create("restored")
    out = manage(env | {"DATABASE_URL": dbs.url(restored)}, "restore", str(path))
    assert "audit events verified" in out
    assert dbs.query(restored, "SELECT count(*) FROM concerns_concern")[0][0] == 1
    live_events = dbs.query(stack["db"], "SELECT count(*) FROM audit_auditevent")[0][0]
    assert dbs.query(restored, "SELECT count(*) FROM audit_auditevent")[0][0] <= live_events
    FIGURES["backup"] = "backup → restore verified"


def _health(base_url):
    import requests

    response = requests.get(f"{base_url}/healthz", headers=PROXIED, timeout=5)
    return response.status_code, response.json()


def test_healthz_answers_200_with_the_worker_up_and_503_with_it_stopped(stack, first_dsl):
    a = stack["a"]
    direct = f"http://127.0.0.1:{a.port}"
    status, body = wait_for("/healthz to see the worker", lambda: (lambda r: r if r[0] == 200 else None)(
        _health(direct)), within=30)
    assert body and "worker" in json.dumps(body)
    a.worker.stop()  # systemctl stop: SIGTERM, and the worker takes its heartbeat away as it stops
    status, body = _health(direct)
    assert status == 503, body
    assert "Amelia" not in json.dumps(body) and DSL not in json.dumps(body)
    a.worker.start()
    wait_for("/healthz to see the worker again", lambda: _health(direct)[0] == 200, within=30)
    FIGURES["healthz"] = "/healthz 200 → 503 → 200"


# --- Beyond one machine ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_servers(stack, first_dsl):
    """Server B beside A, both behind a Caddy that shares requests between them (docs/deploy.md, "More servers")."""
    a = stack["a"]
    b = Server("server-b", stack["env"], stack["folder"] / "server-b")
    stack["running"].append(b)
    b.start()
    # A new configuration of the same Caddy (as `systemctl reload caddy` would): the same certificate authority.
    caddy = Caddy("caddy-two", stack["folder"] / "caddy-two", data=stack["caddy"].data)
    stack["running"].append(caddy)
    caddy.start(upstreams=[a.port, b.port])
    return {"a": a, "b": b, "caddy": caddy}


def test_r_a1_each_concern_reported_through_either_server_reaches_the_dsl_once(stack, first_dsl, two_servers):
    caddy, mail, dbs, db = two_servers["caddy"], stack["mail"], stack["dbs"], stack["db"]
    teacher, dsl = first_dsl["teacher"], first_dsl["dsl"]
    teacher.base = dsl.base = caddy.base  # the same sessions, now through the Caddy in front of both
    before = {s: s.web.output().count("POST /concerns/report/") for s in (two_servers["a"], two_servers["b"])}
    concerns = [_report(teacher, first_dsl["pupil_id"], n) for n in range(2, 12)]

    def counted():  # gunicorn writes its access line just after the answer: wait for the last one
        counts = {s.name: s.web.output().count("POST /concerns/report/") - before[s] for s in before}
        return counts if sum(counts.values()) >= len(concerns) else None
    served = wait_for("the web servers' access log lines", counted, within=10)
    assert all(served.values()), f"Caddy shared the reports between both servers: {served}"
    references = [f"C{c:06d}" for c in concerns]
    wait_for("an email to the DSL for each concern",
             lambda: all(mail.to(DSL, f"New concern {r}") for r in references), within=60, every=0.2)
    time.sleep(1.5)  # any duplicate from the other worker would come now
    emails = {r: len(mail.to(DSL, f"New concern {r}")) for r in references}
    notices = {r: dbs.query(db, "SELECT count(*) FROM notifications_notification WHERE user_id = %s AND "
                                "reference = %s", first_dsl["dsl_id"], r)[0][0] for r in references}
    assert set(emails.values()) == {1}, emails
    assert set(notices.values()) == {1}, notices
    page = dsl.get("/notifications/").text
    assert all(r in page for r in references)
    FIGURES["two servers"] = (f"{len(references)} concerns each reached the DSL once ({served['server-a']} through "
                              f"server A, {served['server-b']} through B)")


def test_each_scheduled_job_fired_by_two_servers_timers_at_once_runs_once(stack, first_dsl, two_servers):
    from harbour.management.commands.run_scheduled import JOBS

    a, b, dbs, db = two_servers["a"], two_servers["b"], stack["dbs"], stack["db"]
    jobs = sorted(set(timer_jobs().values()))
    assert jobs == sorted(JOBS), "every job has its timer in deploy/, and every timer a job"
    runs = {(job, server.name): subprocess.Popen(
        [PYTHON, "manage.py", "run_scheduled", job], cwd=ROOT, env=server.env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True) for job in jobs for server in (a, b)}
    outputs = {key: (proc.communicate(timeout=180)[0], proc.returncode) for key, proc in runs.items()}
    for key, (out, code) in outputs.items():
        assert code == 0, f"{key}: {out[-2000:]}"
    ran = {job: [server for (j, server), (out, _) in outputs.items() if j == job and "not run here" not in out]
           for job in jobs}
    assert {job: len(servers) for job, servers in ran.items()} == {job: 1 for job in jobs}, ran
    backups = list((a.folder / "backups").glob("harbour-*.backup")) + list((b.folder / "backups").glob("*.backup"))
    assert len(backups) == 1
    heads = [line for s in (a, b) if (s.folder / "audit-head.log").exists()
             for line in (s.folder / "audit-head.log").read_text().splitlines() if '"hourly"' in line]
    assert len(heads) == 1
    outcomes = dict(dbs.query(db, "SELECT name, last_outcome FROM lib_scheduledjob"))
    assert outcomes == {job: "ok" for job in jobs}
    FIGURES["jobs"] = f"{len(jobs)} jobs × 2 timers ran once each"


def test_nothing_a_server_keeps_on_its_own_disk_is_needed_by_the_other(stack, first_dsl, two_servers):
    """Sessions are in the database: a session made through server A alone opens pages on server B. No upload
    (the imports above) was ever written to a server's disk."""
    import requests

    a, b = two_servers["a"], two_servers["b"]
    cookies = {c.name: c.value for c in first_dsl["dsl"].session.cookies}
    host = urlsplit(stack["caddy"].base).netloc
    page = requests.get(f"http://127.0.0.1:{b.port}/notifications/", cookies=cookies, allow_redirects=False,
                        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1", "Host": host},
                        timeout=10)
    assert page.status_code == 200, page.status_code
    for server in (a, b):
        assert list((server.folder / "tmp").iterdir()) == [], f"{server.name} wrote temporary files"
    media = ROOT / "var" / "media"
    assert not media.exists() or not [p for p in media.rglob("*") if p.stat().st_mtime > time.time() - 600]


def test_no_log_of_the_stack_names_a_child_or_keeps_a_query_string(stack, first_dsl, two_servers):
    """Every line gunicorn, the workers and Caddy wrote in this run: no pupil's name, no query string, no cookie."""
    a, b = two_servers["a"], two_servers["b"]
    logs = {p.name: p.output() for p in (a.web, a.worker, b.web, b.worker, stack["caddy"], two_servers["caddy"])}
    assert sum(text.count("POST /concerns/report/") for text in logs.values()) >= 11  # the access logs are on
    caddy_lines = [json.loads(line) for line in logs["caddy-two"].splitlines() if line.startswith("{")]
    assert any(line.get("request", {}).get("uri") == "/concerns/report/" for line in caddy_lines)
    assert "welcome=1" not in logs["caddy-one"], "Caddy's access log keeps no query string"
    for name, text in logs.items():
        for word in ("Amelia", "Ashdown", "Benjamin", "harbour_session=", "csrftoken="):
            assert word not in text, f"{word} in {name}'s log"
        assert not re.search(r"(GET|POST) /\S*\?", text), f"a query string in {name}'s log"


def test_zz_the_production_stack_figure_line(stack, first_dsl, two_servers):
    """One line for the run's figures (tests/figures.py); the tests above assert, this one reports."""
    total = time.monotonic() - stack["started"]
    report("production stack", (
        f"{FIGURES.get('tls', 'TLS ?')}, first DSL signed in after {FIGURES.get('first DSL', '?')} (migrate, "
        f"collectstatic and checks {FIGURES.get('setup', '?')}), report → notice {FIGURES.get('notice', '?')}, "
        f"→ email via the worker {FIGURES.get('email', '?')}, {FIGURES.get('backup', 'backup → restore ?')}, "
        f"{FIGURES.get('healthz', '/healthz ?')}; two servers: {FIGURES.get('two servers', '?')}, "
        f"{FIGURES.get('jobs', 'jobs ?')}; {total:.0f} s in all"))
    assert FIGURES.keys() >= {"tls", "first DSL", "notice", "email", "backup", "two servers", "jobs"}

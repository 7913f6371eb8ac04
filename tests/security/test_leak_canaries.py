"""Issue 8.6: leak canaries. A child with a name found nowhere else and a narrative marked with a unique token
are planted; a day's work is done around them over HTTP (report, alert emails, the DSL's inbox and case, a note,
a decision, the other school's DSL and a stranger trying the case, a server error, the governors' report and
the training spreadsheet). The canaries may appear only on the pages of the people allowed to read the case:
never in a log line, an email, an in-app notice, an error page, a URL, or an export meant for others."""

import json
import logging
import os
import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cases import actions
from cases.tests.helpers import make_case
from notifications.models import Notification
from notifications.tasks import email_notifications
from tests.figures import report
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db
NAME = ("Zephyrine", "Quaxworthy")
NARRATIVE = "canary-7f3a9 the photo was sent on Tuesday night"
NOTE = "canary-b21e spoke with her aunt"


def canaries():
    full = " ".join(NAME)
    return [NAME[0], NAME[1], full, quote(full), "canary-7f3a9", "canary-b21e"]


@pytest.fixture
def logs():
    """Everything the configured log handlers write (the server's log), at every level."""
    import io

    root = logging.getLogger()
    consoles = [h for h in root.handlers if type(h) is logging.StreamHandler]
    assert consoles, "the console log handler of settings.LOGGING"
    stream, level = io.StringIO(), root.level
    previous = [h.setStream(stream) for h in consoles]
    root.setLevel(logging.DEBUG)
    yield stream
    root.setLevel(level)
    for handler, old in zip(consoles, previous):
        handler.setStream(old)


def urls_in(response):
    found = [response.get("Location", "")]
    found += re.findall(r'(?:href|action|hx-get|hx-post|src)="([^"]*)"', response.content.decode(errors="replace"))
    return found


def test_canaries_stay_where_they_belong(world, settings, logs, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    child = make_pupil(world.oakfield, *NAME, "C99900000777A")
    case = make_case(world, "sextortion", children=[(child, "pictured")], account=NARRATIVE)
    actions.add_note(user=world.diana, case=case, text=NOTE)
    checked = {"log lines": 0, "emails": 0, "notices": 0, "URLs": 0, "refusals and errors": 0, "exports": 0}
    leaks = []

    def look(where, text):
        found = [c for c in canaries() if c in text]
        if found:
            leaks.append((where, found, text[:200]))

    # The DSL's own pages may show the child: only the URLs on them are checked.
    dsl = Client(raise_request_exception=False)
    sign_in(dsl, world.diana)
    pages = [reverse("concerns:inbox"), reverse("cases:detail", args=[case.id]), reverse("cases:list"),
             reverse("schools:pupil_detail", args=[child.id]), reverse("home")]
    for url in pages:
        response = dsl.get(url)
        assert response.status_code == 200
        for link in urls_in(response):
            checked["URLs"] += 1
            look(f"a URL on {url}", link)
    assert NAME[1] in dsl.get(reverse("cases:detail", args=[case.id])).content.decode()  # the canary is there
    response = dsl.post(reverse("cases:note", args=[case.id]), {"text": NOTE + " again"})
    checked["URLs"] += 1
    look("the redirect after a note", response["Location"])
    response = dsl.post(reverse("cases:decision", args=[case.id]),
                        {"taken": "no", "choice": f"Not to call {NAME[0]}'s school", "reason": NOTE})
    look("the redirect after a decision", response["Location"])

    # Alert emails and in-app notices name no child and no detail (A1): the urgent ones emailed at once and the rest
    # in the digest, each as if still unread (a notice cleared before its email leaves is not emailed).
    Notification.objects.update(read_at=None)
    email_notifications.call(list(Notification.objects.filter(urgent=True).values_list("id", flat=True)))
    from notifications.digest import send_due_digests

    send_due_digests()
    for message in mail.outbox:
        checked["emails"] += 1
        look("an email", message.subject + message.body + "".join(a for a, _ in message.alternatives))
    for text in Notification.objects.values_list("text", flat=True):
        checked["notices"] += 1
        look("an in-app notice", text)

    # Refusals and errors: another school's DSL, a stranger, a server error.
    for user in (world.eve, world.tom, world.gina, None):
        other = Client(raise_request_exception=False)
        sign_in(other, user) if user else None
        for url in [reverse("cases:detail", args=[case.id]), reverse("schools:pupil_detail", args=[child.id]),
                    reverse("concerns:detail", args=[case.concerns.get().id])]:
            response = other.get(url)
            checked["refusals and errors"] += 1
            assert response.status_code in (302, 404)
            look(f"{url} refused to {user}", response.content.decode(errors="replace") + response.get("Location", ""))

    def broken(*args, **kwargs):
        raise RuntimeError(f"rendering failed for {NAME[0]} {NAME[1]}: {NARRATIVE}")

    monkeypatch.setattr("cases.views.page.render", broken)
    response = dsl.get(reverse("cases:detail", args=[case.id]))
    monkeypatch.undo()
    assert response.status_code == 500
    checked["refusals and errors"] += 1
    look("the server error page", response.content.decode(errors="replace"))

    # Exports for people who may not read the case.
    for user, url in [(world.gina, reverse("reports:governor")), (world.gina, reverse("reports:governor_pdf")),
                      (world.hana, reverse("reports:pack")), (world.diana, reverse("registers:training_csv"))]:
        client = Client()
        sign_in(client, user)
        response = client.get(url)
        assert response.status_code == 200, url
        checked["exports"] += 1
        body = response.content
        if url.endswith(".pdf"):
            body = _pdf_text(body)
        look(f"the export {url} for {user}", body.decode(errors="replace") if isinstance(body, bytes) else body)

    for line in logs.getvalue().splitlines():
        checked["log lines"] += 1
        look("a log line", line)
    assert "RuntimeError: [message withheld" in logs.getvalue()  # the error was logged, without its message
    report("leak canaries", ", ".join(f"{n} {k}" for k, n in checked.items()) + f" checked: leaks {len(leaks)}")
    assert leaks == [], leaks
    assert checked["emails"] and checked["log lines"]


def _pdf_text(data: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout


# -- Issue 17.3: a real server's access log, with the production settings -------------------------------------

SERVER_SETUP = """
import datetime, json
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import Membership, User
from schools.models import Pupil, School, Trust
trust = Trust.objects.create(name="Canary Trust", slug="canary")
school = School.objects.create(trust=trust, name="Canary School", slug="canary-school", urn="999002",
                               phase="secondary")
child = Pupil.objects.create(school=school, upn="C999000000777", legal_first_name=%(first)r,
                             legal_last_name=%(last)r, date_of_birth=datetime.date(2011, 5, 1), sex="F",
                             year_group=10)
teacher = User.objects.create_user("teacher@canary.example", "Fictional Teacher", %(password)r)
Membership.objects.create(user=teacher, school=school, role="staff")
dsl = User.objects.create_user("dsl@canary.example", "Fictional Lead", %(password)r)
Membership.objects.create(user=dsl, school=school, role="dsl")
device = TOTPDevice.objects.create(user=dsl, name="Phone", confirmed=True)
print(json.dumps({"child": child.id, "key": device.key}))
"""


class Browser:
    """What a browser would do over HTTP: keep cookies, post forms with their CSRF token, follow redirects, and
    remember every address it was sent to."""

    def __init__(self, base):
        import requests

        self.base, self.session, self.addresses, self.requests = base, requests.Session(), [], 0

    def _seen(self, response):
        self.requests += 1 + len(response.history)
        self.addresses += [r.url for r in response.history] + [response.url]
        self.addresses += [r.headers.get("Location", "") for r in response.history]
        return response

    def get(self, path):
        return self._seen(self.session.get(self.base + path, timeout=20))

    def post(self, path, data, token_from=None, **headers):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(token_from or path).text).group(1)
        return self._seen(self.session.post(self.base + path, data={**data, "csrfmiddlewaretoken": token},
                                            headers={"Referer": self.base + (token_from or path), **headers},
                                            timeout=60))

    def sign_in(self, email, password, key=None):
        response = self.post("/account/sign-in/", {"username": email, "password": password})
        if key:
            from django_otp.oath import TOTP

            response = self.post("/account/two-factor/check/", {"code": f"{TOTP(bytes.fromhex(key)).token():06d}"})
        assert response.status_code == 200 and "/account/" not in response.url, response.url


@pytest.mark.sqlite_run
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run")
def test_no_name_reaches_a_real_servers_access_log_or_an_address(tmp_path):
    """Issue 17.3, the README's "a child's name never reaches a URL or a log line": gunicorn with the production
    settings (DEBUG off, gunicorn.conf.py, its access log on), every search a child's name is typed into, with and
    without JavaScript, and someone typing the name into the address bar. The canary names appear in no log line
    and in no address the server sent the browser to."""
    from tests.durability import crash

    env = crash.environment(tmp_path)
    crash.manage(env, "migrate", "--noinput", "-v0")
    made = json.loads(crash.manage(env, "shell", "-c", SERVER_SETUP % {
        "first": NAME[0], "last": NAME[1], "password": crash.PASSWORD}).stdout.strip().splitlines()[-1])
    port = crash.free_port()
    log_path = tmp_path / "server.log"
    log = open(log_path, "ab")
    server = crash.Server(env, port, log, options=["--access-logfile", "-", "--log-level", "info"])
    base = f"http://127.0.0.1:{port}"
    full = " ".join(NAME)
    try:
        server.start()
        teacher = Browser(base)
        teacher.sign_in("teacher@canary.example", crash.PASSWORD)
        # The report page: search as you type (htmx), then the same without JavaScript, the autosave, and the report.
        found = teacher.post("/concerns/report/pupils/", {"child_search": NAME[1]}, token_from="/concerns/report/",
                             **{"HX-Request": "true"})
        assert f"Add {full}" in found.text
        typed = {"incident_type": "sextortion", "account": f"{NAME[0]} said: {NARRATIVE}", "dsl_told_in_person": "no",
                 "idempotency_key": "0b5e6200-0000-4000-8000-000000000777"}
        found = teacher.post("/concerns/report/", {**typed, "find_child": "yes", "child_search": full})
        assert f"Add {full}" in found.text and NARRATIVE in found.text
        teacher.post("/concerns/report/draft/", typed, token_from="/concerns/report/", **{"HX-Request": "true"})
        child = str(made["child"])
        sent = teacher.post("/concerns/report/", {**typed, "child": child, f"role_{child}": "pictured"})
        assert "Report sent" in sent.text
        # The lead's searches: pupils, chronologies, subject access, photo consent; then the child's record.
        lead = Browser(base)
        lead.sign_in("dsl@canary.example", crash.PASSWORD, made["key"])
        for path in ("/pupils/", "/cases/search/", "/records/subject-access/", "/registers/photo-consent/"):
            response = lead.post(path, {"q": NAME[1]})
            assert response.status_code == 200 and "?search=" in response.url, (path, response.url)
        assert full in lead.get(f"/pupils/{made['child']}/").text
        # Someone types the name into the address bar: the page ignores it, and the log does not keep it.
        typed_in = [lead.session.get(f"{base}/pupils/?q={quote(full)}", timeout=20),
                    lead.session.get(f"{base}/no-such-page/?name={NAME[1]}", timeout=20)]
        assert typed_in[0].status_code == 200 and typed_in[1].status_code == 404
    finally:
        server.stop()
        log.close()
    text = log_path.read_text(errors="replace")
    events = [json.loads(line) for line in text.splitlines() if line.startswith("{")]  # one JSON object a line
    access_lines = [e for e in events if e.get("logger") == "gunicorn.access"]
    requests_made = teacher.requests + lead.requests + len(typed_in)
    assert len(access_lines) >= requests_made, (len(access_lines), requests_made, text[-2000:])
    leaks = [(where, c) for where, body in [("the server's log", text)] +
             [(f"the address {a}", a) for a in teacher.addresses + lead.addresses]
             for c in canaries() + [quote(NAME[1]), quote(full).replace("%20", "+")] if c in body]
    report("leak canaries, real server", f"{requests_made} requests to gunicorn with the production settings, "
           f"{len(access_lines)} access-log lines and {len(text.splitlines())} log lines, "
           f"{len(teacher.addresses + lead.addresses)} addresses the browser was sent to: names found {len(leaks)}")
    assert leaks == [], leaks[:5]
    answered = {(e["method"], e["path"], e["status"]) for e in access_lines}  # the path only, never a query
    assert {("GET", "/pupils/", 200), ("GET", "/no-such-page/", 404)} <= answered
    assert all(e["request_id"] for e in access_lines)  # each ties to the audit trail

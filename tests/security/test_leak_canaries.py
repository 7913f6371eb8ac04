"""Issue 8.6: leak canaries. A child with a name found nowhere else and a narrative marked with a unique token
are planted; a day's work is done around them over HTTP (report, alert emails, the DSL's inbox and case, a note,
a decision, the other school's DSL and a stranger trying the case, a server error, the governors' report and
the training spreadsheet). The canaries may appear only on the pages of the people allowed to read the case:
never in a log line, an email, an in-app notice, an error page, a URL, or an export meant for others."""

import logging
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

    # Alert emails and in-app notices name no child and no detail (A1).
    ids = list(Notification.objects.values_list("id", flat=True))
    email_notifications.call(ids)
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

"""Issue 8.2 and H2: the audit trail is written in the same transaction as what it describes, and before a read
leaves the server. If the audit insert fails, the write is undone and the response carries no record data."""

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from api.actions import create_token
from audit.models import AuditEvent
from cases.models import Entry
from cases.tests.helpers import make_case
from tests.figures import report
from tests.people import sign_in

pytestmark = pytest.mark.django_db
NARRATIVE = "Canary narrative Q7Z about the photo"


@pytest.fixture
def broken_audit(monkeypatch):
    """From now on every audit insert fails, as it would if the table were full or locked."""

    def fail(self, *args, **kwargs):
        raise DatabaseError("the audit table refused the row")

    def arm():
        monkeypatch.setattr(AuditEvent, "save", fail)

    return arm


def _secrets(world, case):
    return [world.pupil.legal_first_name + " " + world.pupil.legal_last_name, case.reference, NARRATIVE]


def test_r_h2_a_read_whose_audit_fails_shows_nothing_of_the_record(world, broken_audit):
    case = make_case(world, account=NARRATIVE)
    client = Client(raise_request_exception=False)
    sign_in(client, world.diana)
    pages = [reverse("cases:detail", args=[case.id]), reverse("cases:decision", args=[case.id]),
             reverse("cases:list"), reverse("concerns:detail", args=[case.concerns.get().id]),
             reverse("schools:pupil_detail", args=[world.pupil.id])]
    assert all(client.get(url).status_code == 200 for url in pages)  # the pages work while the trail does
    broken_audit()
    served = []
    for url in pages:
        response = client.get(url)
        body = response.content.decode(errors="replace")
        served.append((url, response.status_code, [s for s in _secrets(world, case) if s in body]))
    assert served == [(url, 500, []) for url in pages]
    report("audit failure", f"{len(pages)} record pages read with the audit insert failing: all answered 500, "
           f"none showed a name, a reference or the narrative")


def test_r_h2_a_write_whose_audit_fails_is_undone(world, broken_audit):
    case = make_case(world)
    client = Client(raise_request_exception=False)
    sign_in(client, world.diana)
    notes, events = Entry.objects.count(), AuditEvent.objects.count()
    broken_audit()
    response = client.post(reverse("cases:note", args=[case.id]), {"text": "Spoke to the child's carer."})
    assert response.status_code == 500
    assert Entry.objects.count() == notes and AuditEvent.objects.count() == events


def test_r_h2_an_api_read_whose_audit_fails_shows_nothing(world, broken_audit):
    case = make_case(world)
    _, secret = create_token(user=world.adam, school=world.oakfield, name="Monitoring", scopes=["cases:read"])
    client = Client(raise_request_exception=False)
    broken_audit()
    response = client.get(f"/api/v1/cases/{case.id}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 500 and case.reference not in response.content.decode()

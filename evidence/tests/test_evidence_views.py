"""Evidence pages: access ladder for every view, and the forms keeping what was typed (C5, C7, D1)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.tests.helpers import make_case
from evidence import actions
from evidence.actions import DELETION_SCOPE
from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world)


def urls(world, case):
    device = actions.record_device(user=world.diana, case=case, owner="Quentin", make="Phone X",
                                   isolation="switched_off", holder="secure_place", where_or_who="Safe")
    deletion = actions.request_deletion(user=world.diana, case=case, pupil=world.pupil,
                                        deadline=timezone.now() + timedelta(days=1), scope=DELETION_SCOPE,
                                        illegal_reminder_given=True, consequence_explained=True)
    return [reverse("evidence:device_new", args=[case.id]),
            reverse("evidence:device_move", args=[case.id, device.id]),
            reverse("evidence:parents_new", args=[case.id]),
            reverse("evidence:deletion_new", args=[case.id]),
            reverse("evidence:deletion_confirm", args=[case.id, deletion.id]),
            reverse("evidence:evidence_new", args=[case.id])]


def test_access_ladder(client, world, case):
    pages = urls(world, case)
    for url in pages:
        assert client.get(url)["Location"].startswith(reverse("accounts:login")), url
    for stranger in (world.eve, world.tom, world.gina, world.hana):
        sign_in(client, stranger)
        for url in pages:
            assert client.get(url).status_code == 404, (stranger, url)
            assert client.post(url, {"owner": "x"}).status_code == 404, (stranger, url)
    for owner in (world.diana, world.dev):
        sign_in(client, owner)
        for url in pages:
            assert client.get(url).status_code == 200, (owner, url)


def test_r_c5_device_form_records_and_keeps_what_was_typed(client, world, case):
    sign_in(client, world.diana)
    url = reverse("evidence:device_new", args=[case.id])
    page = client.post(url, {"owner": "Quentin", "make": "Phone X", "isolation": "flight_mode",
                             "holder": "police", "where_or_who": "PC Jones"}).content.decode()
    assert "Give the police reference" in page and 'value="PC Jones"' in page and 'value="Phone X"' in page
    # The message sits beside its field, and the summary links to it.
    assert 'href="#police_reference"' in page and 'id="police_reference-error"' in page
    response = client.post(url, {"owner": "Quentin", "make": "Phone X", "isolation": "flight_mode",
                                 "holder": "secure_place", "where_or_who": "DSL safe"})
    assert response.status_code == 302 and case.devices.get().current.where_or_who == "DSL safe"


def test_r_d1_parents_form_refuses_not_telling_without_agency(client, world, case):
    sign_in(client, world.diana)
    url = reverse("evidence:parents_new", args=[case.id])
    page = client.post(url, {"pupil": world.pupil.id, "informed": "no", "reason": "Risk at home"}).content.decode()
    assert "social care or the police" in page and "Risk at home" in page
    assert 'href="#agreed_with"' in page and 'id="agreed_with-error"' in page
    assert not case.parent_contacts.exists()


def test_r_c7_deletion_form_and_confirmation(client, world, case):
    sign_in(client, world.diana)
    deadline = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("evidence:deletion_new", args=[case.id])
    page = client.post(url, {"pupil": world.pupil.id, "deadline": deadline, "scope": ["devices"],
                             "reminder": "yes", "consequence": "yes"}).content.decode()
    assert "everywhere" in page
    client.post(url, {"pupil": world.pupil.id, "deadline": deadline, "scope": list(DELETION_SCOPE),
                      "reminder": "yes", "consequence": "yes"})
    deletion = case.deletions.get()
    client.post(reverse("evidence:deletion_confirm", args=[case.id, deletion.id]),
                {"confirmed": "yes", "how": "Shown to the DSL."})
    deletion.refresh_from_db()
    assert deletion.state == "confirmed"


def test_r_c1_c3_viewing_pages_record_and_sign(client, world, case):
    from cases.tests.helpers import code_for
    from tests.people import PASSWORD

    new = reverse("evidence:viewing_new", args=[case.id])
    for stranger in (world.eve, world.tom, world.hana):
        sign_in(client, stranger)
        assert client.get(new).status_code == 404
    sign_in(client, world.diana)
    data = {"reason": "decide_agencies", "no_distress": "yes", "consulted": "Headteacher", "witness": world.dev.id,
            "place": "DSL office", "private": "yes", "same_sex": "no", "result": "Referred to social care.",
            "already_copied": "no", "viewed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    page = client.post(new, data).content.decode()
    assert "why the viewer was not the same sex" in page and "Referred to social care." in page
    assert client.post(new, {**data, "same_sex": "yes"}).status_code == 302
    viewing = case.viewings.get()
    sign = reverse("evidence:viewing_sign", args=[case.id, viewing.id])
    sign_in(client, world.tom)
    assert client.get(sign).status_code == 404
    sign_in(client, world.dev)
    assert "Sign this record" in client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert client.post(sign, {"password": PASSWORD, "code": code_for(world.dev)}).status_code == 302
    assert viewing.signatures.get().user == world.dev

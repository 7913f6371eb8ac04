"""Opening a case from a concern, and several reports of one incident becoming one case."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.models import Case
from concerns.models import Concern
from concerns.tests.test_report import REPORT, report_data
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def report(client, world, reporter, **extra):
    sign_in(client, reporter)
    data, _ = report_data(world, **extra)
    client.post(REPORT, data)
    return Concern.objects.order_by("-id").first()


def test_the_dsl_opens_a_case_and_a_second_report_joins_it(client, world):
    first = report(client, world, world.tom)
    second = report(client, world, world.gina, account="Gina heard about the same photo in the playground.")
    sign_in(client, world.diana)
    response = client.post(reverse("concerns:open_case", args=[first.id]))
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.id])
    first.refresh_from_db()
    assert first.case == case and first.status == "acknowledged"
    page = client.get(reverse("concerns:detail", args=[second.id])).content.decode()
    assert case.reference in page
    client.post(reverse("concerns:add_to_case", args=[second.id]), {"case": case.id})
    assert set(case.concerns.values_list("id", flat=True)) == {first.id, second.id}
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    # Once in the children's table for each concern (the device the reports describe names its owner too, 20.2).
    assert page.count("Quentin Puddlewick (Y") == 2 and "Pictured in the imagery" in page
    assert AuditEvent.objects.filter(action="view", object_type="case", object_id=str(case.id)).count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="case").count() == 1


def test_opening_twice_gives_the_same_case(client, world):
    concern = report(client, world, world.tom)
    sign_in(client, world.diana)
    client.post(reverse("concerns:open_case", args=[concern.id]))
    client.post(reverse("concerns:open_case", args=[concern.id]))
    assert Case.objects.count() == 1


def test_case_page_access_ladder(client, world):
    concern = report(client, world, world.tom)
    sign_in(client, world.diana)
    client.post(reverse("concerns:open_case", args=[concern.id]))
    case = Case.objects.get()
    url = reverse("cases:detail", args=[case.id])
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    for person in ["eve", "otto", "tom", "gina", "terry", "hana", "adam"]:
        sign_in(client, getattr(world, person))
        assert client.get(url).status_code == 404, person
        assert client.post(reverse("concerns:open_case", args=[concern.id])).status_code == 404, person
    for person in ["diana", "dev", "lena"]:
        sign_in(client, getattr(world, person))
        assert client.get(url).status_code == 200, person


def test_r_a4_an_allegation_case_stays_with_the_headteacher(client, world):
    concern = report(client, world, world.dev, incident_type="staff-allegation", subject_staff=str(world.tom.id),
                     child=[])
    sign_in(client, world.hana)
    client.post(reverse("concerns:open_case", args=[concern.id]))
    case = Case.objects.get()
    assert client.get(reverse("cases:detail", args=[case.id])).status_code == 200
    for person in ["diana", "tom"]:
        sign_in(client, getattr(world, person))
        assert client.get(reverse("cases:detail", args=[case.id])).status_code == 404, person


def test_a_concern_cannot_join_a_case_of_another_route(client, world):
    dsl_concern = report(client, world, world.tom)
    allegation = report(client, world, world.dev, incident_type="staff-allegation", subject_staff=str(world.tom.id),
                        child=[])
    sign_in(client, world.diana)
    client.post(reverse("concerns:open_case", args=[dsl_concern.id]))
    case = Case.objects.get()
    sign_in(client, world.hana)
    assert client.post(reverse("concerns:add_to_case", args=[allegation.id]), {"case": case.id}).status_code == 404
    allegation.refresh_from_db()
    assert allegation.case is None

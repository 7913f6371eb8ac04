"""Rule A5: a monitoring alert names a login, not a UPN. Harbour matches it to the pupil from the MIS import (network
login, school email) or a login file; a login no pupil has is listed for the DSL team to match once, and remembered.
Rule H3: only the DSL team sees or matches the logins; anyone else gets the same 404 as a missing page."""

import pytest
from django.urls import reverse

from api.models import MonitoringUser
from api.scopes import Scope
from audit.models import AuditEvent
from concerns.models import Concern, ConcernChild
from imports.actions import import_people
from schools.models import Pupil
from tests.people import make_pupil, sign_in

from .test_alerts_api import alert

pytestmark = pytest.mark.django_db
LIST = reverse("integrations:monitoring_users")


def send(call, secret, alert_id, user):
    response = call("post", "/alerts", secret, alert(alert_id=alert_id, user=user))
    assert response.status_code == 201, response.json()
    return Concern.objects.get(id=response.json()["id"])


def children(concern):
    return list(concern.children.values_list("pupil", flat=True))


def test_r_a5_an_alert_naming_a_pupils_network_login_becomes_a_concern_about_that_pupil(world, make_token, call):
    """Issue 22's finding: `user: "jbloggs"` linked no child. The login comes from the pupil file of the MIS."""
    pupils = ("UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Network Login,Student Email\r\n"
              "A123456789012,Bloggs,Joe,03/09/2014,M,6,jbloggs,joe.bloggs@pupils.oakfield.example\r\n")
    import_people(school=world.oakfield, data=pupils.encode("utf-8-sig"), actor=world.adam)
    joe = Pupil.objects.get(upn="A123456789012")
    _, secret = make_token(Scope.ALERTS_CREATE)
    assert children(send(call, secret, "1", "jbloggs")) == [joe.id]
    assert children(send(call, secret, "2", "OAKFIELD\\JBloggs")) == [joe.id]  # a Windows domain, any case
    assert children(send(call, secret, "3", "Joe.Bloggs@pupils.oakfield.example")) == [joe.id]  # the school email
    assert not MonitoringUser.objects.exists()


def test_r_a5_a_login_file_gives_logins_for_a_school_whose_mis_lacks_them(world, make_token, call):
    logins = "UPN,Network Login\r\nA999000000001,qpuddlewick\r\nA999000000404,nobody\r\n"
    result = import_people(school=world.oakfield, data=logins.encode(), actor=world.adam)
    assert result.kind == "logins" and result.counts["logins updated"] == 1
    assert [(p.line, p.column, p.value) for p in result.errors] == [(3, "UPN", "A999000000404")]
    world.pupil.refresh_from_db()
    assert world.pupil.network_login == "qpuddlewick"
    _, secret = make_token(Scope.ALERTS_CREATE)
    assert children(send(call, secret, "1", "qpuddlewick")) == [world.pupil.id]


def test_r_a5_an_unmatched_login_is_listed_matched_once_and_remembered(client, world, make_token, call):
    _, secret = make_token(Scope.ALERTS_CREATE)
    first = send(call, secret, "1", "q.p.2019")
    assert children(first) == []
    send(call, secret, "2", "Q.P.2019")  # the same login, written differently: still one row
    waiting = MonitoringUser.objects.get()
    assert (waiting.login, waiting.alerts, waiting.pupil) == ("q.p.2019", 2, None)
    sign_in(client, world.diana)
    page = client.get(LIST).content.decode()
    assert "q.p.2019" in page and "To match" in page
    match = reverse("integrations:match_monitoring_user", args=[waiting.id])
    found = client.post(match, {"query": "Puddle", "find": "yes"}).content.decode()
    assert "Quentin Puddlewick — Year 5" in found and "UPN A999000000001" in found
    response = client.post(match, {"query": "Puddle", "pupil": str(world.pupil.id), "match": "yes"})
    assert response.status_code == 302 and response["Location"] == LIST
    waiting.refresh_from_db()
    assert (waiting.pupil, waiting.matched_by) == (world.pupil, world.diana)
    # The open concerns from its alerts now name the child; later alerts name them from the start.
    assert children(first) == [world.pupil.id]
    assert children(send(call, secret, "3", "q.p.2019")) == [world.pupil.id]
    assert AuditEvent.objects.filter(object_type="monitoring_user", action="update", actor=world.diana).count() == 1
    assert AuditEvent.objects.filter(object_type="concern_child", detail__via="monitoring_user_match").count() == 2
    assert "Matched by the safeguarding team" in client.get(LIST).content.decode()


def test_r_a5_a_login_two_pupils_share_is_not_guessed(world, make_token, call):
    other = make_pupil(world.oakfield, "Quinn", "Puddlewick", "A999000000003")
    Pupil.objects.filter(id__in=[world.pupil.id, other.id]).update(network_login="qpuddlewick")
    _, secret = make_token(Scope.ALERTS_CREATE)
    assert children(send(call, secret, "1", "qpuddlewick")) == []
    assert MonitoringUser.objects.get().login == "qpuddlewick"


def test_r_h3_a_login_is_never_matched_to_a_pupil_of_another_school_or_one_who_has_left(world, make_token, call):
    Pupil.objects.filter(id=world.elm_pupil.id).update(network_login="rthistledown")
    Pupil.objects.filter(id=world.pupil.id).update(network_login="qpuddlewick", left_on="2026-01-01")
    _, secret = make_token(Scope.ALERTS_CREATE)
    assert children(send(call, secret, "1", "rthistledown")) == []
    assert children(send(call, secret, "2", "qpuddlewick")) == []


def test_r_h3_monitoring_users_access_ladder(client, world, make_token, call):
    _, secret = make_token(Scope.ALERTS_CREATE)
    send(call, secret, "1", "someone-unknown")
    waiting = MonitoringUser.objects.get()
    match = reverse("integrations:match_monitoring_user", args=[waiting.id])
    client.logout()
    assert client.get(LIST)["Location"].startswith(reverse("accounts:login"))
    # Staff, the headteacher, technical staff, governors and the trust administrator never see the logins.
    for stranger in (world.tom, world.hana, world.terry, world.gina, world.adam):
        sign_in(client, stranger)
        assert client.get(LIST).status_code == 404, stranger
        assert client.get(match).status_code == 404, stranger
        assert client.post(match, {"pupil": str(world.pupil.id), "query": "Puddle", "match": "yes"}
                           ).status_code == 404, stranger
    # Another school's DSL sees their own list, never this one's logins.
    sign_in(client, world.eve)
    assert "someone-unknown" not in client.get(LIST).content.decode()
    assert client.get(match).status_code == 404
    for dsl_team in (world.diana, world.dev, world.lena):
        sign_in(client, dsl_team)
        assert client.get(LIST).status_code == 200 and client.get(match).status_code == 200, dsl_team
    waiting.refresh_from_db()
    assert waiting.pupil is None


def test_matching_without_choosing_a_pupil_says_so_beside_the_list(client, world, make_token, call):
    _, secret = make_token(Scope.ALERTS_CREATE)
    send(call, secret, "1", "someone-unknown")
    match = reverse("integrations:match_monitoring_user", args=[MonitoringUser.objects.get().id])
    sign_in(client, world.diana)
    response = client.post(match, {"query": "Puddle", "match": "yes"})
    assert response.status_code == 422 and "Choose the pupil this login belongs to." in response.content.decode()
    nobody = client.post(match, {"query": "Zzyzx", "find": "yes"}).content.decode()
    assert "No pupil on roll has a name starting with those words" in nobody
    assert not ConcernChild.objects.exists()

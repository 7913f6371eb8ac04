"""Rule A5: a filtering or monitoring service posts an alert; it becomes a filtering-or-monitoring concern in
the DSL inbox, told to the DSL team and technical staff the same way as a report. Repeats are ignored.
Rule A3: a screenshot or a picture written as text is refused like any image."""

import base64

import pytest
from django.urls import reverse

from api.models import MonitoringAlert
from api.scopes import Scope
from audit.models import AuditEvent
from concerns.models import Concern, IncidentType
from lib.tests import samples
from notifications.models import Notification
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def alert(**extra):
    body = {"source": "Smoothwall", "alert_id": "SW-2026-000123", "occurred_at": "2026-03-02T10:15:00Z",
            "category": "Self-harm search", "severity": "high", "user": "qpuddlewick", "device": "OAK-LAPTOP-17",
            "url": "https://search.example/?q=harm", "matched_text": "how to hurt myself"}
    body.update(extra)
    return body


def test_r_a5_an_alert_becomes_a_filtering_concern_in_the_dsl_inbox(client, world, make_token, call):
    token, secret = make_token(Scope.ALERTS_CREATE)
    response = call("post", "/alerts", secret, alert(upn=world.pupil.upn))
    assert response.status_code == 201, response.json()
    concern = Concern.objects.get()
    assert response.json()["id"] == concern.id and response.json()["created"] is True
    assert concern.incident_type == IncidentType.FILTERING_BREACH and concern.reported_by == token.account
    # A5: the URL, the device or user, the time, and what was blocked or seen.
    assert concern.breach_url == "https://search.example/?q=harm"
    assert concern.breach_device_or_user == "user qpuddlewick; device OAK-LAPTOP-17"
    assert "Self-harm search" in concern.breach_seen and "how to hurt myself" in concern.breach_seen
    assert concern.occurred_at.isoformat() == "2026-03-02T10:15:00+00:00"
    assert list(concern.children.values_list("pupil", flat=True)) == [world.pupil.id]
    # It reaches the DSL team and technical staff, as a report does (A5, A1).
    told = set(Notification.objects.values_list("user", flat=True))
    assert {world.diana.id, world.dev.id, world.terry.id} <= told and world.tom.id not in told
    sign_in(client, world.diana)
    inbox = client.get(reverse("concerns:inbox")).content.decode()
    assert concern.reference in inbox


def test_r_a5_the_same_alert_twice_makes_one_concern(world, make_token, call):
    _, secret = make_token(Scope.ALERTS_CREATE)
    _, second_secret = make_token(Scope.ALERTS_CREATE, name="Second connector")
    first = call("post", "/alerts", secret, alert())
    again = call("post", "/alerts", secret, alert(category="changed on resend"))
    other_token = call("post", "/alerts", second_secret, alert(source="SMOOTHWALL"))
    assert (first.status_code, again.status_code, other_token.status_code) == (201, 200, 200)
    assert again.json() == other_token.json() == {**first.json(), "created": False}
    assert Concern.objects.count() == 1 and MonitoringAlert.objects.count() == 1
    assert Notification.objects.filter(user=world.diana).count() == 1
    # Another service's alert with the same id is a different alert.
    assert call("post", "/alerts", secret, alert(source="Senso")).status_code == 201
    assert Concern.objects.count() == 2


PNG = samples.png()


@pytest.mark.parametrize("extra", [
    {"screenshot": base64.b64encode(PNG).decode()},
    {"screenshot_url": "https://monitor.example/shot/1.png"},
    {"image": "data:image/png;base64," + base64.b64encode(PNG).decode()},
    {"matched_text": "data:image/jpeg;base64," + base64.b64encode(samples.jpeg()).decode()},
    {"matched_text": base64.b64encode(samples.webp_lossy()).decode()},
    {"matched_text": base64.b64encode(samples.mp4()).decode()},
    {"category": base64.b64encode(samples.zip_with_photo()).decode()[:200]},
    # Issue 17: a run shorter than 24 characters that is a 14-byte TIFF header, and a hex dump.
    {"matched_text": "seen: " + base64.b64encode(samples.TIFF_HEADER_14).decode()},
    {"matched_text": samples.xxd_dump(samples.png())},
])
def test_r_a3_a_screenshot_or_image_in_an_alert_is_refused(world, make_token, call, extra):
    _, secret = make_token(Scope.ALERTS_CREATE)
    response = call("post", "/alerts", secret, alert(**extra))
    assert response.status_code == 422
    assert "never accepts an image" in response.json()["detail"]
    assert Concern.objects.count() == 0 and MonitoringAlert.objects.count() == 0
    assert AuditEvent.objects.filter(action="denied", object_type="api_imagery").count() == 1


def test_r_a5_an_alert_must_say_who_and_what(world, make_token, call):
    _, secret = make_token(Scope.ALERTS_CREATE)
    no_who = call("post", "/alerts", secret, alert(user="", device=""))
    no_what = call("post", "/alerts", secret, alert(url="", matched_text=" "))
    assert no_who.status_code == no_what.status_code == 422
    assert "user or the device" in no_who.json()["errors"][0]["message"]
    assert "web address" in no_what.json()["errors"][0]["message"]
    assert Concern.objects.count() == 0


def test_r_h3_an_alert_cannot_name_a_pupil_of_another_school(world, make_token, call):
    _, secret = make_token(Scope.ALERTS_CREATE)
    response = call("post", "/alerts", secret, alert(upn=world.elm_pupil.upn))
    assert response.status_code == 422 and Concern.objects.count() == 0


def test_r_a5_technical_staff_see_which_alert_the_concern_came_from(client, world, make_token, call):
    """The summary of a concern born of an alert names the service (as kept, lower-cased) and its alert id. The
    concern page reads the alert through the alert's link to it: concerns never imports the API."""
    token, secret = make_token(Scope.ALERTS_CREATE)
    concern_id = call("post", "/alerts", secret, alert(upn=world.pupil.upn)).json()["id"]
    sign_in(client, world.terry)
    body = client.get(reverse("concerns:detail", args=[concern_id])).content.decode()
    assert "smoothwall, alert SW-2026-000123" in body

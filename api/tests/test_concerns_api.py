"""Reporting a concern through the API follows the report page's rules (A1, A3, A4) and its status can
be read back without its narrative (A7). A token of one school never sees another school (H3)."""

import base64
import uuid

import pytest

from api.scopes import Scope
from audit.models import AuditEvent
from concerns.models import Concern, IncidentType, Route
from lib.tests import samples
from lib.tests.samples.encoded import CARRIERS, ORDINARY
from notifications.models import Notification
from tests.people import make_pupil

pytestmark = pytest.mark.django_db


def concern(world, **extra):
    body = {"incident_type": "nudes-sharing", "account": "She said: he sent my photo to the group chat.",
            "children": [{"upn": world.pupil.upn, "role": "pictured"}], "dsl_told_in_person": True}
    body.update(extra)
    return body


def test_r_a1_a_concern_from_the_api_reaches_the_dsl_at_once(world, make_token, call):
    token, secret = make_token(Scope.CONCERNS_CREATE, Scope.CONCERNS_READ)
    response = call("post", "/concerns", secret, concern(world))
    assert response.status_code == 201, response.json()
    made = Concern.objects.get()
    assert response.json() == {"id": made.id, "reference": made.reference, "status": "received", "created": True}
    assert made.reported_by == token.account and made.route == Route.DSL and made.school == world.oakfield
    assert list(made.children.values_list("pupil__upn", "role")) == [(world.pupil.upn, "pictured")]
    told = set(Notification.objects.values_list("user__email", flat=True))
    assert {"diana@oakfield.example", "dev@oakfield.example"} <= told
    # The audit trail names the token (its account), in the same transaction as the concern.
    event = AuditEvent.objects.get(action="create", object_type="concern")
    assert event.actor == token.account and "API token" in event.actor_name
    assert event.actor_roles == [f"API token {token.id} (school {world.oakfield.id}): concerns:create, concerns:read"]


def test_retrying_with_the_same_idempotency_key_makes_one_concern(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE)
    key = str(uuid.uuid4())
    first = call("post", "/concerns", secret, concern(world, idempotency_key=key))
    again = call("post", "/concerns", secret, concern(world, idempotency_key=key))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["created"] is False
    assert Concern.objects.count() == 1
    _, other_secret = make_token(Scope.CONCERNS_CREATE, name="Another service")
    clash = call("post", "/concerns", other_secret, concern(world, idempotency_key=key))
    # A key another token used is a conflict with what is recorded (409), naming the field.
    assert clash.status_code == 409 and Concern.objects.count() == 1
    assert clash.json()["errors"] == [{"field": "idempotency_key", "message": clash.json()["detail"]}]


def test_r_a1_the_page_rules_apply_through_the_api(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE)
    no_child = call("post", "/concerns", secret, concern(world, children=[]))
    assert no_child.status_code == 422 and "Add the children involved" in no_child.json()["errors"][0]["message"]
    device = call("post", "/concerns", secret, concern(world, device_confiscated=True))
    messages = {e["field"]: e["message"] for e in device.json()["errors"]}
    assert "flight mode" in messages["device_isolation"] and "kept now" in messages["device_location"]
    breach = call("post", "/concerns", secret, concern(world, incident_type="filtering-breach", children=[]))
    assert breach.status_code == 422 and "web address" in breach.json()["errors"][0]["message"]
    assert Concern.objects.count() == 0
    assert AuditEvent.objects.filter(action="denied", detail__reason="invalid").count() == 3


def test_r_a4_a_concern_about_a_member_of_staff_goes_to_the_headteacher(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE)
    response = call("post", "/concerns", secret, concern(world, incident_type="staff-allegation", children=[],
                                                           subject_staff_email="Tom@Oakfield.example"))
    assert response.status_code == 201
    made = Concern.objects.get()
    assert made.route == Route.HEADTEACHER and made.subject_staff == world.tom
    unknown = call("post", "/concerns", secret, concern(world, incident_type="staff-allegation", children=[],
                                                          subject_staff_email="eve@elmtree.example"))
    assert unknown.status_code == 422 and "No member of staff at this school" in unknown.json()["errors"][0]["message"]


PNG_B64 = base64.b64encode(samples.png()).decode()
TIFF_HEADER_14 = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"


@pytest.mark.parametrize("extra", [
    {"account": f"Here it is: data:image/png;base64,{PNG_B64}"},
    {"account": f"Pasted: {PNG_B64}"},
    {"actions_taken": base64.b64encode(samples.jpeg()).decode()},
    {"breach_seen": base64.urlsafe_b64encode(samples.gif89a()).decode()},
    {"account": samples.svg().decode()},
    {"screenshot": PNG_B64},
    {"image_url": "https://example.com/a.png"},
    {"children": [{"upn": "A999000000001", "role": "pictured", "photo": PNG_B64}]},
    # Issue 17: runs shorter than 24 characters, and every other way of writing a picture as text.
    {"account": "Code: " + base64.b64encode(TIFF_HEADER_14).decode()},  # a 14-byte TIFF header, 20 characters
    {"account": CARRIERS["hex dump (xxd)"](samples.jpeg())},
    {"account": CARRIERS["MIME part"](samples.heic())},
    {"location": CARRIERS["data URI (octet-stream)"](samples.png())},
    {"actions_taken": CARRIERS["quoted-printable"](samples.gif89a())},
])
def test_r_a3_imagery_is_refused_through_the_api(world, make_token, call, extra):
    _, secret = make_token(Scope.CONCERNS_CREATE)
    response = call("post", "/concerns", secret, concern(world, **extra))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Harbour never accepts an image")
    assert Concern.objects.count() == 0
    assert AuditEvent.objects.filter(action="denied", object_type="api_imagery").count() == 1


def test_r_a3_a_web_address_and_ordinary_words_are_not_mistaken_for_imagery(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE)
    response = call("post", "/concerns", secret, concern(
        world, account="He said the video is at https://example.com/watch/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 "
                       "and the username is xX_dark_angel_Xx_2011_official.\n" + "\n".join(ORDINARY)))
    assert response.status_code == 201, response.json()


def test_r_h3_a_token_cannot_name_a_pupil_of_another_school(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE)
    response = call("post", "/concerns", secret, concern(world, children=[{"upn": world.elm_pupil.upn,
                                                                            "role": "pictured"}]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == f"No pupil at this school has the UPN {world.elm_pupil.upn}."
    assert Concern.objects.count() == 0


def test_scopes_are_enforced_and_refusals_audited(world, make_token, call):
    token, secret = make_token(Scope.PUPILS_READ)
    response = call("post", "/concerns", secret, concern(world))
    assert response.status_code == 403 and "'concerns:create' scope" in response.json()["detail"]
    assert call("get", "/concerns/1", secret).status_code == 403
    assert call("post", "/alerts", secret, {}).status_code == 403
    assert Concern.objects.count() == 0
    assert AuditEvent.objects.filter(action="denied", actor=token.account, detail__reason="scope").count() == 3


def test_r_a7_a_concerns_status_has_no_narrative(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE, Scope.CONCERNS_READ)
    made = call("post", "/concerns", secret, concern(world)).json()
    response = call("get", f"/concerns/{made['id']}", secret)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "reference", "incident_type", "status", "created_at", "acknowledge_by",
                         "acknowledged_at", "escalated_at", "case"}
    assert body["status"] == "received" and body["case"] is None
    assert "photo" not in response.content.decode() and world.pupil.legal_last_name not in response.content.decode()
    assert AuditEvent.objects.filter(action="view", object_type="concern", object_id=str(made["id"])).count() == 1


def test_r_h3_a_token_never_sees_another_schools_concern(world, make_token, call):
    _, oak = make_token(Scope.CONCERNS_CREATE, Scope.CONCERNS_READ)
    _, elm = make_token(Scope.CONCERNS_READ, school=world.elmtree)
    _, river = make_token(Scope.CONCERNS_READ, school=world.riverside)  # same trust, other school
    made = call("post", "/concerns", oak, concern(world)).json()
    missing = call("get", "/concerns/999999", elm)
    for secret in (elm, river):
        response = call("get", f"/concerns/{made['id']}", secret)
        assert response.status_code == 404 and response.json() == missing.json()


def test_r_a4_a_staff_concern_is_visible_only_to_the_token_that_reported_it(world, make_token, call):
    _, reporter = make_token(Scope.CONCERNS_CREATE, Scope.CONCERNS_READ)
    _, reader = make_token(Scope.CONCERNS_READ, name="Reader")
    made = call("post", "/concerns", reporter, concern(world, incident_type="staff-allegation", children=[],
                                                        subject_staff_email=world.tom.email)).json()
    assert call("get", f"/concerns/{made['id']}", reporter).status_code == 200
    assert call("get", f"/concerns/{made['id']}", reader).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        "null",
        '{"incident_type": "nope"}',
        '{"account": "\\u0000", "incident_type": "other", "dsl_told_in_person": true}',
        '{"account": "\\ud800", "incident_type": "other", "dsl_told_in_person": true}',
        '{"account": "x", "incident_type": "other", "dsl_told_in_person": true,'
        ' "occurred_at": "0001-01-01T00:00:00+05:00"}',
    ],
)
def test_bad_input_gets_a_clear_json_error_never_a_500(world, make_token, client, body):
    _, secret = make_token(Scope.CONCERNS_CREATE)
    response = client.post("/api/v1/concerns", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert Concern.objects.count() == 0


def test_a_pupil_who_has_left_can_still_be_named(world, make_token, call):
    from datetime import date

    left = make_pupil(world.oakfield, "Lara", "Leftwood", "A999000000009", left_on=date(2024, 7, 20))
    _, secret = make_token(Scope.CONCERNS_CREATE)
    response = call("post", "/concerns", secret, concern(world, children=[{"upn": left.upn, "role": "sent"}]))
    assert response.status_code == 201
    assert Concern.objects.get().incident_type == IncidentType.NUDES_SHARING

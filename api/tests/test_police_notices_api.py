"""Rule J4: an Operation Encompass notice sent by the API, with its own scope, becomes the same concern the page
makes: the safeguarding team told at once, a key adult due before the next school day starts."""

import pytest
import time_machine

from api.scopes import Scope
from audit.models import AuditEvent
from concerns.models import Concern, EncompassNotice
from notifications.models import Notification
from tests.people import make_pupil

pytestmark = pytest.mark.django_db


def notice(world, **extra):
    return {"received_at": "2026-03-06T18:05:00Z", "police_reference": "WMP/2026/118833",
            "children": [world.pupil.upn], **extra}


@time_machine.travel("2026-03-06T18:10:00Z", tick=False)
def test_j4_a_police_notice_sent_by_the_api_reaches_the_team_and_sets_the_key_adults_clock(world, make_token,
                                                                                            call):
    token, secret = make_token(Scope.POLICE_NOTICES_CREATE)
    response = call("post", "/police-notices", secret, notice(world, idempotency_key="0b0c2c0e-8f8e-4e0a-9d55-"
                                                                                     "5d1a3e0f7a11"))
    assert response.status_code == 201, response.json()
    concern = Concern.objects.get()
    body = response.json()
    assert body["reference"] == concern.reference and body["created"] is True
    assert body["key_adult_due"] == "2026-03-09T08:30:00Z"  # Friday evening: Monday's start (GMT in March)
    assert concern.reported_by == token.account and concern.encompass.police_reference == "WMP/2026/118833"
    assert {n.user_id for n in Notification.objects.filter(key=f"encompass:{concern.encompass.id}")} == {
        world.diana.id, world.dev.id}
    again = call("post", "/police-notices", secret, notice(world, idempotency_key="0b0c2c0e-8f8e-4e0a-9d55-"
                                                                                  "5d1a3e0f7a11"))
    assert again.status_code == 200 and again.json()["id"] == concern.id
    assert EncompassNotice.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="encompass_notice", actor=token.account).exists()


@time_machine.travel("2026-03-06T18:10:00Z", tick=False)
def test_j4_the_police_notice_api_has_its_own_scope(world, make_token, call):
    _, secret = make_token(Scope.CONCERNS_CREATE, Scope.ALERTS_CREATE)
    assert call("post", "/police-notices", secret, notice(world)).status_code == 403
    assert call("post", "/police-notices", None, notice(world)).status_code == 401
    assert not Concern.objects.exists()


@time_machine.travel("2026-03-06T18:10:00Z", tick=False)
def test_j4_a_police_notice_names_children_on_roll_here_by_upn(world, make_token, call):
    _, secret = make_token(Scope.POLICE_NOTICES_CREATE)
    leaver = make_pupil(world.oakfield, "Lottie", "Brambleworth", "A999000000050", left_on="2025-07-20")
    for children in ([world.elm_pupil.upn], [leaver.upn]):
        response = call("post", "/police-notices", secret, notice(world, children=children))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "children.0"
    assert call("post", "/police-notices", secret, notice(world, children=[])).status_code == 422
    assert call("post", "/police-notices", secret, notice(world, police_reference=" ")).status_code == 422
    future = call("post", "/police-notices", secret, notice(world, received_at="2026-03-06T20:00:00Z"))
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "received_at"
    assert not Concern.objects.exists()

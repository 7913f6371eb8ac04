"""P4: with the receipt code a pupil sees that their report was read, adds more and reads the team's short reply;
nothing else is reachable with it, and a wrong code is answered like a missing one. The team's reply is written on
the concern's page and audited; closing a pupil's report as needing no action takes a reason (P5, B10)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from concerns.models import Concern, PupilNote
from notifications.models import Notification
from tests.people import sign_in

from .tell_helpers import check, code_from, tell

pytestmark = pytest.mark.django_db


def _reply(client, world, concern, text):
    sign_in(client, world.diana)
    response = client.post(reverse("concerns:pupil_reply", args=[concern.id]), {"reply": text})
    client.logout()
    return response


def test_r_p4_the_pupil_sees_it_was_read_and_reads_the_teams_reply(client, world):
    code = code_from(tell(client, world.oakfield))
    concern = Concern.objects.get()
    before = check(client, world.oakfield, code).content.decode()
    assert "Not read yet" in before and "There is no reply yet" in before
    assert _reply(client, world, concern, "Thank you for telling us. Mrs Dsl will see you at 9 tomorrow.") \
        .status_code == 302
    after = check(client, world.oakfield, code.lower().replace("-", " ")).content.decode()  # typed any way
    assert "An adult has read it." in after and "Mrs Dsl will see you at 9 tomorrow." in after
    concern.refresh_from_db()
    assert concern.status == "acknowledged"  # replying is reading it
    assert any("reply" in e.changed_fields for e in AuditEvent.objects.filter(
        object_type="pupil_report", object_id=str(concern.id), actor=world.diana))


def test_r_p4_the_pupil_adds_more_words_and_the_team_is_told_without_them(client, world):
    code = code_from(tell(client, world.oakfield))
    concern = Concern.objects.get()
    added = check(client, world.oakfield, code, more="It happened again today at lunch.")
    assert added.status_code == 200 and "We got your new words" in added.content.decode()
    assert PupilNote.objects.get().text == "It happened again today at lunch."
    notice = Notification.objects.get(user=world.diana, key=f"pupil-more:{concern.id}")
    assert "lunch" not in notice.text
    sign_in(client, world.diana)
    assert "It happened again today at lunch." in client.get(
        reverse("concerns:detail", args=[concern.id])).content.decode()


def test_r_p4_a_wrong_code_another_schools_code_and_no_code_get_the_same_answer(client, world):
    code = code_from(tell(client, world.oakfield))
    riverside_code = code_from(tell(client, world.riverside))
    answers = [check(client, world.oakfield, c).content.decode() for c in (
        "ABCD-EFGH-JKMN-PQRS", riverside_code, "", "not a code", code[:-1] + ("A" if code[-1] != "A" else "B"))]
    assert all("We could not find that code" in a for a in answers)
    from tests.security.matrix import normalise

    assert len({normalise(a.encode()) for a in answers}) == 1
    assert "Your message" in check(client, world.oakfield, code).content.decode()
    assert "Your message" not in check(client, world.oakfield, riverside_code).content.decode()


def test_r_p4_the_code_reaches_nothing_else(client, world):
    code = code_from(tell(client, world.oakfield))
    concern = Concern.objects.get()
    check(client, world.oakfield, code)
    for url in (reverse("concerns:detail", args=[concern.id]), reverse("concerns:inbox"),
                reverse("concerns:submitted", args=[concern.id]), reverse("home")):
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"], url
    for url in (reverse("concerns:pupil_reply", args=[concern.id]), reverse("concerns:pupil_close", args=[concern.id])):
        response = client.post(url, {"code": code, "reply": "x", "reason": "x"})
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"], url
    assert Concern.objects.get().status == "received"


def test_r_p4_only_those_the_concern_is_for_reply_and_only_to_a_pupils_report(client, world):
    tell(client, world.oakfield)
    concern = Concern.objects.get()
    for person in (world.tom, world.gina, world.eve, world.terry):
        sign_in(client, person)
        assert client.post(reverse("concerns:pupil_reply", args=[concern.id]), {"reply": "Hello"}).status_code == 404
    sign_in(client, world.dev)  # a deputy DSL receives concerns
    assert client.post(reverse("concerns:pupil_reply", args=[concern.id]), {"reply": "Hello"}).status_code == 302


def test_r_p5_b10_closing_a_pupils_report_as_needing_no_action_takes_a_reason(client, world):
    tell(client, world.oakfield)
    concern = Concern.objects.get()
    sign_in(client, world.diana)
    refused = client.post(reverse("concerns:pupil_close", args=[concern.id]), {"reason": "  "})
    assert refused.status_code == 200 and "Say why this needs no action" in refused.content.decode()
    assert Concern.objects.get().status == "received"
    done = client.post(reverse("concerns:pupil_close", args=[concern.id]),
                       {"reason": "A test message sent by a pupil during an assembly demonstration."})
    assert done.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.pupil_report.closed_reason.startswith("A test message")
    assert any("closed_reason" in e.changed_fields for e in AuditEvent.objects.filter(
        object_type="concern", object_id=str(concern.id), actor=world.diana))
    inbox = client.get(reverse("concerns:inbox")).content.decode()
    assert reverse("concerns:detail", args=[concern.id]) not in inbox and "There are no open concerns" in inbox


def test_r_p5_only_those_who_run_cases_close_a_pupils_report(client, world):
    tell(client, world.oakfield)
    concern = Concern.objects.get()
    for person in (world.tom, world.hana, world.eve):
        sign_in(client, person)
        assert client.post(reverse("concerns:pupil_close", args=[concern.id]),
                           {"reason": "No action needed"}).status_code == 404
    assert Concern.objects.get().status == "received"

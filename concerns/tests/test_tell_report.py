"""P1, P3: a pupil tells the school from the pupils' page, with no account; it reaches the safeguarding team's
inbox as a concern marked as from a pupil, told at once and escalated like any concern (A1)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from concerns.actions import escalate
from concerns.models import Concern, PupilReceipt, PupilReport
from notifications.models import Notification
from tests.people import sign_in

from .tell_helpers import code_from, tell

pytestmark = pytest.mark.django_db


def test_r_p1_a_pupil_with_no_account_sees_the_page_and_sends_a_report_named_or_not(client, world):
    page = client.get(reverse("tell:start", args=[world.oakfield.tell_code]))
    assert page.status_code == 200 and "Tell us what is worrying you" in page.content.decode()
    assert 'type="file"' not in page.content.decode()  # P2: no way to attach anything
    sent = tell(client, world.oakfield, name="Sam", pupil_class="5B")
    assert sent.status_code == 200 and "Thank you for telling us" in sent.content.decode()
    anonymous = tell(client, world.oakfield, kind="upsetting", words="I saw a video of a fight on my phone.")
    assert anonymous.status_code == 200
    named, unnamed = PupilReport.objects.order_by("id")
    assert (named.pupil_name, named.pupil_class, unnamed.pupil_name, unnamed.pupil_class) == ("Sam", "5B", "", "")
    assert named.concern.reported_by is None and named.concern.school == world.oakfield


def test_r_p1_a_wrong_school_code_is_the_404_of_a_missing_page(client, world):
    assert client.get(reverse("tell:start", args=["no-such-code"])).status_code == 404
    assert client.get(reverse("tell:start", args=[world.oakfield.slug])).status_code == 404
    assert client.get(reverse("tell:check", args=["no-such-code"])).status_code == 404


def test_r_p1_school_codes_are_random_and_a_new_one_stops_the_old(client, world):
    codes = {world.oakfield.tell_code, world.riverside.tell_code, world.elmtree.tell_code}
    assert len(codes) == 3 and all(len(c) == 10 and world.oakfield.slug not in c for c in codes)
    old = world.oakfield.tell_code
    sign_in(client, world.diana)
    assert client.post(reverse("concerns:pupil_new_code")).status_code == 302
    world.oakfield.refresh_from_db()
    assert world.oakfield.tell_code != old
    assert client.get(reverse("tell:start", args=[old])).status_code == 404
    assert client.get(reverse("tell:start", args=[world.oakfield.tell_code])).status_code == 200
    assert AuditEvent.objects.filter(object_type="school", changed_fields=["tell_code"]).exists()


def test_r_p1_only_the_safeguarding_team_makes_a_new_address_or_prints_the_poster(client, world):
    for person in (world.tom, world.gina):
        sign_in(client, person)
        assert client.get(reverse("concerns:pupil_poster")).status_code == 404, person
        assert client.post(reverse("concerns:pupil_new_code")).status_code == 404
    sign_in(client, world.eve)  # another trust's DSL: their own school's poster, never Oakfield's
    assert world.oakfield.tell_code not in client.get(reverse("concerns:pupil_poster")).content.decode()
    sign_in(client, world.diana)
    poster = client.get(reverse("concerns:pupil_poster")).content.decode()
    assert f"/tell/{world.oakfield.tell_code}/" in poster and "<svg" in poster and "<path" in poster


def test_r_p3_it_reaches_the_inbox_marked_from_a_pupil_and_the_team_is_told_at_once(client, world):
    tell(client, world.oakfield, kind="pictures", words="Someone online keeps asking me for photos.")
    concern = Concern.objects.get()
    assert concern.route == "dsl" and concern.status == "received" and concern.incident_type == "other"
    told = set(Notification.objects.filter(reference=concern.reference).values_list("user__email", flat=True))
    assert told == {"diana@oakfield.example", "dev@oakfield.example"}
    notice = Notification.objects.filter(reference=concern.reference).first()
    assert "from a pupil" in notice.text and "photos" not in notice.text
    assert notice.due_at - concern.created_at == timedelta(minutes=60)
    sign_in(client, world.diana)
    inbox = client.get(reverse("concerns:inbox")).content.decode()
    assert "From a pupil" in inbox and "Someone is asking me for pictures" in inbox
    page = client.get(reverse("concerns:detail", args=[concern.id])).content.decode()
    assert "Someone online keeps asking me for photos." in page and "From a pupil" in page


def test_r_p3_a1_a_pupils_report_nobody_acknowledges_is_escalated_the_same_day(client, world):
    start = timezone.now()
    tell(client, world.oakfield)
    concern = Concern.objects.get()
    with time_machine.travel(start + timedelta(minutes=61)):
        assert escalate(concern=concern)
    told = set(Notification.objects.filter(reference=concern.reference, text__contains="was not acknowledged")
               .values_list("user__email", flat=True))
    assert "hana@oakfield.example" in told  # the headteacher hears of it (A1)


def test_r_p3_the_pupils_pages_reveal_nothing_of_any_other_report(client, world):
    tell(client, world.oakfield, words="Zebra secret words from the first pupil.", name="Alfie")
    second = tell(client, world.oakfield, words="My own worry about a game chat.")
    code = code_from(second)
    pages = [second, client.get(reverse("tell:start", args=[world.oakfield.tell_code])),
             client.post(reverse("tell:check", args=[world.oakfield.tell_code]), {"code": code})]
    for page in pages:
        text = page.content.decode()
        assert "Zebra" not in text and "Alfie" not in text and "C0000" not in text


def test_r_p4_the_receipt_code_is_long_random_shown_once_and_only_its_hash_kept(client, world):
    codes = [code_from(tell(client, world.oakfield, words=f"Worry number {n} about a group chat.")) for n in range(3)]
    assert len(set(codes)) == 3 and all(len(c.replace("-", "")) == 16 for c in codes)
    stored = list(PupilReceipt.objects.values_list("code_hash", flat=True))
    assert all(len(h) == 64 for h in stored)
    dumped = str(list(Concern.objects.values())) + str(list(PupilReport.objects.values())) + str(
        list(AuditEvent.objects.values()))
    assert not any(c in dumped or c.replace("-", "") in dumped for c in codes)


def test_r_p1_no_report_text_is_in_an_address_and_no_page_is_kept_by_the_browser(client, world):
    page = client.get(reverse("tell:start", args=[world.oakfield.tell_code]))
    sent = tell(client, world.oakfield)
    for response in (page, sent):
        assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    assert '<form method="post"' in page.content.decode()
    assert 'autocomplete="off"' in page.content.decode()
    assert "govuk-exit-this-page" in page.content.decode()  # "Leave this page quickly"


def test_r_p1_csrf_still_guards_the_pupils_page(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(reverse("tell:start", args=[world.oakfield.tell_code])).status_code == 200
    refused = strict.post(reverse("tell:start", args=[world.oakfield.tell_code]),
                          {"kind": "unkind", "words": "Someone is mean to me online."})
    assert refused.status_code == 403 and Concern.objects.count() == 0

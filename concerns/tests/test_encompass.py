"""Operation Encompass (rule J4): the police notice's intake, the key adult's clock at the school's day start (weekends
and bank holidays skipped), the notices that name nothing, the escalation, and who may reach each page."""

import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from concerns import encompass
from concerns.actions import Report, submit_concern
from concerns.models import Concern, EncompassNotice
from concerns.tasks import escalate_if_no_key_adult
from notifications.models import Notification
from tests.people import make_pupil, make_user, sign_in

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*parts):
    return datetime(*parts, tzinfo=LONDON)


def receive(world, received_at, pupils=None, user=None, key=None):
    return encompass.receive_notice(user=user or world.diana, school=world.oakfield, received_at=received_at,
                                    police_reference="WMP/2026/118833", pupils=pupils or [world.pupil],
                                    idempotency_key=key or uuid.uuid4())


@pytest.mark.parametrize("received, due", [
    (at(2026, 3, 4, 21, 40), at(2026, 3, 5, 8, 30)),  # a Wednesday night: Thursday morning
    (at(2026, 3, 5, 7, 10), at(2026, 3, 5, 8, 30)),  # before the day starts on a school day: that morning
    (at(2026, 3, 5, 8, 30), at(2026, 3, 6, 8, 30)),  # once the day has started: the next one
    (at(2026, 3, 6, 18, 0), at(2026, 3, 9, 8, 30)),  # Friday evening: Monday, the weekend skipped
    (at(2026, 4, 2, 22, 0), at(2026, 4, 7, 8, 30)),  # before Easter: Good Friday and Easter Monday skipped
    (at(2026, 12, 24, 20, 0), at(2026, 12, 29, 8, 30)),  # Christmas Day and Boxing Day (on Monday 28th) skipped
])
def test_j4_the_key_adult_is_due_before_the_next_school_day_starts(world, received, due):
    assert encompass.key_adult_due(world.oakfield, received) == due


def test_j4_the_day_start_is_the_schools_own(world):
    world.oakfield.day_starts_at = time(8, 50)
    assert encompass.key_adult_due(world.oakfield, at(2026, 3, 5, 8, 40)) == at(2026, 3, 5, 8, 50)


@time_machine.travel(at(2026, 3, 4, 21, 45), tick=False)
def test_j4_a_notice_becomes_a_concern_that_reaches_the_team_at_once_and_names_nothing(
        world, django_capture_on_commit_callbacks):
    second = make_pupil(world.oakfield, "Ottilie", "Brackenridge", "A999000000077", year_group=3)
    with django_capture_on_commit_callbacks(execute=True):
        concern, created = receive(world, at(2026, 3, 4, 21, 40), pupils=[world.pupil, second])
    assert created and concern.incident_type == "other" and concern.route == "dsl"
    assert {c.pupil_id for c in concern.children.all()} == {world.pupil.id, second.id}
    notice = concern.encompass
    assert (notice.police_reference, notice.key_adult_due) == ("WMP/2026/118833", at(2026, 3, 5, 8, 30))
    told = Notification.objects.filter(key=f"encompass:{notice.id}")
    assert {n.user_id for n in told} == {world.diana.id, world.dev.id}
    assert all(n.urgent for n in told)  # emailed at once, like a new concern
    for n in Notification.objects.all():
        for secret in ("Quentin", "Puddlewick", "Ottilie", "domestic", "Encompass", "WMP/2026"):
            assert secret not in n.text, n.text
    assert "name a key adult by 5 March 2026 at 8:30am" in told.first().text
    assert AuditEvent.objects.filter(object_type="encompass_notice", object_id=str(notice.id)).exists()
    # Sent twice (a double click, a retried API call): one concern.
    key = uuid.uuid4()
    first, _ = receive(world, at(2026, 3, 4, 21, 40), key=key)
    again, created = receive(world, at(2026, 3, 4, 21, 40), key=key)
    assert again.id == first.id and not created


@time_machine.travel(at(2026, 3, 4, 21, 45), tick=False)
def test_j4_a_notice_needs_its_time_its_reference_and_children_on_roll_here(world):
    with pytest.raises(encompass.EncompassError) as refused:
        encompass.receive_notice(user=world.diana, school=world.oakfield, received_at=at(2026, 3, 5, 9, 0),
                                 police_reference="  ", pupils=[world.elm_pupil], idempotency_key=uuid.uuid4())
    assert set(refused.value.error_dict) == {"received_at", "police_reference", "child"}
    with pytest.raises(encompass.EncompassError, match="each child"):
        encompass.receive_notice(user=world.diana, school=world.oakfield, received_at=at(2026, 3, 4, 21, 0),
                                 police_reference="WMP/1", pupils=[], idempotency_key=uuid.uuid4())
    assert not Concern.objects.exists()
    for stranger in (world.tom, world.hana, world.eve, world.lena):
        with pytest.raises(PermissionDenied):
            receive(world, at(2026, 3, 4, 21, 0), user=stranger)


def test_j4_naming_the_key_adult_ticks_the_step_and_tells_them_nothing_of_what_happened(world):
    teacher = world.tom
    with time_machine.travel(at(2026, 3, 4, 21, 45), tick=False):
        concern, _ = receive(world, at(2026, 3, 4, 21, 40))
    with time_machine.travel(at(2026, 3, 5, 7, 55), tick=False):
        with pytest.raises(encompass.EncompassError):
            encompass.name_key_adult(user=world.diana, concern=concern, key_adult=world.eve)  # not at Oakfield
        with pytest.raises(encompass.EncompassError):
            encompass.name_key_adult(user=world.diana, concern=concern, key_adult=world.gina)  # a governor
        encompass.name_key_adult(user=world.diana, concern=concern, key_adult=teacher)
    notice = EncompassNotice.objects.get(concern=concern)
    concern.refresh_from_db()
    assert notice.key_adult_id == teacher.id and notice.key_adult_named_by_id == world.diana.id
    assert concern.status == "acknowledged"
    assert not Notification.objects.filter(key=f"encompass:{notice.id}", read_at__isnull=True).exists()
    told = Notification.objects.get(user=teacher, key=f"key-adult:{notice.id}")
    assert "key adult" in told.text and "Diana Dsl" in told.text and "Quentin" not in told.text
    event = AuditEvent.objects.filter(object_type="encompass_notice", action="update").get()
    assert event.detail["in_time"] is True
    # The escalation at the day's start finds the step done and does nothing.
    with time_machine.travel(at(2026, 3, 5, 8, 30), tick=False):
        assert escalate_if_no_key_adult.call(notice.id) is False


def test_j4_no_key_adult_by_the_start_of_the_day_is_escalated_once(world):
    with time_machine.travel(at(2026, 3, 6, 18, 0), tick=False):
        concern, _ = receive(world, at(2026, 3, 6, 17, 55))
    notice = concern.encompass
    with time_machine.travel(at(2026, 3, 9, 8, 31), tick=False):
        assert escalate_if_no_key_adult.call(notice.id) is True
        assert escalate_if_no_key_adult.call(notice.id) is False
    told = Notification.objects.filter(key=f"encompass:{notice.id}")
    assert {n.user_id for n in told} == {world.diana.id, world.dev.id, world.hana.id}
    assert all("no key adult was named by 9 March 2026 at 8:30am" in n.text for n in told)


@time_machine.travel(at(2026, 3, 4, 21, 45), tick=False)
def test_j4_the_notice_page_finds_children_keeps_what_was_typed_and_records_the_notice(client, world):
    second = make_pupil(world.oakfield, "Ottilie", "Brackenridge", "A999000000077", year_group=3)
    sign_in(client, world.diana)
    assert reverse("concerns:police_notice") in client.get(reverse("concerns:inbox")).content.decode()
    url = reverse("concerns:police_notice")
    page = client.get(url).content.decode()
    assert 'value="2026-03-04T21:45"' in page and "8:30am on the next school day" in page
    typed = {"received_at": "2026-03-04T21:40", "police_reference": "WMP/2026/118833", "key": str(uuid.uuid4())}
    page = client.post(url, {**typed, "child_search": "Brack", "find": "1"}).content.decode()
    assert f'name="add_child" value="{second.id}"' in page and 'value="WMP/2026/118833"' in page
    page = client.post(url, {**typed, "add_child": str(second.id)}).content.decode()
    assert f'name="child" type="checkbox" value="{second.id}" checked' in page
    page = client.post(url, {**typed, "police_reference": ""}).content.decode()
    assert "Enter the police reference" in page and "Choose each child the police named" in page
    assert not Concern.objects.exists()
    response = client.post(url, {**typed, "child": [str(second.id), str(world.pupil.id)]})
    concern = Concern.objects.get()
    assert response["Location"] == reverse("concerns:detail", args=[concern.id])
    assert concern.children.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "WMP/2026/118833" in page and "Not named yet: due by" in page
    response = client.post(reverse("concerns:key_adult", args=[concern.id]), {"key_adult": ""})
    assert "Choose the key adult" in response.content.decode()
    response = client.post(reverse("concerns:key_adult", args=[concern.id]), {"key_adult": str(world.tom.id)})
    assert response.status_code == 302
    assert EncompassNotice.objects.get().key_adult_id == world.tom.id


def test_j4_access_ladder_for_the_notice_page_and_the_key_adult(client, world):
    with time_machine.travel(at(2026, 3, 4, 21, 45), tick=False):
        concern, _ = receive(world, at(2026, 3, 4, 21, 40))
    plain, _ = submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(),
                              report=Report(incident_type="other", account="A worry.", dsl_told_in_person=True))
    notice_url = reverse("concerns:police_notice")
    key_url = reverse("concerns:key_adult", args=[concern.id])
    assert client.get(notice_url)["Location"].startswith(reverse("accounts:login"))
    assert client.post(key_url, {"key_adult": world.tom.id})["Location"].startswith(reverse("accounts:login"))
    # Wrong role at Oakfield, the trust's administrator: the 404 of a missing page.
    olive = make_user("olive@oakfield.example", "Olive Coordinator", school=world.oakfield,
                      role="online_safety_coordinator")
    for stranger in (world.tom, world.hana, world.gina, world.terry, world.carol, olive, world.adam):
        sign_in(client, stranger)
        assert client.get(notice_url).status_code == 404, stranger
        assert client.post(notice_url, {"police_reference": "x"}).status_code == 404, stranger
        assert client.post(key_url, {"key_adult": world.tom.id}).status_code == 404, stranger
    # The trust's safeguarding lead records no notice (the school's team does), but may name the key adult, as she
    # may acknowledge the concern.
    sign_in(client, world.lena)
    assert client.get(notice_url).status_code == 404
    # Another school's DSL records notices for her own school only, and cannot touch Oakfield's.
    sign_in(client, world.eve)
    assert "Elmtree High" in client.get(notice_url).content.decode()
    assert client.post(key_url, {"key_adult": world.tom.id}).status_code == 404
    assert EncompassNotice.objects.get().key_adult_id is None
    # The team: the page, and the key adult on a notice's concern (not on a concern that is no notice).
    for member in (world.diana, world.dev):
        sign_in(client, member)
        assert client.get(notice_url).status_code == 200
        assert client.post(reverse("concerns:key_adult", args=[plain.id]), {"key_adult": world.tom.id}
                           ).status_code == 404
    assert client.post(key_url, {"key_adult": world.tom.id}).status_code == 302
    assert EncompassNotice.objects.get().key_adult_id == world.tom.id


def test_j4_the_cron_sweep_escalates_a_notice_whose_queued_job_was_lost(world):
    from io import StringIO

    from django.core.management import call_command

    with time_machine.travel(at(2026, 3, 4, 21, 45), tick=False):
        concern, _ = receive(world, at(2026, 3, 4, 21, 40))
    with time_machine.travel(at(2026, 3, 5, 8, 29), tick=False):
        out = StringIO()
        call_command("escalate_overdue_tasks", stdout=out)
        assert "0 police notice(s)" in out.getvalue()
    with time_machine.travel(at(2026, 3, 5, 8, 45), tick=False):
        out = StringIO()
        call_command("escalate_overdue_tasks", stdout=out)
        call_command("escalate_overdue_tasks", stdout=out)
        assert "1 police notice(s)" in out.getvalue()
    assert EncompassNotice.objects.get().escalated_at == at(2026, 3, 5, 8, 45)

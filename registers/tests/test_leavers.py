"""Images of pupils who have left (rule I4): kept 7 years after leaving, then deleted by the named
responsible person, who records who and when. The images themselves are never in Harbour."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from registers import actions, status
from registers.actions import RegisterError
from registers.models import LeaverImagesDeletion
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db


def leaver(world, left_on, upn="A999000000050", first="Lottie"):
    return make_pupil(world.oakfield, first, "Brambleworth", upn, year_group=6, left_on=left_on)


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i4_images_are_due_for_deletion_seven_years_after_leaving(world):
    due = leaver(world, date(2019, 3, 2))
    leaver(world, date(2019, 3, 3), "A999000000051", "Kit")  # one day short of 7 years
    assert list(status.leavers_due(world.oakfield, date(2026, 3, 2))) == [due]
    assert len(status.leavers_due(world.oakfield, date(2026, 3, 2), within_days=90)) == 2
    assert actions.leaver_images_kept_until(due) == date(2026, 3, 2)


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i4_only_the_named_person_records_deletion_and_only_once_due(world):
    due = leaver(world, date(2018, 7, 20))
    recent = leaver(world, date(2024, 7, 20), "A999000000051", "Kit")
    with pytest.raises(RegisterError, match="named"):
        actions.record_leaver_images_deleted(user=world.diana, pupil=due, deleted_on=date(2026, 3, 1))
    actions.name_leaver_images_keeper(user=world.diana, school=world.oakfield, person=world.dev)
    with pytest.raises(RegisterError, match="named"):
        actions.record_leaver_images_deleted(user=world.diana, pupil=due, deleted_on=date(2026, 3, 1))
    with pytest.raises(RegisterError, match="kept until 20 July 2031"):
        actions.record_leaver_images_deleted(user=world.dev, pupil=recent, deleted_on=date(2026, 3, 1))
    with pytest.raises(RegisterError, match="has not left"):
        actions.record_leaver_images_deleted(user=world.dev, pupil=world.pupil, deleted_on=date(2026, 3, 1))
    done = actions.record_leaver_images_deleted(user=world.dev, pupil=due, deleted_on=date(2026, 3, 1),
                                                note="School photo drive and website archive")
    assert (done.deleted_by, done.deleted_on) == (world.dev, date(2026, 3, 1))
    with pytest.raises(RegisterError, match="already"):
        actions.record_leaver_images_deleted(user=world.dev, pupil=due, deleted_on=date(2026, 3, 2))
    assert list(status.leavers_due(world.oakfield, date(2026, 3, 2))) == []
    assert AuditEvent.objects.filter(object_type="register_leaverimagesdeletion", action="create").count() == 1


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i4_the_due_list_and_recording_a_deletion(client, world, django_assert_max_num_queries):
    pupils = [leaver(world, date(2018, 1, 1 + n), f"A9990000001{n:02d}", f"Leaver{n}") for n in range(15)]
    actions.name_leaver_images_keeper(user=world.diana, school=world.oakfield, person=world.diana)
    sign_in(client, world.diana)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("registers:leavers")).content.decode()
    assert "Leaver0 Brambleworth" in page and "Record deletion" in page
    response = client.post(reverse("registers:leavers_deleted", args=[pupils[0].id]), {"deleted_on": "2026-03-02"})
    assert response.status_code == 302 and LeaverImagesDeletion.objects.get().pupil == pupils[0]
    sign_in(client, world.hana)  # not the named person: sees the list, cannot record
    page = client.get(reverse("registers:leavers")).content.decode()
    assert "Record deletion" not in page and "Only Diana Dsl records a deletion" in page
    page = client.post(reverse("registers:leavers_deleted", args=[pupils[1].id]),
                       {"deleted_on": "2026-03-02"}).content.decode()
    assert "Only the person named" in page and LeaverImagesDeletion.objects.count() == 1

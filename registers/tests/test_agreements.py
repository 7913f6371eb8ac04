"""Acceptable use agreements (rule I2): versions per audience (pupils by key stage), signatures, and who
has not signed this academic year's (1 September to 31 August)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from registers import actions, periods, status
from registers.actions import RegisterError
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db


def version(world, audience="staff", key_stage="", year=2025, **extra):
    fields = dict(user=world.diana, school=world.oakfield, audience=audience, key_stage=key_stage,
                  academic_year=year, version="2025", published_on=date(2025, 9, 1),
                  document_reference="Staff handbook")
    return actions.add_agreement_version(**fields | extra)


def test_r_i2_the_academic_year_runs_from_september_to_august():
    assert periods.academic_year(date(2025, 8, 31)) == 2024
    assert periods.academic_year(date(2025, 9, 1)) == 2025
    assert periods.academic_year(date(2026, 8, 31)) == 2025
    assert [periods.key_stage(y) for y in (0, 2, 3, 6, 7, 11, 12)] == ["ks1", "ks1", "ks2", "ks2", "ks3", "ks4", "ks5"]


@time_machine.travel("2025-10-01 10:00Z", tick=False)
def test_r_i2_pupils_sign_a_version_for_their_age(world):
    with pytest.raises(RegisterError, match="key stage"):
        version(world, audience="pupils")
    ks2 = version(world, audience="pupils", key_stage="ks2")
    parents = version(world, audience="parents", key_stage="ks2")  # a key stage is for pupils only
    assert ks2.key_stage == "ks2" and parents.key_stage == ""
    assert "Key stage 2" in ks2.label and "2025 to 2026" in ks2.label


@time_machine.travel("2025-10-01 10:00Z", tick=False)
def test_r_i2_who_has_not_signed_this_years_agreement(world):
    staff = version(world)
    old = version(world, year=2024, version="2024", published_on=date(2024, 9, 1))
    actions.record_signatures(user=world.diana, version=old, signed_on=date(2024, 9, 5), staff=[world.tom])
    actions.record_signatures(user=world.diana, version=staff, signed_on=date(2025, 9, 3),
                              staff=[world.diana, world.hana])
    # Last year's signature does not count this year; governors do not sign the staff agreement.
    assert [u.full_name for u in status.unsigned_staff(world.oakfield, 2025)] == ["Dev Deputy", "Terry Tech",
                                                                                   "Tom Teacher"]
    milo = make_pupil(world.oakfield, "Milo", "Bramblecott", "A999000000010", year_group=5)
    make_pupil(world.oakfield, "Gone", "Away", "A999000000011", year_group=5, left_on=date(2025, 7, 20))
    ks2 = version(world, audience="pupils", key_stage="ks2")
    actions.record_signatures(user=world.diana, version=ks2, signed_on=date(2025, 9, 10), pupils=[milo])
    assert list(status.unsigned_pupils(world.oakfield, 2025)) == [world.pupil]


@time_machine.travel("2025-10-01 10:00Z", tick=False)
def test_r_i2_signatures_are_for_this_schools_people_and_recorded_once(world):
    staff = version(world)
    with pytest.raises(RegisterError, match="staff of this school"):
        actions.record_signatures(user=world.diana, version=staff, signed_on=date(2025, 9, 3), staff=[world.eve])
    with pytest.raises(RegisterError, match="before it was issued"):
        actions.record_signatures(user=world.diana, version=staff, signed_on=date(2025, 8, 3), staff=[world.tom])
    assert len(actions.record_signatures(user=world.diana, version=staff, signed_on=date(2025, 9, 3),
                                         staff=[world.tom])) == 1
    assert len(actions.record_signatures(user=world.diana, version=staff, signed_on=date(2025, 9, 4),
                                         staff=[world.tom, world.dev])) == 1
    ks2 = version(world, audience="pupils", key_stage="ks2")
    with pytest.raises(RegisterError, match="pupils on roll"):
        actions.record_signatures(user=world.diana, version=ks2, signed_on=date(2025, 9, 3), pupils=[world.elm_pupil])
    visitors = version(world, audience="visitors")
    with pytest.raises(RegisterError, match="name"):
        actions.record_signatures(user=world.diana, version=visitors, signed_on=date(2025, 9, 3), signer_name=" ")
    made = actions.record_signatures(user=world.diana, version=visitors, signed_on=date(2025, 9, 3),
                                     signer_name="Bright Sparks Robotics Club")
    assert made[0].signer == "Bright Sparks Robotics Club"


@time_machine.travel("2025-10-01 10:00Z", tick=False)
def test_r_i2_recording_signatures_by_ticking_who_has_not_signed(client, world, django_assert_max_num_queries):
    ks2 = version(world, audience="pupils", key_stage="ks2")
    pupils = [make_pupil(world.oakfield, f"Pupil{n}", "Hazelmere", f"A99900000{n:04d}", year_group=5)
              for n in range(20, 40)]
    sign_in(client, world.diana)
    url = reverse("registers:agreement_sign", args=[ks2.id]) + "?year=5"
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert "Pupil20 Hazelmere" in page and "Quentin Puddlewick" in page
    response = client.post(url, {"signed_on": "2025-09-12", "pupils": [pupils[0].id, world.pupil.id]})
    assert response.status_code == 302
    assert ks2.signatures.count() == 2
    assert "Quentin Puddlewick" not in client.get(url).content.decode()
    with django_assert_max_num_queries(16):
        unsigned = client.get(reverse("registers:agreement_unsigned") + "?year=5").content.decode()
    assert "Pupil21 Hazelmere" in unsigned and "Pupil20 Hazelmere" not in unsigned
    with django_assert_max_num_queries(16):
        assert client.get(reverse("registers:agreements")).status_code == 200
    with django_assert_max_num_queries(16):
        assert "Pupil20 Hazelmere" in client.get(reverse("registers:agreement", args=[ks2.id])).content.decode()

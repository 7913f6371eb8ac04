"""Photo consent (rule I3): per pupil and per place, given by a parent or carer, renewed each academic
year, withdrawn in writing at any time (a new record, nothing overwritten), and a lookup that answers
yes or no with the reason. Reading a pupil's consents is audited (H2)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from registers import actions, status
from registers.actions import RegisterError
from registers.models import Place, PhotoConsent
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def consent(world, decision="given", on=date(2025, 9, 8), places=("website",), in_writing=True, pupil=None):
    return actions.record_photo_consent(user=world.diana, pupil=pupil or world.pupil, places=list(places),
                                        decision=decision, on=on, by_whom="Pat Puddlewick", in_writing=in_writing)


def answer(world, place, today):
    return next(a for a in status.photo_answers(list(world.pupil.photo_consents.all()), today) if a.place == place)


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i3_the_lookup_answers_yes_or_no_with_the_reason(world):
    today = date(2026, 3, 2)
    assert answer(world, "website", today).reason == "No consent recorded."
    consent(world, places=["website", "social_media"], on=date(2025, 9, 8))
    website = answer(world, "website", today)
    assert website.yes and website.reason == "Consent given on 8 September 2025 for this year (2025 to 2026)."
    consent(world, decision="withdrawn", places=["social_media"], on=date(2026, 2, 14))
    social = answer(world, "social_media", today)
    assert not social.yes and social.reason == "Consent withdrawn in writing on 14 February 2026."
    consent(world, decision="refused", places=["prospectus"], on=date(2025, 9, 8))
    assert answer(world, "prospectus", today).reason == "Consent refused on 8 September 2025."
    assert not answer(world, "display_off_site", today).yes


def test_r_i3_consent_expires_with_the_academic_year(world):
    with time_machine.travel("2025-06-01 10:00Z", tick=False):
        consent(world, on=date(2025, 6, 1))
        assert answer(world, "website", date(2025, 8, 31)).yes
    expired = answer(world, "website", date(2025, 9, 1))
    assert not expired.yes and expired.reason.startswith("Consent expired: it was given on 1 June 2025, for 2024 to")
    assert status.pupils_with_expired_consent(world.oakfield, date(2025, 9, 1)) == 1
    with time_machine.travel("2025-09-03 10:00Z", tick=False):
        consent(world, on=date(2025, 9, 3))  # renewed
    assert answer(world, "website", date(2025, 9, 3)).yes
    assert status.pupils_with_expired_consent(world.oakfield, date(2025, 9, 3)) == 0


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i3_withdrawal_is_in_writing_and_a_new_record(world):
    first = consent(world)[0]
    with pytest.raises(RegisterError, match="in writing"):
        consent(world, decision="withdrawn", in_writing=False, on=date(2026, 1, 5))
    consent(world, decision="withdrawn", on=date(2026, 1, 5))
    first.refresh_from_db()
    assert first.decision == "given"  # nothing overwritten
    assert list(PhotoConsent.objects.values_list("decision", flat=True)) == ["given", "withdrawn"]
    # Given again after the withdrawal: the latest answer decides.
    consent(world, on=date(2026, 2, 1))
    assert answer(world, "website", date(2026, 3, 2)).yes


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_h2_reading_a_pupils_consents_is_audited_before_the_page(client, world, django_assert_max_num_queries):
    consent(world, places=[p for p, _ in Place.choices])
    for n in range(10):
        consent(world, decision="withdrawn", on=date(2026, 1, 1 + n))
    sign_in(client, world.dev)
    url = reverse("registers:photo_pupil", args=[world.pupil.id]) + "?place=website"
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert "School website or blog: No" in page and "withdrawn in writing on 10 January 2026" in page
    event = AuditEvent.objects.get(object_type="pupil_photo_consent")
    assert event.action == "view" and event.object_id == str(world.pupil.id) and event.actor == world.dev


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i3_the_form_records_each_place_and_keeps_what_was_typed(client, world):
    sign_in(client, world.diana)
    url = reverse("registers:photo_record", args=[world.pupil.id])
    page = client.post(url, {"decision": "withdrawn", "places": ["website"], "on": "2026-02-01",
                             "by_whom": "Pat Puddlewick"}).content.decode()
    assert "withdrawn in writing" in page and 'value="Pat Puddlewick"' in page and not PhotoConsent.objects.exists()
    response = client.post(url, {"decision": "given", "places": ["website", "learning_platform"], "on": "2026-02-01",
                                 "by_whom": "Pat Puddlewick", "in_writing": "on"})
    assert response.status_code == 302 and PhotoConsent.objects.count() == 2


TEXT = st.text(max_size=40)
FORM = st.fixed_dictionaries({}, optional={
    "decision": st.one_of(st.sampled_from(["given", "refused", "withdrawn"]), TEXT),
    "places": st.lists(st.one_of(st.sampled_from([p for p, _ in Place.choices]), TEXT), max_size=9),
    "on": st.one_of(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)).map(str), TEXT),
    "by_whom": TEXT,
    "in_writing": st.sampled_from(["on", "", "false", "yes"]),
    "note": st.text(max_size=600),
})


@time_machine.travel("2026-03-02 10:00Z", tick=False)
@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=FORM)
def test_r_i3_the_form_never_fails_and_never_saves_a_bad_record(client, world, data):
    """Whatever is posted: a page with an error or a redirect, and every saved record keeps the rules."""
    sign_in(client, world.diana)
    before = PhotoConsent.objects.count()
    response = client.post(reverse("registers:photo_record", args=[world.pupil.id]), data)
    assert response.status_code in (200, 302)
    made = PhotoConsent.objects.order_by("id")[before:]
    if response.status_code == 200:
        assert not made and "There is a problem" in response.content.decode()
    for c in made:
        assert c.place in Place.values and c.on <= date(2026, 3, 2) and c.by_whom.strip()
        assert c.decision != "withdrawn" or c.in_writing

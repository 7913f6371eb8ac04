"""The pages of imagery cases: which adult member of staff an image shows (J3), and Report Remove or Take It Down
offered to each child, without the image (J5). Each has its access ladder: anonymous, another school, the wrong
role (the member of staff the image shows among them), the team that runs the case."""

import hashlib
import re
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases import actions
from cases.models import Takedown
from cases.tests.helpers import make_case
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db


def _deepfake(world, **kwargs):
    return make_case(world, "deepfake", children=kwargs.pop("children", [(world.pupil, "created")]), **kwargs)


# -- J3: the member of staff an image shows ------------------------------------------------------------------------

def test_j3_access_ladder_for_recording_who_the_image_shows(client, world):
    case = _deepfake(world)
    url = reverse("cases:depicted_staff", args=[case.id])
    clear = reverse("cases:depicted_staff_clear", args=[case.id])
    assert client.get(url).status_code == 302  # anonymous: to sign in
    for outsider in (world.eve, world.tom, world.gina):  # another school; staff and governors do not run cases
        sign_in(client, outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"user": world.hana.id}).status_code == 404
        assert client.post(clear, {"reason": "Wrong person."}).status_code == 404
    actions.record_depicted_staff(user=world.diana, case=case, staff=world.dev)
    sign_in(client, world.dev)  # a deputy DSL, but the person the image shows: kept out, as a stranger would be
    assert client.get(url).status_code == 404
    assert client.post(clear, {"reason": "It is not me."}).status_code == 404
    case.refresh_from_db()
    assert case.depicted_staff == world.dev
    sign_in(client, world.diana)
    assert client.get(url).status_code == 200
    # A case whose procedure does not ask about staff has no such page.
    nudes = make_case(world, "nudes-sharing")
    assert client.get(reverse("cases:depicted_staff", args=[nudes.id])).status_code == 404


def test_j3_the_dsl_records_who_the_image_shows_from_a_picker_and_the_case_page_shows_them_and_their_deadlines(
        client, world):
    case = _deepfake(world)
    sign_in(client, world.diana)
    page = client.get(reverse("cases:depicted_staff", args=[case.id])).content.decode()
    assert "Tom Teacher — Member of staff" in page or re.search(r"Tom Teacher — [A-Z]", page)
    assert "will not see this case unless you add them" in page
    assert "Gina Governor" not in page  # governors are not staff shown in an image
    response = client.post(reverse("cases:depicted_staff", args=[case.id]),
                           {"user": world.tom.id, "reason": "The pupils named him when they were spoken to."},
                           follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/cases/{case.id}/#staff-shown")
    body = response.content.decode()
    assert "They will not see this case unless you add them" in body
    case.refresh_from_db()
    assert case.depicted_staff == world.tom and case.facts["depicts_staff_member"] is True
    section = body[body.index('id="staff-shown"'):body.index('id="concerns"')]
    assert re.search(r"Tom Teacher — \w", section)
    for key in ("staff_support", "staff_police_report"):
        step = case.tasks.get(key=key)
        assert step.title in section
        from harbour.jinja2 import local_datetime

        assert local_datetime(step.due_at) in section
    assert "Reason: The pupils named him" in case.entries.filter(kind="person").last().text


def test_j3_the_next_step_is_offered_only_where_the_answers_say_a_member_of_staff_is_shown(client, world):
    case = _deepfake(world)
    sign_in(client, world.diana)
    detail = reverse("cases:detail", args=[case.id])
    link = reverse("cases:depicted_staff", args=[case.id])
    body = client.get(detail).content.decode()
    assert "Not known yet whether the image shows an adult member of staff" in body and link in body
    assert "harbour-next-staff" not in body  # not yet a next step: the answer is not known
    actions.update_answers(user=world.diana, case=case, facts={**case.facts, "depicts_staff_member": True})
    body = client.get(detail).content.decode()
    assert "harbour-next-staff" in body and "Record which member of staff the image shows" in body
    actions.update_answers(user=world.diana, case=case, facts={**case.facts, "depicts_staff_member": False})
    body = client.get(detail).content.decode()
    assert link not in body and 'id="staff-shown"' not in body  # answered no: not asked again


def test_j3_changing_who_the_image_shows_needs_a_reason_kept_beside_the_box_and_is_audited(client, world):
    case = _deepfake(world)
    actions.record_depicted_staff(user=world.diana, case=case, staff=world.tom)
    sign_in(client, world.diana)
    url = reverse("cases:depicted_staff", args=[case.id])
    page = client.get(url).content.decode()
    assert f'<option value="{world.tom.id}" selected' in page  # what is recorded is shown, not asked again
    response = client.post(url, {"user": world.hana.id, "reason": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "Say why the image shows Hana Head rather than Tom Teacher" in body
    assert f'<option value="{world.hana.id}" selected' in body  # the choice is kept
    case.refresh_from_db()
    assert case.depicted_staff == world.tom
    client.post(url, {"user": world.hana.id, "reason": "Tom was named by mistake; it is Hana."})
    case.refresh_from_db()
    assert case.depicted_staff == world.hana
    assert "recorded before as Tom Teacher" in case.entries.filter(kind="person").last().text
    # Taking it away: refused without a reason, beside its box; with one, recorded and audited.
    clear = reverse("cases:depicted_staff_clear", args=[case.id])
    body = client.post(clear, {"reason": ""}).content.decode()
    assert "Say why this is being taken away" in body and 'href="#clear-reason"' in body
    client.post(clear, {"reason": "The image shows nobody who works here."})
    case.refresh_from_db()
    assert case.depicted_staff is None
    assert "Reason: The image shows nobody who works here." in case.entries.filter(kind="person").last().text
    changes = AuditEvent.objects.filter(object_type="case", object_id=str(case.id), action="update",
                                        detail__fields=["depicted_staff"])
    assert changes.count() == 3


# -- J5: Report Remove and Take It Down ----------------------------------------------------------------------------

def test_j5_access_ladder_for_the_takedown_pages(client, world):
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured")])
    urls = [reverse("cases:takedown", args=[case.id]), reverse("cases:takedown_child", args=[case.id, world.pupil.id])]
    for url in urls:
        client.logout()
        assert client.get(url).status_code == 302
    for outsider in (world.eve, world.tom, world.hana):  # another school; staff; a headteacher does not run it
        sign_in(client, outsider)
        for url in urls:
            assert client.get(url).status_code == 404
        assert client.post(urls[1], {"service": "report_remove", "choice": "does_not"}).status_code == 404
    # The member of staff a deepfake shows, though a deputy DSL, is kept from its takedown pages too.
    deepfake = _deepfake(world, children=[(world.pupil, "pictured")])
    actions.record_depicted_staff(user=world.diana, case=deepfake, staff=world.dev)
    sign_in(client, world.dev)
    assert client.get(reverse("cases:takedown", args=[deepfake.id])).status_code == 404
    assert client.get(reverse("cases:takedown_child", args=[deepfake.id, world.pupil.id])).status_code == 404
    sign_in(client, world.diana)
    for url in urls:
        assert client.get(url).status_code == 200
    # A child not on the case, or a case not about imagery, has no such page.
    other = make_pupil(world.oakfield, "Ola", "Other", "A999000000401", year_group=8)
    assert client.get(reverse("cases:takedown_child", args=[case.id, other.id])).status_code == 404
    bullying = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    assert client.get(reverse("cases:takedown", args=[bullying.id])).status_code == 404


def test_j5_the_form_suggests_report_remove_under_18_and_take_it_down_only_from_18(client, world):
    older = make_pupil(world.oakfield, "Olu", "Older", "A999000000402", year_group=13,
                       date_of_birth=date(date.today().year - 19, 1, 1))
    case = make_case(world, "sextortion", children=[(world.pupil, "pictured"), (older, "pictured")])
    sign_in(client, world.diana)
    young_page = client.get(reverse("cases:takedown_child", args=[case.id, world.pupil.id])).content.decode()
    assert "is under 18" in young_page
    assert re.search(r'value="report_remove" checked', young_page)
    assert 'value="both"' in young_page
    older_page = client.get(reverse("cases:takedown_child", args=[case.id, older.id])).content.decode()
    assert "18 or over" in older_page and 'value="report_remove"' not in older_page
    assert re.search(r'value="take_it_down" checked', older_page)
    for page in (young_page, older_page):
        assert "Harbour never sees or stores the image, or its hash" in page


def test_j5_a_hash_in_the_notes_is_refused_beside_the_box_with_everything_else_kept(client, world):
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured")])
    sign_in(client, world.diana)
    url = reverse("cases:takedown_child", args=[case.id, world.pupil.id])
    digest = hashlib.sha256(b"a picture").hexdigest()
    response = client.post(url, {"service": "take_it_down", "choice": "wants_help", "outcome": "reported",
                                 "notes": f"Take It Down gave {digest}"})
    body = response.content.decode()
    assert response.status_code == 200 and "never keeps the image or its hash" in body
    assert 'href="#notes"' in body and 'id="notes-error"' in body
    for kept in ('value="take_it_down" checked', 'value="wants_help" checked', 'value="reported" checked'):
        assert kept in body
    assert not Takedown.objects.exists()


def test_j5_each_record_is_added_with_its_history_shown_and_the_step_ticks_itself(client, world):
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured")])
    step = case.tasks.get(key="short_term.4")
    sign_in(client, world.diana)
    detail = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert reverse("cases:takedown", args=[case.id]) in detail  # reached from the step on the case page
    url = reverse("cases:takedown_child", args=[case.id, world.pupil.id])
    response = client.post(url, {"service": "report_remove", "choice": "undecided", "outcome": "not_known",
                                 "notes": "Talked it through with the form tutor present."})
    assert response.status_code == 302 and response.url == reverse("cases:takedown", args=[case.id])
    step.refresh_from_db()
    assert not step.is_open
    client.post(url, {"service": "report_remove", "choice": "wants_to_use", "outcome": "removed", "notes": ""})
    assert Takedown.objects.filter(case=case, pupil=world.pupil).count() == 2
    page = client.get(reverse("cases:takedown", args=[case.id])).content.decode()
    assert "Every record for Quentin Puddlewick" in page
    assert "Talked it through with the form tutor present." in page and "Wants to use it" in page
    detail = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "wants to use it; outcome removed" in detail


def test_j3_j5_a_closed_case_sends_the_team_back_to_what_is_recorded(client, world):
    case = _deepfake(world, children=[(world.pupil, "pictured")])
    case.status, case.closed_at, case.summary, case.lessons_learnt = "closed", case.opened_at, "Done.", "None."
    case.save()
    sign_in(client, world.diana)
    response = client.get(reverse("cases:depicted_staff", args=[case.id]))
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.id])
    response = client.get(reverse("cases:takedown_child", args=[case.id, world.pupil.id]))
    assert response.status_code == 302 and response.url == reverse("cases:takedown", args=[case.id])
    page = client.get(reverse("cases:takedown", args=[case.id])).content.decode()
    assert "Record the offer" not in page

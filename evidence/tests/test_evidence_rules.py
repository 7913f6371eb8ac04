"""Evidence without imagery: the refusals that protect the child and the record (C5, C7, C9, D1, D2, E7)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions as case_actions
from cases.actions import CaseError
from cases.tests.helpers import make_case
from evidence import actions
from evidence.actions import DELETION_SCOPE
from evidence.models import CustodyStep, ParentContact
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world)


def phone(world, case, **extra):
    return actions.record_device(user=world.diana, case=case, owner="Quentin Puddlewick", make="Phone X",
                                 isolation="flight_mode", holder="secure_place", where_or_who="DSL office safe",
                                 **extra)


def test_r_c5_custody_chain_has_exactly_one_current_holder(world, case):
    device = phone(world, case)
    assert device.current.holder == "secure_place"
    with pytest.raises(CaseError, match="police reference"):
        actions.move_device(user=world.diana, device=device, holder="police", where_or_who="PC Jones")
    actions.move_device(user=world.diana, device=device, holder="police", where_or_who="PC Jones",
                        police_reference="CR/2026/77")
    assert device.custody.count() == 2 and device.custody.filter(is_current=True).count() == 1
    assert device.current.police_reference == "CR/2026/77"
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyStep.objects.create(device=device, holder="staff", where_or_who="x", at=timezone.now(),
                                   by=world.diana, is_current=True)
    assert AuditEvent.objects.filter(object_type="custody_step").count() == 2
    assert case.entries.filter(rules=["C5"]).count() == 2


def test_r_c9_a_staff_device_is_quarantined_until_police_advise(world, case):
    device = phone(world, case, staff_device=True)
    assert device.quarantined
    with pytest.raises(CaseError, match="quarantined"):
        actions.move_device(user=world.diana, device=device, holder="owner", where_or_who="Mr Smith")
    advice = dict(adviser="PC Amir Shah, Thames Valley Police", advised_at=timezone.now() - timedelta(hours=1),
                  advice="Examined; nothing found. Return it to its owner.", reason="The police need nothing more.")
    with pytest.raises(CaseError) as refused:
        actions.release_quarantine(user=world.diana, device=device, **{**advice, "adviser": " ", "advice": "",
                                                                       "reason": "", "advised_at": None})
    assert set(refused.value.message_dict) == {"adviser", "advice", "reason", "advised_at"}
    with pytest.raises(CaseError, match="not in the future"):
        actions.release_quarantine(user=world.diana, device=device,
                                   **{**advice, "advised_at": timezone.now() + timedelta(hours=1)})
    device.refresh_from_db()
    assert device.quarantined  # every refusal left it quarantined
    release = actions.release_quarantine(user=world.diana, device=device, police_reference="TVP-2026-0042", **advice)
    device.refresh_from_db()
    assert not device.quarantined and device.release == release
    assert (release.adviser, release.police_reference, release.recorded_by) == (
        "PC Amir Shah, Thames Valley Police", "TVP-2026-0042", world.diana)
    entry = case.entries.last()
    assert entry.rules == ["C9", "B10"] and "PC Amir Shah" in entry.text and "nothing more" in entry.text
    event = AuditEvent.objects.filter(object_type="device", object_id=str(device.id), action="update").get()
    assert event.detail == {"release": release.id, "rule": "C9"}
    actions.move_device(user=world.diana, device=device, holder="owner", where_or_who="Mr Smith")
    with pytest.raises(CaseError, match="not quarantined"):
        actions.release_quarantine(user=world.diana, device=device, **advice)


def test_r_c9_h3_only_the_team_running_the_case_releases_a_device(world, case):
    """The action checks the policy itself, so no caller can release a device around it."""
    from accounts.policy import Refused

    device = phone(world, case, staff_device=True)
    advice = dict(adviser="PC Shah", advised_at=timezone.now(), advice="Return it.", reason="Nothing more needed.")
    for stranger in (world.terry, world.hana, world.tom, world.eve, world.otto):
        with pytest.raises(Refused):
            actions.release_quarantine(user=stranger, device=device, **advice)
    device.refresh_from_db()
    assert device.quarantined


def test_r_d1_not_telling_parents_needs_an_agency_and_a_reason(world, case):
    with pytest.raises(CaseError, match="social care or the police"):
        actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=False,
                                      reason="Risk at home.")
    with pytest.raises(CaseError, match="reason"):
        actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=False,
                                      agreed_with="csc", reason=" ")
    contact = actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=False,
                                            agreed_with="csc", reason="Telling them could put the child at risk.")
    assert case.entries.filter(kind="decision").last().rules == ["D1", "B10"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ParentContact.objects.create(case=case, pupil=world.pupil, informed=False, agreed_with="", reason="",
                                     recorded_by=world.diana, recorded_at=timezone.now())
    assert contact.agreed_with == "csc"


def test_r_d2_parents_told_with_how_the_child_took_part(world, case):
    with pytest.raises(CaseError, match="when"):
        actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=True)
    actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=True,
                                  informed_at=timezone.now(), how="Phone call to mum",
                                  child_involvement="Quentin chose to be in the room and told her himself.")
    assert "told her himself" in case.entries.filter(kind="note").last().text
    with pytest.raises(CaseError, match="named in this case"):
        actions.record_parent_contact(user=world.diana, case=case, pupil=world.elm_pupil, informed=True,
                                      informed_at=timezone.now())


def deletion(world, case, **extra):
    values = dict(user=world.diana, case=case, pupil=world.pupil, deadline=timezone.now() + timedelta(days=2),
                  scope=DELETION_SCOPE, illegal_reminder_given=True, consequence_explained=True)
    return actions.request_deletion(**{**values, **extra})


def test_r_c7_no_deletion_while_a_referral_exists_or_is_required(world, case):
    case_actions.update_answers(user=world.diana, case=case, facts={"B2.1": True})
    case.refresh_from_db()
    with pytest.raises(CaseError, match="referral"):
        deletion(world, case)
    case_actions.record_referral(
        user=world.diana, case=case, agency="police", route="police_101", made_at=timezone.now()
    )
    with pytest.raises(CaseError, match="has a referral"):
        deletion(world, case)


def test_r_c7_deletion_needs_reminder_scope_and_deadline(world, case):
    with pytest.raises(CaseError, match="illegal"):
        deletion(world, case, illegal_reminder_given=False)
    with pytest.raises(CaseError, match="everywhere"):
        deletion(world, case, scope=["devices"])
    with pytest.raises(CaseError, match="future"):
        deletion(world, case, deadline=timezone.now() - timedelta(hours=1))
    request = deletion(world, case)
    assert request.task.due_at == request.deadline and request.task.rules == ["C7"]
    with pytest.raises(CaseError, match="how"):
        actions.confirm_deletion(user=world.diana, deletion=request, confirmed=True, how="")
    actions.confirm_deletion(user=world.diana, deletion=request, confirmed=True,
                             how="Quentin showed the DSL the empty gallery, cloud and chat.")
    request.task.refresh_from_db()
    assert request.state == "confirmed" and request.task.result == "done"


def test_r_c7_e7_an_overdue_deletion_deadline_escalates(world, case):
    request = deletion(world, case)
    assert case_actions.escalate_task(task_id=request.task_id, now=request.deadline + timedelta(minutes=1))
    assert Notification.objects.filter(user=world.dev, text__contains="overdue").exists()
    assert "Confirm Quentin Puddlewick has deleted" in case.entries.filter(kind="escalation").get().text


def test_case_page_shows_each_device_with_its_current_holder(client, world, case):
    from django.urls import reverse

    from tests.people import sign_in

    device = phone(world, case)
    actions.move_device(user=world.diana, device=device, holder="police", where_or_who="PC Jones",
                        police_reference="CR/2026/77")
    actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=False, agreed_with="police",
                                  reason="Police asked us to wait while they speak to the family.")
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "Handed to the police: PC Jones (police reference CR/2026/77)" in page
    assert "not told, agreed with police: Police asked us to wait" in page

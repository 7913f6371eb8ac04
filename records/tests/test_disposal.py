"""Disposal (H4): two people, a signature, everything under the case removed in one transaction,
a tombstone left with no name or narrative; the chronology refuses any other deletion."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from audit.log import verify_trail
from audit.models import AuditEvent
from cases import actions as case_actions
from cases.models import Case, Entry
from cases.tests.helpers import code_for
from concerns.models import Concern, ConcernChild
from evidence import actions as evidence_actions
from evidence.models import CustodyStep, Device
from records import actions, disposal
from records.actions import RecordsError
from records.models import DisposalRequest, Tombstone
from records.tests.helpers import closed_case, grown_up
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_case(world):
    olive = grown_up(world)
    return closed_case(world, children=[(olive, "harmed")],
                       account="Olive Marchbank said Zed Quillfeather posted cruel messages about her.")


def approve(world, request, user=None):
    user = user or world.hana
    return actions.approve_disposal(user=user, request=request, password=PASSWORD, code=code_for(user))


def test_r_h4_a_request_needs_a_reason_and_a_due_record(world, due_case):
    with pytest.raises(RecordsError, match="reason"):
        actions.request_disposal(user=world.diana, case=due_case, reason="  ")
    young = closed_case(world)  # Quentin, born 2012: kept until 2037
    with pytest.raises(RecordsError, match="must be kept until 4 May 2037"):
        actions.request_disposal(user=world.diana, case=young, reason="Tidy up")
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its retention date.")
    assert request.rule == "child-protection" and request.retention_date == date(2013, 2, 28)
    with pytest.raises(RecordsError, match="already been asked"):
        actions.request_disposal(user=world.diana, case=due_case, reason="Again")
    assert AuditEvent.objects.filter(object_type="disposal_request", object_id=str(request.id)).exists()


def test_r_h4_an_open_case_is_never_disposed_of(world):
    from cases.tests.helpers import make_case

    case = make_case(world, children=[(grown_up(world), "harmed")])
    with pytest.raises(RecordsError, match="open"):
        actions.request_disposal(user=world.diana, case=case, reason="Old")


def test_r_h4_the_person_who_asked_cannot_approve(world, due_case):
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    with pytest.raises(RecordsError, match="different person"):
        approve(world, request, user=world.diana)
    assert Case.objects.filter(id=due_case.id).exists()


def test_r_h4_approval_needs_the_password_and_a_code(world, due_case):
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    with pytest.raises(RecordsError, match="password or code"):
        actions.approve_disposal(user=world.hana, request=request, password=PASSWORD, code="000000")
    with pytest.raises(RecordsError, match="password or code"):
        actions.approve_disposal(user=world.hana, request=request, password="wrong", code=code_for(world.hana))
    assert Case.objects.filter(id=due_case.id).exists()


def test_r_h4_the_approver_needs_sign_off_capability(world, due_case):
    from django.http import Http404

    request = actions.request_disposal(user=world.hana, case=due_case, reason="Past its date.")
    with pytest.raises(Http404):  # the deputy DSL does not manage records
        approve(world, request, user=world.dev)


def test_r_h4_disposal_removes_the_case_and_everything_under_it_and_leaves_a_tombstone(world, due_case):
    concern_ids = list(due_case.concerns.values_list("id", flat=True))
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Olive Marchbank left in 2006.")
    tombstone = approve(world, request)

    assert not Case.objects.filter(id=due_case.id).exists()
    assert not Entry.objects.filter(case_id=due_case.id).exists()
    assert not Concern.objects.filter(id__in=concern_ids).exists()
    assert not ConcernChild.objects.filter(concern_id__in=concern_ids).exists()
    assert tombstone.reference == due_case.reference and tombstone.rule == "child-protection"
    assert (tombstone.requested_by, tombstone.approved_by) == (world.diana, world.hana)
    request.refresh_from_db()
    assert request.state == "approved" and "Marchbank" not in request.reason and "[another child]" in request.reason

    event = AuditEvent.objects.get(action="delete", object_type="case", object_id=str(due_case.id))
    assert event.detail["tombstone"] == tombstone.id and event.detail["rule"] == "child-protection"
    assert verify_trail()[1] is None  # the trail is intact: nothing in it was touched


def test_r_h4_the_tombstone_and_trail_hold_no_name_or_narrative(world, due_case):
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    approve(world, request)
    trail = " ".join(f"{e.detail} {e.changed_fields} {e.object_id}" for e in AuditEvent.objects.all())
    tombstones = " ".join(str(v) for t in Tombstone.objects.values() for v in t.values())
    for secret in ("Olive", "Marchbank", "Quillfeather", "cruel messages", "Group chat unkindness",
                   "Check group chats sooner"):
        assert secret not in trail and secret not in tombstones, secret


def test_r_h4_a_reopening_or_membership_reason_does_not_survive_disposal(world, due_case):
    case_actions.reopen_case(user=world.diana, case=due_case, reason="Zed Quillfeather messaged again.")
    case_actions.add_member(user=world.diana, case=due_case, member=world.tom, reason="Quillfeather's form tutor.")
    from records.tests.helpers import close

    close(world, due_case)
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    approve(world, request)
    trail = " ".join(str(e.detail) for e in AuditEvent.objects.all())
    assert "Quillfeather" not in trail


def test_r_h4_disposal_removes_evidence_members_and_custody_in_the_right_order(world):
    """Devices and custody steps (PROTECT to the case), people added, tasks: all go, leaves first."""
    from cases.tests.helpers import make_case
    from records.tests.helpers import close

    olive = grown_up(world)
    case = make_case(world, "cyberbullying", children=[(olive, "harmed")])
    device = evidence_actions.record_device(user=world.diana, case=case, owner="Olive", make="Phone",
                                            isolation="switched_off", holder="secure_place", where_or_who="Safe")
    case_actions.add_member(user=world.diana, case=case, member=world.tom, reason="Form tutor.")
    item = evidence_actions.record_evidence(user=world.diana, case=case, kind="web_address",
                                            value="https://example.com/post/1")
    case = close(world, case)
    request = actions.request_disposal(user=world.diana, case=case, reason="Past its date.",
                                       today=date(2100, 1, 1))
    import time_machine

    with time_machine.travel("2100-01-02"):
        approve(world, request)
    assert not Device.objects.filter(id=device.id).exists()
    assert not CustodyStep.objects.filter(device_id=device.id).exists()
    assert not type(item).objects.filter(id=item.id).exists()
    from cases.models import CaseMember, ReviewMeeting, Task

    for model in (CaseMember, ReviewMeeting, Task):
        assert not model.objects.filter(case_id=case.id).exists(), model


def test_r_h4_the_chronology_refuses_deletion_without_an_approved_disposal(world, due_case):
    with pytest.raises(Exception, match="approved disposal"), transaction.atomic():
        Entry.objects.filter(case=due_case).delete()
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    with pytest.raises(Exception, match="approved disposal"), transaction.atomic():
        Entry.objects.filter(case=due_case).delete()  # asked for is not approved
    assert request.state == "pending" and Entry.objects.filter(case=due_case).exists()


def test_r_h4_the_chronology_is_still_never_edited(world, due_case):
    entry = due_case.entries.first()
    entry.text = "rewritten"
    with pytest.raises(Exception, match="never edited"), transaction.atomic():
        entry.save()


def test_r_h4_two_people_is_a_database_constraint(world, due_case):
    from django.utils import timezone

    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    with pytest.raises(IntegrityError), transaction.atomic():
        DisposalRequest.objects.filter(id=request.id).update(state="approved", decided_by=world.diana,
                                                             decided_at=timezone.now())


def test_a_declined_request_keeps_the_record_and_allows_a_new_request(world, due_case):
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    with pytest.raises(RecordsError, match="why"):
        actions.decline_disposal(user=world.hana, request=request, reason="")
    actions.decline_disposal(user=world.hana, request=request, reason="A police enquiry is still open.")
    request.refresh_from_db()
    assert request.state == "declined" and Case.objects.filter(id=due_case.id).exists()
    with pytest.raises(RecordsError, match="no longer waiting"):
        approve(world, request)
    assert actions.request_disposal(user=world.diana, case=due_case, reason="Enquiry closed.").state == "pending"


def test_r_h4_nothing_is_deleted_automatically(world, due_case):
    """Listing the queue changes nothing: only an approved request removes a record."""
    rows = disposal.disposal_queue(world.diana, world.oakfield, date.today())
    assert [r.case.id for r in rows] == [due_case.id]
    assert Case.objects.filter(id=due_case.id).exists()


def test_every_model_pointing_at_a_case_or_concern_is_removed_with_it():
    """The removal walks the model graph, so a model another app adds later cannot block a disposal
    (PROTECT) or outlive it; this names any relation the walk would skip."""
    from django.apps import apps
    from django.db import models

    walked = {rel for model in (Case, Concern) for rel in disposal._reverse_relations(model)}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in (Case, Concern) and f.remote_field.on_delete is not models.SET_NULL:
                assert f.remote_field in walked, f"{model.__name__}.{f.name}"
    assert len(walked) >= 10


def test_r_h4_a_staff_date_of_birth_goes_with_the_last_allegation_about_them(world):
    from django.utils import timezone

    from records.models import StaffBirthDate

    allegation = closed_case(world, "staff-allegation", subject_staff=world.tom, closed_on=date(2005, 1, 4))
    actions.record_staff_birth_date(user=world.hana, case=allegation, date_of_birth=date(1940, 1, 1))
    assert disposal.retention_of_case(allegation).until == date(2015, 1, 4)  # 10 years after closure is later
    request = actions.request_disposal(user=world.hana, case=allegation, reason="Past its date.")
    assert request.rule == "staff-allegation"
    assert timezone.localdate() > request.retention_date
    approve(world, request, user=world.lena)  # the trust lead is the second person for an allegation
    assert not StaffBirthDate.objects.filter(user=world.tom).exists()

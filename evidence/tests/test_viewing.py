"""Imagery viewing records (C1–C4, C6): refused without a lawful reason or a witness; signed by both."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions as case_actions
from cases.actions import CaseError
from cases.tests.helpers import code_for, make_case
from evidence import actions
from evidence.models import Viewing
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world)


def view(world, case, **extra):
    values = dict(user=world.diana, case=case, reason="decide_agencies", no_distress=True,
                  consulted="Headteacher", viewer=world.diana, witness=world.dev, place="DSL office, door closed",
                  on_premises_in_private=True, same_sex=True, not_same_sex_reason="",
                  result="Referred to children's social care.", already_copied=False, viewed_at=timezone.now())
    return actions.record_viewing(**{**values, **extra})


@pytest.mark.parametrize("bad, message", [
    ({"reason": "curiosity"}, "three reasons"),
    ({"no_distress": False}, "distress"),
    ({"consulted": ""}, "senior colleagues"),
    ({"witness": None}, "witness"),
    ({"on_premises_in_private": False}, "premises"),
    ({"same_sex": False}, "same sex"),
    ({"viewer": "tom"}, "safeguarding team"),
])
def test_r_c1_c2_viewing_is_refused_without_its_conditions(world, case, bad, message):
    if bad.get("witness", 1) is None:
        bad = {"witness": world.diana}
    if bad.get("viewer") == "tom":
        bad = {"viewer": world.tom}
    with pytest.raises(CaseError, match=message):
        view(world, case, **bad)
    assert not Viewing.objects.exists()


def test_r_c1_only_a_lawful_reason_can_be_stored(world, case):
    viewing = view(world, case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Viewing.objects.filter(id=viewing.id).update(reason="other")


def test_r_c3_signed_by_viewer_and_witness_with_password_and_code(world, case):
    viewing = view(world, case)
    assert any("signatures" in b for b in case_actions.closure_blockers(case))
    with pytest.raises(CaseError, match="Only the viewer and the witness"):
        actions.sign_viewing(user=world.hana, viewing=viewing, password=PASSWORD, code=code_for(world.hana))
    with pytest.raises(CaseError, match="password or code"):
        actions.sign_viewing(user=world.dev, viewing=viewing, password="wrong wrong wrong", code=code_for(world.dev))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        actions.sign_viewing(user=world.diana, viewing=viewing, password=PASSWORD, code=code_for(world.diana))
        actions.sign_viewing(user=world.dev, viewing=viewing, password=PASSWORD, code=code_for(world.dev))
    viewing.refresh_from_db()
    assert viewing.state == "signed"
    assert AuditEvent.objects.filter(action="sign", object_type="viewing").count() == 2
    assert not any("signatures" in b for b in case_actions.closure_blockers(case))


def test_r_c4_c6_copied_imagery_prompts_police_advice_and_viewers_are_offered_support(world, case):
    view(world, case, already_copied=True, same_sex=False, not_same_sex_reason="No male DSL available today.")
    titles = list(case.tasks.filter(key__startswith="viewing.").values_list("title", flat=True))
    assert any("seek police advice" in t for t in titles)
    assert any("Offer emotional support to Diana Dsl and Dev Deputy" in t for t in titles)

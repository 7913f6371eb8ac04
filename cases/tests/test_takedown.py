"""J5: takedown without the image. On an imagery case the DSL offers Report Remove or Take It Down; the case records
that it was offered, the child's choice and the outcome, never the image or a hash."""

import hashlib

import pytest

from advice import schema as advice_schema
from audit.models import AuditEvent
from cases import actions
from cases.actions.common import CaseError
from cases.models import IMAGERY_PROCEDURES, Takedown
from cases.tests.helpers import make_case
from procedures import schema

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("procedure_id", IMAGERY_PROCEDURES)
def test_j5_every_imagery_procedure_has_the_step_that_offers_report_remove_or_take_it_down(procedure_id):
    steps = [t for t in schema.get(procedure_id)["tasks"] if "takedown_recorded" in t["done_when"]]
    assert len(steps) == 1
    title = steps[0]["title"]
    assert "Report Remove" in title and "Take It Down" in title and "never the image or a hash" in title
    assert "J5" in steps[0]["rules"]


def test_j5_the_offer_the_childs_choice_and_the_outcome_are_recorded_and_tick_the_step(world):
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured")])
    step = case.tasks.get(key="short_term.4")
    assert "Report Remove" in step.title and step.is_open
    takedown = actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, choice="undecided")
    step.refresh_from_db()
    assert not step.is_open and step.result == "done"
    actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, choice="take_it_down",
                            notes="They chose to do it at home with their mum and the form tutor's help.")
    actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, choice="take_it_down",
                            outcome="removed", notes="The app told them it is blocked.")
    takedown.refresh_from_db()
    assert (takedown.choice, takedown.outcome, takedown.offered_by) == ("take_it_down", "removed", world.diana)
    assert Takedown.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(object_type="takedown", object_id=str(takedown.id)).count() == 3
    entries = [e.text for e in case.entries.filter(text__contains="Take It Down")]
    assert any("Their choice: Take It Down. Outcome: Taken down or blocked." in e for e in entries)


def test_j5_a_hash_or_an_image_is_never_kept(world):
    case = make_case(world, "sextortion", children=[(world.pupil, "pictured")])
    digest = hashlib.sha256(b"anything").hexdigest()
    with pytest.raises(CaseError, match="never keeps the image or its hash"):
        actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, choice="take_it_down",
                                notes=f"Hash {digest}")
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    with pytest.raises(CaseError):
        actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, choice="report_remove", notes=png)
    assert not Takedown.objects.exists()
    assert {f.name for f in Takedown._meta.get_fields()} >= {"choice", "outcome", "notes"}
    assert not {"image", "hash", "file"} & {f.name for f in Takedown._meta.get_fields()}


def test_j5_only_for_imagery_cases_and_children_named_on_the_case_by_the_team_that_runs_it(world):
    from django.http import Http404

    from tests.people import make_pupil

    bullying = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    with pytest.raises(CaseError, match="imagery"):
        actions.record_takedown(user=world.diana, case=bullying, pupil=world.pupil, choice="neither")
    case = make_case(world, "deepfake", children=[(world.pupil, "pictured")])
    stranger = make_pupil(world.oakfield, "Ada", "Elsewhere", "A999000000399", year_group=8)
    with pytest.raises(CaseError, match="named on this case"):
        actions.record_takedown(user=world.diana, case=case, pupil=stranger, choice="neither")
    with pytest.raises(Http404):
        actions.record_takedown(user=world.tom, case=case, pupil=world.pupil, choice="neither")


def test_j5_the_advice_says_what_each_service_does_and_that_harbour_never_sees_the_image_or_the_hash():
    scripts = advice_schema.read_scripts()
    for script_id in ("imagery-shared-child", "imagery-shared-parent", "sextortion-child", "sextortion-parent",
                      "groomed-child", "groomed-parent"):
        text = " ".join(scripts[script_id]["paragraphs"])
        assert "under 18" in text and "Internet Watch Foundation" in text
        assert "never leaves" in text  # Take It Down works on the child's own device
        assert "Harbour" in text and ("sees your picture or the code" in text or "ever sees the image" in text)
        assert "choose" in text or "decides" in text  # the child decides, with support

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


def test_j5_the_offer_the_childs_choice_and_the_outcome_are_appended_and_tick_the_step(world):
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured")])
    step = case.tasks.get(key="short_term.4")
    assert "Report Remove" in step.title and step.is_open
    first = actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, service="report_remove",
                                    choice="undecided")
    step.refresh_from_db()
    assert not step.is_open and step.result == "done"
    actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, service="take_it_down",
                            choice="wants_help", notes="They chose to do it at home with their mum and the form tutor.")
    actions.record_takedown(user=world.dev, case=case, pupil=world.pupil, service="take_it_down",
                            choice="wants_help", outcome="removed", notes="The app told them it is blocked.")
    # Appended, never overwritten: the first record is as it was, and the latest says where things stand.
    rows = list(Takedown.objects.filter(case=case, pupil=world.pupil))
    assert [(r.service, r.choice, r.outcome) for r in rows] == [
        ("report_remove", "undecided", "not_known"), ("take_it_down", "wants_help", "not_known"),
        ("take_it_down", "wants_help", "removed")]
    assert rows[0].id == first.id and rows[-1].recorded_by == world.dev
    assert AuditEvent.objects.filter(object_type="takedown", object_id__in=[str(r.id) for r in rows]).count() == 3
    entries = [e.text for e in case.entries.filter(text__contains="Take It Down")]
    assert any("Their choice: wants help to use it. Outcome: removed." in e for e in entries)
    # The step was ticked once, by the first record.
    assert case.entries.filter(text__startswith="Step done: Offer").count() == 1


def test_j5_the_step_ticks_itself_only_once_every_child_shown_in_the_imagery_has_a_record(world):
    from tests.people import make_pupil

    ada = make_pupil(world.oakfield, "Ada", "Brook", "A999000000311", year_group=9)
    ben = make_pupil(world.oakfield, "Ben", "Cole", "A999000000312", year_group=9)
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured"), (ada, "sent"), (ben, "received")])
    step = case.tasks.get(key="short_term.4")
    due = [c.pupil for c in actions.children_for_takedown(case) if c.offer_due]
    assert set(due) == {world.pupil, ada}  # a child who only received it is not shown in it
    actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, service="report_remove",
                            choice="wants_to_use")
    step.refresh_from_db()
    assert step.is_open
    actions.record_takedown(user=world.diana, case=case, pupil=ada, service="both", choice="does_not")
    step.refresh_from_db()
    assert not step.is_open and step.result == "done"


def test_j5_report_remove_is_offered_only_under_18_going_by_the_date_of_birth(world):
    from datetime import date

    from tests.people import make_pupil

    young = make_pupil(world.oakfield, "Yan", "Young", "A999000000321", year_group=11)
    older = make_pupil(world.oakfield, "Olu", "Older", "A999000000322", year_group=13,
                       date_of_birth=date(date.today().year - 19, 1, 1))
    case = make_case(world, "sextortion", children=[(young, "pictured"), (older, "pictured")])
    assert actions.suggested_service(young) == "report_remove"
    assert actions.suggested_service(older) == "take_it_down"
    with pytest.raises(CaseError, match="Report Remove is for under 18s") as refused:
        actions.record_takedown(user=world.diana, case=case, pupil=older, service="report_remove",
                                choice="wants_to_use")
    assert "service" in refused.value.error_dict
    actions.record_takedown(user=world.diana, case=case, pupil=older, service="take_it_down", choice="wants_to_use")


def test_j5_a_hash_or_an_image_is_never_kept(world):
    case = make_case(world, "sextortion", children=[(world.pupil, "pictured")])
    digest = hashlib.sha256(b"anything").hexdigest()
    with pytest.raises(CaseError, match="never keeps the image or its hash"):
        actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, service="take_it_down",
                                choice="wants_to_use", notes=f"Hash {digest}")
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    with pytest.raises(CaseError):
        actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, service="report_remove",
                                choice="wants_to_use", notes=png)
    assert not Takedown.objects.exists()
    assert {f.name for f in Takedown._meta.get_fields()} >= {"service", "choice", "outcome", "notes"}
    assert not {"image", "hash", "file"} & {f.name for f in Takedown._meta.get_fields()}


def test_j5_only_for_imagery_cases_and_children_named_on_the_case_by_the_team_that_runs_it(world):
    from django.http import Http404

    from tests.people import make_pupil

    bullying = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    with pytest.raises(CaseError, match="imagery"):
        actions.record_takedown(user=world.diana, case=bullying, pupil=world.pupil, service="report_remove",
                                choice="does_not")
    case = make_case(world, "deepfake", children=[(world.pupil, "pictured")])
    stranger = make_pupil(world.oakfield, "Ada", "Elsewhere", "A999000000399", year_group=8)
    with pytest.raises(CaseError, match="named on this case"):
        actions.record_takedown(user=world.diana, case=case, pupil=stranger, service="report_remove",
                                choice="does_not")
    with pytest.raises(Http404):
        actions.record_takedown(user=world.tom, case=case, pupil=world.pupil, service="report_remove",
                                choice="does_not")
    with pytest.raises(CaseError) as refused:
        actions.record_takedown(user=world.diana, case=case, pupil=world.pupil, service="", choice="", outcome="")
    assert set(refused.value.error_dict) == {"service", "choice", "outcome"}


def test_j5_the_advice_says_what_each_service_does_and_that_harbour_never_sees_the_image_or_the_hash():
    scripts = advice_schema.read_scripts()
    for script_id in ("imagery-shared-child", "imagery-shared-parent", "sextortion-child", "sextortion-parent",
                      "groomed-child", "groomed-parent"):
        text = " ".join(scripts[script_id]["paragraphs"])
        assert "under 18" in text and "Internet Watch Foundation" in text
        assert "never leaves" in text  # Take It Down works on the child's own device
        assert "Harbour" in text and ("sees your picture or the code" in text or "ever sees the image" in text)
        assert "choose" in text or "decides" in text  # the child decides, with support

"""Referrals and external reports (B2, B5, B12, B13, C7, C8, F1): routes, answers, chase tasks, per-field errors."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions, agencies, evaluation
from cases.actions import CaseError
from cases.models import Case, Entry, Referral
from cases.tests.helpers import make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def refer(world, case, agency="police", **kwargs):
    kwargs.setdefault("route", agencies.get(agency)["routes"][0])
    return actions.record_referral(user=world.diana, case=case, agency=agency,
                                   made_at=kwargs.pop("made_at", timezone.now()), **kwargs)


def test_r_b2_police_referral_by_101_satisfies_the_banner_and_is_audited(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={"B2.1": True})
    assert evaluation.assess(case).missing_referral
    referral = refer(world, case, "police", route="police_101", reference="CR/1")
    assert not evaluation.assess(case).missing_referral
    assert referral.kind == "referral" and referral.route_label == "101 (non-emergency)"
    assert AuditEvent.objects.filter(object_type="referral", object_id=str(referral.id)).exists()
    entry = case.entries.filter(kind=Entry.Kind.REFERRAL).last()
    assert "Referral to Police, 101 (non-emergency), reference CR/1." in entry.text and "B2" in entry.rules


def test_r_f1_police_routes_are_101_or_999_not_anything(world):
    case = make_case(world)
    with pytest.raises(CaseError) as refused:
        refer(world, case, "police", route="letter")
    assert "route" in refused.value.message_dict
    assert refer(world, case, "police", route="police_999").route == "police_999"


def test_r_b2_a_report_to_a_service_is_not_a_referral(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={"B2.1": True})
    report = refer(world, case, "ceop")
    assert report.kind == "report"
    assert evaluation.assess(case).missing_referral


def test_r_c8_iwf_takes_web_addresses_only(world):
    """A3 and C8: the IWF record holds addresses; a pasted image (a data: URI) or plain text is refused."""
    case = make_case(world)
    with pytest.raises(CaseError) as refused:
        refer(world, case, "iwf", urls="")
    assert "urls" in refused.value.message_dict
    with pytest.raises(CaseError) as refused:
        refer(world, case, "iwf", urls="https://example.org/a\ndata:image/png;base64,iVBORw0KGgo=")
    assert "data:image/png" in refused.value.message_dict["urls"][0]
    report = refer(world, case, "iwf", urls=" https://example.org/a \n\nhttp://example.net/b?x=1\n")
    assert report.urls == ["https://example.org/a", "http://example.net/b?x=1"]
    assert "C8" in case.entries.filter(kind=Entry.Kind.REFERRAL).last().rules


def test_urls_are_kept_only_for_the_service_that_takes_them(world):
    report = refer(world, make_case(world), "csc", urls="https://example.org/a")
    assert report.urls == []


def test_a_platform_report_names_the_platform(world):
    case = make_case(world)
    with pytest.raises(CaseError) as refused:
        refer(world, case, "platform")
    assert "platform" in refused.value.message_dict
    assert refer(world, case, "platform", platform="Snapchat").platform == "Snapchat"


def test_r_b13_passing_beyond_the_school_asks_about_the_police_or_local_team_first(world):
    case = make_case(world)
    with pytest.raises(CaseError) as refused:
        refer(world, case, "other_school")
    assert "spoke_first" in refused.value.message_dict
    with pytest.raises(CaseError) as refused:
        refer(world, case, "other_school", spoke_first=False)
    assert "spoke_first_reason" in refused.value.message_dict
    shared = refer(world, case, "other_school", spoke_first=False,
                   spoke_first_reason="The other school's DSL called us; the child there is at risk today.")
    assert shared.kind == "shared" and "B13" in case.entries.filter(kind=Entry.Kind.REFERRAL).last().rules
    assert refer(world, case, "other", spoke_first=True).spoke_first is True


def test_r_b13_the_database_refuses_not_asking_first_without_a_reason(world):
    case = make_case(world)
    referral = refer(world, case, "other_school", spoke_first=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(id=referral.id).update(spoke_first=False, spoke_first_reason="")


def test_made_in_the_future_is_refused(world):
    with pytest.raises(CaseError) as refused:
        refer(world, make_case(world), "csc", made_at=timezone.now() + timezone.timedelta(hours=2))
    assert "made_at" in refused.value.message_dict


def test_chase_task_is_due_in_working_days_past_christmas(world):
    """Police: two working days. Made on Thursday 24 December 2026: Christmas Day and the substitute
    Boxing Day (Monday 28th) are not working days, so the chase falls on Wednesday 30 December."""
    made = datetime(2026, 12, 24, 10, 0, tzinfo=LONDON)
    with time_machine.travel(made, tick=False):
        case = make_case(world)
        referral = refer(world, case, "police", made_at=made, reference="CR/9")
    assert timezone.localtime(referral.feedback_due_at) == datetime(2026, 12, 30, 10, 0, tzinfo=LONDON)
    task = case.tasks.get(key=f"chase.{referral.id}")
    assert task.due_at == referral.feedback_due_at and "CR/9" in task.title


def test_no_chase_task_when_no_answer_is_expected(world):
    case = make_case(world)
    before = case.tasks.count()
    referral = refer(world, case, "take_it_down")
    assert referral.feedback_due_at is None and case.tasks.count() == before


def test_an_unanswered_referral_escalates_when_its_chase_task_is_overdue(world):
    case = make_case(world)
    referral = refer(world, case, "csc")
    task = case.tasks.get(key=f"chase.{referral.id}")
    assert actions.escalate_task(task_id=task.id, now=referral.feedback_due_at + timezone.timedelta(minutes=1))
    task.refresh_from_db()
    assert task.escalated_at is not None


def test_r_b5_their_answer_with_crime_reference_and_outcome_code_completes_the_chase(world):
    case = make_case(world)
    referral = refer(world, case, "police", reference="CR/1")
    actions.record_response(user=world.diana, referral=referral, response="Officer assigned; will visit.",
                            response_at=timezone.now(), outcome="Investigation under way",
                            crime_reference="CRN 44/12345/26", outcome_code="21")
    referral.refresh_from_db()
    assert referral.crime_reference == "CRN 44/12345/26" and referral.outcome_code == "21"
    task = case.tasks.get(key=f"chase.{referral.id}")
    assert task.result == "done" and task.completed_by == world.diana
    entry = case.entries.filter(kind=Entry.Kind.REFERRAL).last()
    assert "Crime reference CRN 44/12345/26" in entry.text and "outcome code 21" in entry.text


def test_an_answer_needs_words_and_cannot_come_before_the_referral(world):
    case = make_case(world)
    referral = refer(world, case, "csc")
    with pytest.raises(CaseError) as refused:
        actions.record_response(user=world.diana, referral=referral, response=" ",
                                response_at=referral.made_at - timezone.timedelta(hours=1))
    assert set(refused.value.message_dict) == {"response", "response_at"}


def test_an_answer_after_closure_is_still_recorded(world):
    case = make_case(world)
    referral = refer(world, case, "csc")
    Case.objects.filter(id=case.id).update(status="closed", closed_at=timezone.now(), closed_by=world.diana,
                                           summary="Supported in school.", lessons_learnt="None new.")
    referral.refresh_from_db()
    actions.record_response(user=world.diana, referral=referral, response="No further action.",
                            response_at=timezone.now())
    referral.refresh_from_db()
    assert referral.response == "No further action."


def test_r_c7_a_report_does_not_stop_deletion_but_a_referral_does(world):
    case = make_case(world)
    refer(world, case, "report_remove")
    assert not case.referrals.referrals().exists()
    refer(world, case, "csc")
    assert case.referrals.referrals().count() == 1


def test_the_agencies_file_is_checked():
    assert agencies.problems({"routes": {"phone": "By phone"}, "agency": [
        {"id": "x", "label": "X", "kind": "advice", "routes": ["fax"], "counts_for_b2": True,
         "feedback_working_days": 0}]}) == [
        "agency 1 (x): kind must be one of referral, report, shared",
        "agency 1 (x): only a referral can count for B2",
        "agency 1 (x): routes must be a non-empty list of ids from [routes]",
        "agency 1 (x): feedback_working_days must be a whole number from 1 to 60",
    ]
    assert agencies.problems(agencies._load()) == []


# -- The pages ---------------------------------------------------------------------------

def test_the_form_shows_each_problem_beside_its_field_and_keeps_what_was_typed(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    url = reverse("cases:referral", args=[case.id])
    response = client.post(url, {"agency": "iwf", "made_at": "", "urls": "not a web address",
                                 "notes": "Found by the IT technician"})
    page = response.content.decode()
    assert response.status_code == 200 and not case.referrals.exists()
    assert 'href="#made_at"' in page and 'href="#urls"' in page
    assert 'id="urls-error"' in page and 'id="made_at-error"' in page
    assert "Found by the IT technician" in page and "not a web address" in page


def test_the_form_names_the_agency_route_field_when_it_is_missing(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    response = client.post(reverse("cases:referral", args=[case.id]), {
        "agency": "csc", "made_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert 'href="#route"' in response.content.decode() and 'id="route-error"' in response.content.decode()


def test_choosing_the_agency_first_shows_only_what_it_needs(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    url = reverse("cases:referral", args=[case.id])
    first = client.get(url).content.decode()
    assert 'name="agency"' in first and 'name="made_at"' not in first
    iwf = client.get(url, {"agency": "iwf"}).content.decode()
    assert 'name="urls"' in iwf and 'name="spoke_first"' not in iwf and 'name="platform"' not in iwf
    school = client.get(url, {"agency": "other_school"}).content.decode()
    assert 'name="spoke_first"' in school and 'name="urls"' not in school
    assert 'id="agency-error"' in client.get(url, {"chosen": "1"}).content.decode()


def test_the_form_records_a_b13_answer(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    response = client.post(reverse("cases:referral", args=[case.id]), {
        "agency": "other_school", "route": "phone", "spoke_first": "yes",
        "made_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert case.referrals.get().spoke_first is True


def test_answer_page_access_ladder(client, world):
    case = make_case(world)
    referral = refer(world, case, "csc")
    url = reverse("cases:referral_answer", args=[case.id, referral.id])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    for stranger in ("eve", "tom", "gina"):
        sign_in(client, getattr(world, stranger))
        assert client.get(url).status_code == 404, stranger
        assert client.post(url, {"response": "x"}).status_code == 404, stranger
    other = make_case(world)
    sign_in(client, world.diana)
    assert client.get(reverse("cases:referral_answer", args=[other.id, referral.id])).status_code == 404
    assert client.get(url).status_code == 200
    response = client.post(url, {"response": "Strategy meeting on Monday.",
                                 "response_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.response == "Strategy meeting on Monday."


def test_r_i7_the_referral_page_says_how_to_reach_the_national_services(client, world):
    """The services useful when referring come from the advice app's directory (advice/resources.toml), which
    advice provides to cases (cases.agencies.services_for): every one of them is on the page."""
    from markupsafe import escape

    from advice.resources import resources_for

    case = make_case(world)
    sign_in(client, world.diana)
    page = client.get(reverse("cases:referral", args=[case.id])).content.decode()
    services = resources_for("referral", case.school.nation)  # J8: its nation's and the UK-wide
    assert services and all(str(escape(service["name"])) in page for service in services)

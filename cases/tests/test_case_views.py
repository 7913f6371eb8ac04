"""The case pages: access ladders for every view, forms that keep what was typed, live answers."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions
from cases.models import Entry
from cases.tests.helpers import ALL_NO, code_for, make_case
from harbour.jinja2 import local_datetime
from tests.people import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world)


def urls_for(case):
    task = case.tasks.first()
    return {
        "detail": reverse("cases:detail", args=[case.id]),
        "assess": reverse("cases:assess", args=[case.id]),
        "classification": reverse("cases:classification", args=[case.id]),
        "review": reverse("cases:review", args=[case.id]),
        "decision": reverse("cases:decision", args=[case.id]),
        "advice": reverse("cases:advice", args=[case.id]),
        "no_referral": reverse("cases:no_referral", args=[case.id]),
        "referral": reverse("cases:referral", args=[case.id]),
        "outcome": reverse("cases:outcome", args=[case.id]),
        "task": reverse("cases:task", args=[case.id, task.id]),
        "people": reverse("cases:people", args=[case.id]),
        "close": reverse("cases:close", args=[case.id]),
        "implied": reverse("cases:implied", args=[case.id]),
        "not_referred": reverse("cases:not_referred", args=[case.id]),
    }


def test_anonymous_is_sent_to_sign_in(client, case):
    for name, url in urls_for(case).items():
        assert client.get(url)["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("stranger", ["eve", "otto", "tom", "gina", "terry", "adam", "carol"])
def test_strangers_and_wrong_roles_get_404(client, world, case, stranger):
    sign_in(client, getattr(world, stranger))
    for name, url in urls_for(case).items():
        assert client.get(url).status_code == 404, (stranger, name)
        assert client.post(url, {"reason": "x"}).status_code == 404, (stranger, name)
    assert client.post(reverse("cases:note", args=[case.id]), {"text": "x"}).status_code == 404


def test_a_missing_case_is_the_same_404(client, world, case):
    sign_in(client, world.diana)
    assert client.get(reverse("cases:detail", args=[case.id + 999])).status_code == 404


@pytest.mark.parametrize("owner", ["diana", "dev", "lena"])
def test_the_dsl_team_and_trust_lead_reach_every_page(client, world, case, owner):
    sign_in(client, getattr(world, owner))
    for name, url in urls_for(case).items():
        response = client.get(url)
        assert response.status_code == 200, (owner, name)


def test_an_added_reader_sees_the_case_but_cannot_act(client, world, case):
    actions.add_member(user=world.diana, case=case, member=world.tom, reason="Form tutor")
    sign_in(client, world.tom)
    urls = urls_for(case)
    assert client.get(urls.pop("detail")).status_code == 200
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name
    client.post(reverse("cases:note", args=[case.id]), {"text": "Quentin seemed calmer today."})
    assert case.entries.filter(kind=Entry.Kind.NOTE, author=world.tom).exists()


def test_h2_every_read_of_the_case_is_audited(client, world, case):
    sign_in(client, world.diana)
    client.get(reverse("cases:detail", args=[case.id]))
    client.get(reverse("cases:assess", args=[case.id]))
    views = AuditEvent.objects.filter(action="view", object_type="case", object_id=str(case.id))
    assert [e.detail["page"] for e in views.order_by("seq")] == ["case", "assess"]


def test_r_b2_live_answers_return_the_banner_fragment(client, world, case):
    sign_in(client, world.diana)
    data = {f"B2.{n}": "no" for n in range(1, 7)} | {"B2.1": "yes"}
    response = client.post(reverse("cases:assess", args=[case.id]), data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div id="evaluation"')
    assert "Referral required now" in page and "A referral criterion now applies: An adult is involved" in page
    assert "Referral required now" in client.get(reverse("cases:detail", args=[case.id])).content.decode()
    # Without JavaScript the same form posts and comes back to the page.
    response = client.post(reverse("cases:assess", args=[case.id]), {**data, "B2.1": "unknown"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert "B2.1" not in case.facts and case.facts["B2.2"] is False


def test_r_b2_outcome_page_refuses_managed_in_school_and_keeps_the_reason(client, world, case):
    actions.update_answers(user=world.diana, case=case, facts={"B2.1": True})
    sign_in(client, world.diana)
    response = client.post(reverse("cases:outcome", args=[case.id]),
                           {"outcome": "managed_in_school", "reason": "The parents will deal with it."})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "The parents will deal with it." in page and "Record the referral" in page
    case.refresh_from_db()
    assert case.outcome == ""


def test_review_form_keeps_what_was_typed_on_error(client, world, case):
    sign_in(client, world.diana)
    response = client.post(reverse("cases:review", args=[case.id]), {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "attendees": [world.diana.id, world.dev.id],
        "answer_immediate_risk": "No child is at immediate risk.", "other_attendees": "PC Jones"})
    page = response.content.decode()
    assert "There is a problem" in page and "No child is at immediate risk." in page and "PC Jones" in page
    assert not case.reviews.exists()


def test_r_b6_sign_off_page_for_the_headteacher(client, world, case):
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual; both Year 10.")
    url = reverse("cases:sign_off", args=[case.id, decision.id])
    sign_in(client, world.tom)
    assert client.get(url).status_code == 404
    sign_in(client, world.hana)
    page = client.get(url).content.decode()
    assert "Consensual; both Year 10." in page and "Sign as headteacher" in page
    response = client.post(url, {"password": "not my password", "code": code_for(world.hana)})
    assert "password or code was not right" in response.content.decode()
    assert AuditEvent.objects.filter(action="denied", object_type="decision").exists()
    assert client.get(reverse("cases:list")).status_code == 200


def test_case_list_shows_what_needs_attention(client, world, case):
    actions.update_answers(user=world.diana, case=case, facts={"B2.4": True})
    sign_in(client, world.diana)
    page = client.get(reverse("cases:list")).content.decode()
    assert case.reference in page and "Referral required" in page
    sign_in(client, world.eve)  # her own school's list, without Oakfield's case
    assert case.reference not in client.get(reverse("cases:list")).content.decode()
    sign_in(client, world.tom)
    assert client.get(reverse("cases:list")).status_code == 404


def test_signing_through_the_page(client, world, case):
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual; both Year 10.")
    sign_in(client, world.hana)
    response = client.post(reverse("cases:sign_off", args=[case.id, decision.id]),
                           {"password": PASSWORD, "code": code_for(world.hana), "comment": "Agreed"})
    assert response.status_code == 302
    assert decision.sign_offs.get(role="headteacher").signed_by == world.hana


def test_r_b4_risk_answers_are_kept_and_shown(client, world, case):
    sign_in(client, world.diana)
    client.post(reverse("cases:assess", args=[case.id]), {"risk_why_shared": "Asked for by a boyfriend.",
                                                          "risk_ages": "Both 14."})
    case.refresh_from_db()
    assert case.risk_answers == {"why_shared": "Asked for by a boyfriend.", "ages": "Both 14."}
    assert "Asked for by a boyfriend." in client.get(reverse("cases:assess", args=[case.id])).content.decode()
    assert any(
        "risk_answers" in e.changed_fields for e in AuditEvent.objects.filter(object_type="case", action="update")
    )


def test_r_b12_adult_involved_shows_urgent_police_guidance(client, world, case):
    actions.update_answers(user=world.diana, case=case, facts={"B2.1": True})
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "this is child sexual abuse. Refer to the police urgently" in page


def test_r_e5_e6_sextortion_case_shows_principles_and_family_advice(client, world):
    case = make_case(world, "sextortion")
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "How we respond" in page and "Trauma-informed" in page
    assert "Do not pay" in page and "do not delete the messages" in page
    assert "speak to the police and/or the local safeguarding team first" in page  # B13


def test_case_shows_how_its_pinned_version_differs_from_the_shipped_one(client, world):
    from procedures.versions import save_override

    save_override(user=world.diana, procedure_id="nudes-sharing", school=world.oakfield,
                  changes={"sign_off_roles": ["headteacher"]}, reason="Our head signs alone.")
    case = make_case(world)
    assert case.procedure["sign_off_roles"] == ["headteacher"]
    assert "Oakfield Primary v1" in case.procedure_label
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "How this version differs from the shipped procedure" in page and "headteacher only" in page
    # A later change does not move an open case (it stays on the version it opened with).
    save_override(user=world.diana, procedure_id="nudes-sharing", school=world.oakfield,
                  changes={"sign_off_roles": ["headteacher", "dsl"]}, reason="Changed our mind.")
    case.refresh_from_db()
    assert case.procedure["sign_off_roles"] == ["headteacher"]


def test_r_e7_case_list_counts_overdue_tasks_once_each(client, world, case):
    from datetime import timedelta

    import time_machine

    actions.add_member(user=world.diana, case=case, member=world.tom, reason="Form tutor")
    actions.add_member(user=world.diana, case=case, member=world.terry, reason="Checks the filtering logs")
    # 90 minutes on: clear of the tasks due at exactly 2 hours, which a ticking clock would pass.
    overdue = case.tasks.outstanding().filter(due_at__lt=case.incident_recorded_at + timedelta(minutes=90)).count()
    with time_machine.travel(case.incident_recorded_at + timedelta(minutes=90)):
        sign_in(client, world.diana)
        page = client.get(reverse("cases:list")).content.decode()
    assert f"{overdue} overdue" in page


def test_r_e7_what_is_needed_next_shows_the_earliest_deadline_and_what_is_past_its_own(client, world, case):
    """Every clock shows its deadline: the top of the case page names the first step due and when, without
    scrolling to the tasks; once steps are past their time it says how many."""
    timed = case.tasks.filter(completed_at__isnull=True, due_at__isnull=False).order_by("due_at", "id")
    first = timed.first()
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "The next deadline:" in page and first.title in page.split('id="next-deadline"')[1].split("</p>")[0]
    assert f"by {local_datetime(first.due_at)}" in page
    later = timed.last().due_at + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        sign_in(client, world.diana)
        late = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    line = " ".join(late.split('id="next-deadline"')[1].split("</p>")[0].split())
    assert f"{timed.count()} steps are past their deadline" in line
    assert f"was due {local_datetime(first.due_at)}" in line


def test_r_b6_the_decide_not_to_refer_page_offers_no_button_while_it_cannot_be_recorded(client, world, case):
    """While questions are unanswered the next step is answering them: no box and button that can only be refused.
    A reason typed and sent back stays on the page; once every criterion is answered no, the form is there."""
    url = reverse("cases:no_referral", args=[case.id])
    sign_in(client, world.diana)
    blocked = client.get(url).content.decode()
    assert "not possible yet" in blocked and "Answer the questions" in blocked
    assert 'name="reason"' not in blocked and "Record and ask for sign-off" not in blocked
    refused = client.post(url, {"reason": "Typed before the answers were in."}).content.decode()
    assert "Typed before the answers were in." in refused and 'name="reason"' in refused
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    ready = client.get(url).content.decode()
    assert 'name="reason"' in ready and "Record and ask for sign-off" in ready


def test_r_b4_the_risk_question_about_ages_shows_what_the_school_records_already_say(client, world, case):
    """What the system knows, it does not ask for again: the ages question shows each child's age from their date
    of birth, on the day the incident was recorded."""
    from cases.evaluation import age_on

    age = age_on(world.pupil.date_of_birth, case.incident_recorded_at.date())
    sign_in(client, world.diana)
    page = client.get(reverse("cases:assess", args=[case.id])).content.decode()
    hint = page.split('id="risk_ages-hint"')[1].split("</div>")[0]
    assert f"{world.pupil.display_name}, {age}" in hint and "Add anyone from outside the school." in hint


def test_r_a2_the_device_step_shows_that_the_report_said_no_device_was_taken(client, world, case):
    """What the system knows, it does not ask for again: the report answered the device question, and the step to
    secure a device says so; when the report says one was taken, the note is not there."""
    from concerns.models import Concern

    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    step = case.tasks.get(title__startswith="Secure any device")
    row = page.split('id="tasks"')[1].split(step.title)[1].split("</tr>")[0]
    assert "The report said no device was taken into safe keeping." in row
    Concern.objects.filter(case=case).update(device_confiscated=True, device_location="Locked drawer")
    assert "harbour-no-device-reported" not in client.get(reverse("cases:detail", args=[case.id])).content.decode()


def test_r_b2_the_under_13_criterion_shows_the_youngest_childs_age_from_the_records(client, world, case):
    """B2.4 asks whether a child in sexual imagery is under 13: the answer stays the DSL's, with the age Harbour
    already knows beside the question when a child in the case is under 13 (and nothing when none is)."""
    from cases.evaluation import age_on
    from tests.people import make_pupil

    sign_in(client, world.diana)
    older = client.get(reverse("cases:assess", args=[case.id])).content.decode()
    assert age_on(world.pupil.date_of_birth, case.incident_recorded_at.date()) >= 13
    assert "the youngest child in this case is" not in older
    year_6 = make_pupil(world.oakfield, "Ada", "Wrenfield", "A999000000077", year_group=6,
                        date_of_birth=timezone.localdate() - timedelta(days=10 * 365 + 100))
    young_case = make_case(world, children=[(year_6, "received")])
    page = client.get(reverse("cases:assess", args=[young_case.id])).content.decode()
    hint = page.split('id="q-B2-4-hint"')[1].split("</div>")[0]
    assert "From dates of birth, the youngest child in this case is 10." in hint

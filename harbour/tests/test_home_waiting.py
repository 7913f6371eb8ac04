"""Each role's home page starts with "Waiting for you" (A1, B6, E7): concerns to acknowledge with their deadlines,
sign-offs asked of the reader, steps due today and overdue, each linked; the concerns inbox is in the navigation
for those who receive concerns; and what to do about a child at risk is worded for the reader's role."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import actions as case_actions
from cases.actions.decisions import sign_off_due, sign_offs_due
from cases.tests.helpers import ALL_NO, make_case, make_concern
from lib.i18n import when_in_words
from schools.current import SESSION_KEY as SCHOOL_KEY
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db


def home(client, user):
    sign_in(client, user)
    return client.get(reverse("home")).content.decode()


def waiting_section(page):
    start = page.index('id="waiting"')
    return page[start:page.index("What you can do", start)]


def test_r_a1_the_dsls_home_starts_with_the_concern_to_acknowledge_and_its_deadline(client, world):
    concern = make_concern(world)
    page = home(client, world.diana)
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings[0] == "Waiting for you"
    section = waiting_section(page)
    assert f'href="/concerns/{concern.id}/"' in section and concern.reference in section
    deadline = timezone.localtime(concern.created_at + timedelta(minutes=60))
    assert f"by {deadline:%-d %B %Y at %-I:%M}" in section
    assert world.pupil.legal_first_name not in section and world.pupil.legal_last_name not in section


def test_r_e7_overdue_steps_are_one_line_per_case_and_steps_due_today_are_listed(client, world):
    case = make_case(world)
    task = case.tasks.exclude(due_at=None).order_by("due_at").first()
    task.due_at = timezone.now() - timedelta(hours=1)
    task.save(update_fields=["due_at"])
    section = waiting_section(home(client, world.diana))
    overdue = case.tasks.overdue().order_by("due_at")  # the steps due when the case opened may count too
    n, earliest = overdue.count(), when_in_words(overdue.first().due_at)
    line = (f"1 step is overdue; it was due {earliest}" if n == 1
            else f"{n} steps are overdue; the earliest was due {earliest}")
    assert "Overdue steps (1)" in section and f"{case.reference}</span>: {line}</a>" in " ".join(section.split())
    assert f'href="/cases/{case.id}/#tasks"' in section
    later_today = case.tasks.exclude(id=task.id).exclude(due_at=None)
    later_today.update(due_at=timezone.now() + timedelta(minutes=5))
    section = waiting_section(home(client, world.diana))
    assert "Steps due today" in section


def test_r_e7_many_overdue_steps_read_as_one_sentence_naming_the_earliest(client, world):
    """"12 steps are overdue; the earliest was due …", never "12 steps overdue was due …"."""
    case = make_case(world)
    timed = case.tasks.exclude(due_at=None)
    timed.update(due_at=timezone.now() - timedelta(hours=2))
    first = case.tasks.overdue().order_by("id").last()
    case.tasks.filter(id=first.id).update(due_at=timezone.now() - timedelta(days=1))
    n = case.tasks.overdue().count()
    assert n > 1
    section = " ".join(waiting_section(home(client, world.diana)).split())
    earliest = case.tasks.overdue().order_by("due_at").first().due_at
    assert earliest < timezone.now() - timedelta(hours=23)
    assert f"{n} steps are overdue; the earliest was due {when_in_words(earliest)}</a>" in section
    assert "overdue was due" not in section and "</a> was due" not in section


def test_r_b6_a_sign_off_asked_of_the_headteacher_is_on_their_home_page(client, world):
    case = make_case(world)
    case_actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = case_actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    section = waiting_section(home(client, world.hana))
    assert "Sign-offs asked of you (1)" in section
    assert f'href="{reverse("cases:sign_off", args=[case.id, decision.id])}"' in section
    assert "Sign-offs asked of you" not in waiting_section(home(client, world.diana))  # the DSL is not asked
    due = sign_off_due(case)  # E7: the sign-off is due when the referral decision's step is
    assert due is not None and f"by {when_in_words(due)}" in section


def test_r_b6_three_sign_offs_take_the_queries_one_does_each_due_by_its_own_step(client, world):
    """Issue 24: when each sign-off is due is read for all the cases at once, not once a case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sign_off_asked(n):  # a different child each time: no repeat incident to escalate first (B3)
        case = make_case(world, children=[(make_pupil(world.oakfield, "Child", f"Number{n}", f"A99900000010{n}"),
                                           "pictured")])
        case_actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
        case_actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
        return case

    cases = [sign_off_asked(1)]
    sign_in(client, world.hana)
    with CaptureQueriesContext(connection) as one:
        assert "Sign-offs asked of you (1)" in waiting_section(client.get(reverse("home")).content.decode())
    cases += [sign_off_asked(2), sign_off_asked(3)]
    cases[1].tasks.filter(key__in=case_actions_keys(cases[1])).update(due_at=timezone.now() + timedelta(hours=5))
    with CaptureQueriesContext(connection) as three:
        section = waiting_section(client.get(reverse("home")).content.decode())
    assert "Sign-offs asked of you (3)" in section
    assert len(three) == len(one)
    assert sign_offs_due(cases) == {case.id: sign_off_due(case) for case in cases}
    assert sign_off_due(cases[1]) != sign_off_due(cases[0])
    for case in cases:
        assert f"by {when_in_words(sign_off_due(case))}" in section


def test_r_b6_another_schools_waiting_sign_offs_never_show_nor_cost_a_query(client, world):
    """Issue 24: the home page reads only its own school's waiting sign-offs (one query, from an index keyed by
    school), even for a headteacher of both schools who may sign the other school's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Membership
    from concerns.actions import Report, submit_concern
    from tests.people import make_user

    Membership.objects.create(user=world.hana, school=world.riverside, role="headteacher")
    rita = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")
    sign_in(client, world.hana)
    with CaptureQueriesContext(connection) as before:
        assert "Sign-offs asked of you" not in waiting_section(client.get(reverse("home")).content.decode())

    child = make_pupil(world.riverside, "Child", "Riverside", "A999000000301")
    concern, _ = submit_concern(user=rita, school=world.riverside, idempotency_key=uuid.uuid4(),
                                report=Report(incident_type="nudes-sharing", account="A photo was shared.",
                                              children=[(child, "pictured")]))
    case = case_actions.open_case(user=rita, concern=concern)
    case_actions.update_answers(user=rita, case=case, facts=ALL_NO)
    decision = case_actions.decide_not_to_refer(user=rita, case=case, reason="Consensual, no malice.")
    assert {s.school_id for s in decision.sign_offs.all()} == {world.riverside.id}

    with CaptureQueriesContext(connection) as after:
        page = client.get(reverse("home")).content.decode()
    assert "Sign-offs asked of you" not in waiting_section(page) and case.reference not in page
    assert len(after) == len(before)
    # At Riverside the same person is asked: the sign-off is there, for that school's home page.
    session = client.session
    session[SCHOOL_KEY] = world.riverside.id
    session.save()
    section = waiting_section(client.get(reverse("home")).content.decode())
    assert "Sign-offs asked of you (1)" in section and case.reference in section


def case_actions_keys(case):
    from cases.actions import steps

    return steps.waits_for(case, "referral_decided")


def test_nothing_waiting_says_so(client, world):
    assert "Nothing is waiting for you at Oakfield Primary" in waiting_section(home(client, world.tom))


def test_access_another_schools_dsl_sees_nothing_of_oakfields(client, world):
    concern = make_concern(world)
    page = home(client, world.eve)
    assert concern.reference not in page and f"/concerns/{concern.id}/" not in page


def test_a_member_of_staff_who_only_reports_sees_no_concern_waiting(client, world):
    concern = make_concern(world)
    page = home(client, world.tom)
    assert concern.reference not in page


def test_the_concerns_inbox_is_in_the_navigation_for_those_who_receive_concerns(client, world):
    nav = '<a class="govuk-service-navigation__link" href="/concerns/inbox/"'
    for person in ("diana", "dev", "hana"):
        assert nav in home(client, getattr(world, person)), person
    for person in ("tom", "gina"):
        assert nav not in home(client, getattr(world, person)), person


@pytest.mark.parametrize("person", ["diana", "dev"])
def test_r_a1_the_dsl_and_deputies_are_never_told_to_tell_the_dsl(client, world, person):
    page = home(client, getattr(world, person))
    assert "tell your designated safeguarding lead" not in page.lower()
    assert "tell the designated safeguarding lead" not in page.lower()
    assert "come to you" in page and "call 999" in page


def test_r_a1_staff_are_told_to_tell_the_dsl_in_person(client, world):
    page = home(client, world.tom)
    assert "tell the designated safeguarding lead or a deputy in person straight away" in page


def test_r_a1_e7_the_dsls_home_takes_ten_queries_however_much_is_waiting(client, world, django_assert_num_queries):
    """Issue 24: the session, the person, their schools, the concerns to acknowledge, the sign-offs, the steps due
    today, the overdue steps, the open cases' procedure versions, the school's and trust's versions, and the unread
    notices: no query a row, and none for a school's trust. (The sign-offs take a second query, for when each is due,
    only when some are asked of the reader:
    test_r_b6_three_sign_offs_take_the_queries_one_does_each_due_by_its_own_step; never for another school's:
    test_r_b6_another_schools_waiting_sign_offs_never_show_nor_cost_a_query.)"""
    def overdue_case(n):
        case = make_case(world, children=[(make_pupil(world.oakfield, "Child", f"Later{n}", f"A99900000020{n}"),
                                           "harmed")])
        case.tasks.exclude(due_at=None).update(due_at=timezone.now() - timedelta(hours=1))

    sign_in(client, world.diana)
    overdue_case(0)
    with django_assert_num_queries(10):
        assert "Overdue steps (1)" in waiting_section(client.get(reverse("home")).content.decode())
    for n in range(1, 4):
        overdue_case(n)
        make_concern(world, "online-hate", children=[])
    with django_assert_num_queries(10):
        section = waiting_section(client.get(reverse("home")).content.decode())
    assert "Concerns to acknowledge (3)" in section and "Overdue steps (4)" in section

"""Notices a DSL can act on (A1, B6, E7): each names the reference, what is needed and by when, and links to it;
one notice per case for its overdue steps, updated rather than doubled; never a child's name or a detail."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import actions as case_actions
from cases.models import Task
from cases.tests.helpers import ALL_NO, make_case, make_concern
from concerns import actions as concern_actions
from notifications.actions import Kind, notify
from notifications.models import Notification
from tests.people import sign_in

pytestmark = pytest.mark.django_db

LATER = timedelta(days=40)


def unread(user, **filters):
    return list(Notification.objects.filter(user=user, **filters).unread())


def names_of(pupil):
    return [pupil.legal_first_name, pupil.legal_last_name, pupil.preferred_first_name or pupil.legal_first_name]


def escalate_all(case, now):
    for task_id in case.tasks.overdue(now).values_list("id", flat=True):
        case_actions.escalate_task(task_id=task_id, now=now)


def test_r_a1_a_new_concern_notice_names_its_reference_deadline_and_link_and_no_child(world):
    concern = make_concern(world, account="A pupil told me a photo of Zebedee is being passed round.")
    [notice] = unread(world.diana)
    assert notice.kind == Kind.CONCERN and notice.urgent
    assert notice.reference == concern.reference and concern.reference in notice.text
    assert "acknowledge it by" in notice.text and notice.due_at == concern.created_at + timedelta(minutes=60)
    assert notice.url == reverse("concerns:detail", args=[concern.id])
    for secret in [*names_of(world.pupil), "Zebedee", "photo"]:
        assert secret not in notice.text


def test_r_a1_acknowledging_a_concern_clears_everyones_notice_to_acknowledge_it(world):
    concern = make_concern(world)
    assert len(unread(world.dev, key=f"concern:{concern.id}")) == 1
    concern_actions.acknowledge(user=world.diana, concern=concern)
    assert unread(world.diana) == [] and unread(world.dev) == []


def test_r_a1_an_escalation_updates_the_concern_notice_rather_than_adding_one(world):
    concern = make_concern(world)
    concern_actions.escalate(concern=concern)
    [notice] = unread(world.dev, key=f"concern:{concern.id}")  # the deputy had one already: it is restated
    assert "was not acknowledged by" in notice.text and concern.reference in notice.text
    assert len(unread(world.hana, key=f"concern:{concern.id}")) == 1


def test_r_e7_overdue_steps_are_one_notice_per_case_restated_as_more_fall_overdue(world):
    case = make_case(world)
    concern_notices = len(unread(world.diana))
    tasks = list(case.tasks.exclude(due_at=None).order_by("due_at"))
    assert len(tasks) >= 2
    first_due = tasks[0].due_at
    case_actions.escalate_task(task_id=tasks[0].id, now=first_due + timedelta(minutes=1))
    [notice] = unread(world.diana, kind=Kind.OVERDUE)
    assert notice.text.startswith(f"Case {case.reference} at Oakfield")
    assert "1 step is overdue" in notice.text and not notice.urgent
    assert notice.url == reverse("cases:detail", args=[case.id]) + "#tasks"
    escalate_all(case, timezone.now() + LATER)
    [notice] = unread(world.diana, kind=Kind.OVERDUE)  # still one, whatever the count
    count = Task.objects.filter(case=case, escalated_at__isnull=False).count()
    assert f"{count} steps are overdue" in notice.text and notice.due_at == first_due
    assert len(unread(world.diana)) == concern_notices + 1
    # Another case's overdue steps are its own notice.
    other = make_case(world)
    escalate_all(other, timezone.now() + LATER)
    assert sorted(n.reference for n in unread(world.diana, kind=Kind.OVERDUE)) == [case.reference, other.reference]
    # Once read, the next step to fall overdue is told afresh.
    Notification.objects.filter(user=world.diana).update(read_at=timezone.now())
    Task.objects.filter(case=case).update(escalated_at=None)
    escalate_all(case, timezone.now() + LATER)
    assert [n.reference for n in unread(world.diana, kind=Kind.OVERDUE)] == [case.reference]


def test_no_person_has_two_unread_notices_with_the_same_text(world):
    for _ in range(3):
        notify(users=[world.diana, world.dev], school=world.oakfield, text="Something to look at", url="/")
    assert Notification.objects.filter(user=world.diana).count() == 1
    assert Notification.objects.filter(user=world.dev).count() == 1


def test_r_b6_a_sign_off_is_asked_by_reference_and_cleared_once_signed(world):
    from cases.tests.helpers import code_for
    from tests.people import PASSWORD

    case = make_case(world)
    case_actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = case_actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    [asked] = unread(world.hana, kind=Kind.SIGN_OFF)
    assert asked.urgent and case.reference in asked.text and "sign off" in asked.text
    assert asked.url == reverse("cases:sign_off", args=[case.id, decision.id])
    case_actions.sign(user=world.hana, sign_off=decision.sign_offs.get(role="headteacher"), password=PASSWORD,
                      code=code_for(world.hana))
    assert unread(world.hana, kind=Kind.SIGN_OFF) == []
    assert len(unread(world.lena, kind=Kind.SIGN_OFF)) == 1  # the trust lead's signature is still asked


def test_the_notices_page_groups_new_concerns_then_sign_offs_then_overdue_steps(client, world):
    for kind, text in [(Kind.OTHER, "Other thing"), (Kind.OVERDUE, "Case K000009: 2 steps are overdue"),
                       (Kind.SIGN_OFF, "Case K000008: sign off"), (Kind.CONCERN, "New concern C000007")]:
        notify(users=[world.diana], school=world.oakfield, kind=kind, text=text, url="/")
    sign_in(client, world.diana)
    page = client.get(reverse("notifications:list")).content.decode()
    order = [page.index(h) for h in ["New concerns", "Waiting for your sign-off", "Overdue steps", "Other notices",
                                     "New concern C000007", "Case K000008", "Case K000009", "Other thing"]]
    assert order[:4] == sorted(order[:4]) and order[4:] == sorted(order[4:])
    assert page.count('action="/notifications/') >= 4  # each opens (and so marks read) with its own button


def test_opening_a_notice_from_the_page_marks_it_read_and_leads_to_its_item(client, world):
    case = make_case(world)
    escalate_all(case, timezone.now() + LATER)
    [notice] = unread(world.diana, kind=Kind.OVERDUE)
    sign_in(client, world.diana)
    response = client.post(reverse("notifications:open", args=[notice.id]))
    assert response["Location"] == notice.url
    assert client.get(notice.url.split("#")[0]).status_code == 200
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_r_e7_the_overdue_notice_is_answered_once_no_escalated_step_is_still_open(world):
    """Doing the steps answers the notice: it stays while any escalated step is still open, and is marked read
    for everyone when the last is done, by a tick, by several at once, or by an event that completes them."""
    case = make_case(world)
    now = timezone.now()
    case.tasks.filter(completed_at=None).update(due_at=now - timedelta(hours=1))
    escalate_all(case, now)
    open_steps = list(case.tasks.filter(completed_at=None, escalated_at__isnull=False).order_by("id"))
    assert len(open_steps) >= 2 and len(unread(world.diana, kind=Kind.OVERDUE)) == 1
    case_actions.complete_task(user=world.diana, task=open_steps[0], done=True)
    assert len(unread(world.diana, kind=Kind.OVERDUE)) == 1  # others are still overdue
    case_actions.complete_steps(user=world.diana, case=case, tasks=open_steps[1:], reason="Done at the meeting today.")
    assert unread(world.diana, kind=Kind.OVERDUE) == []

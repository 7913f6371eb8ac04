"""Filtering and monitoring (rule I6): named roles, the annual review, and the breach log read from
concerns (A5), linking only where the reader may open the concern."""

import uuid
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from concerns.actions import Report, submit_concern
from registers import actions, status
from registers.actions import RegisterError
from registers.models import FilteringReview, FilteringRole
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def breach(world, school=None, user=None):
    concern, _ = submit_concern(user=user or world.tom, school=school or world.oakfield, idempotency_key=uuid.uuid4(),
                                report=Report(incident_type="filtering-breach", account="A blocked site got through.",
                                              children=[], dsl_told_in_person=True))
    return concern


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i6_named_roles_keep_their_history(world):
    assert len(status.filtering_status(world.oakfield, date(2026, 3, 2))["missing_roles"]) == 4
    actions.name_filtering_role(user=world.diana, school=world.oakfield, role="provider", name="Safe Net Ltd")
    actions.name_filtering_role(user=world.diana, school=world.oakfield, role="provider", name="Clear Filter Co",
                                contact="help@clearfilter.example")
    with pytest.raises(RegisterError, match="name"):
        actions.name_filtering_role(user=world.diana, school=world.oakfield, role="dsl", name="")
    current = status.filtering_status(world.oakfield, date(2026, 3, 2))
    assert dict(current["holders"])["Filtering and monitoring provider"].name == "Clear Filter Co"
    assert FilteringRole.objects.filter(role="provider").count() == 2  # the earlier holder stays


STANDARDS = {"senior_leader": "Hana Head", "illegal_content_blocked": True,
             "generative_ai": "AI chat blocked for pupils.",
             "send": "Stricter settings for the resource base.", "eal": "Keywords in Polish too.",
             "byod": "Guest Wi-Fi filtered the same.", "actions": "Nothing needs to change."}


def review(world, reviewed_on, school=None, **changes):
    return actions.record_filtering_review(user=world.diana, school=school or world.oakfield, reviewed_on=reviewed_on,
                                           reviewed_by="Hana Head, Terry Tech",
                                           findings="Blocklist updated; monitoring alerts now go to the DSL.",
                                           **{**STANDARDS, **changes})


def test_r_i6_the_annual_review_falls_due(world):
    with time_machine.travel("2025-03-02 10:00Z", tick=False):
        made = review(world, date(2025, 3, 1))
        assert made.next_due == date(2026, 3, 1)
        with pytest.raises(RegisterError, match="by 1 March 2026"):
            review(world, date(2025, 3, 1), next_due=date(2026, 6, 1))
    assert not status.filtering_status(world.oakfield, date(2026, 3, 1))["review_overdue"]
    assert status.filtering_status(world.oakfield, date(2026, 3, 2))["review_overdue"]


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_r_i6_the_breach_log_lists_breaches_and_links_only_for_recipients(client, world,
                                                                          django_assert_max_num_queries):
    concerns = [breach(world) for _ in range(8)]
    breach(world, world.elmtree, world.eve)  # another school's breach is not on Oakfield's log
    submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(),
                   report=Report(incident_type="cyberbullying", account="Mean messages.", children=[],
                                 dsl_told_in_person=True))
    assert len(status.breach_log(world.oakfield)) == 8
    sign_in(client, world.diana)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("registers:filtering")).content.decode()
    assert f'href="{reverse("concerns:detail", args=[concerns[0].id])}"' in page
    sign_in(client, world.hana)  # manages registers, but breaches are for the DSL team: no link
    page = client.get(reverse("registers:filtering")).content.decode()
    assert concerns[0].reference in page and reverse("concerns:detail", args=[concerns[0].id]) not in page


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_j6_the_yearly_review_records_each_point_of_the_standards(world):
    made = review(world, date(2026, 3, 1), illegal_content_blocked=False,
                  illegal_content_notes="The provider is moving us to a list we cannot switch off by April.")
    made.refresh_from_db()
    assert (made.senior_leader, made.illegal_content_blocked, made.generative_ai, made.send, made.eal, made.byod,
            made.actions) == ("Hana Head", False, STANDARDS["generative_ai"], STANDARDS["send"], STANDARDS["eal"],
                              STANDARDS["byod"], STANDARDS["actions"])
    assert "April" in made.illegal_content_notes


@time_machine.travel("2026-03-02 10:00Z", tick=False)
@pytest.mark.parametrize("point", ["senior_leader", "generative_ai", "send", "eal", "byod", "actions"])
def test_j6_a_review_missing_a_point_of_the_standards_is_refused_beside_that_point(world, point):
    with pytest.raises(RegisterError) as refused:
        review(world, date(2026, 3, 1), **{point: "  "})
    assert list(refused.value.error_dict) == [point]
    assert not FilteringReview.objects.exists()


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_j6_illegal_content_must_be_answered_and_a_no_says_what_is_being_done(world):
    with pytest.raises(RegisterError) as refused:
        review(world, date(2026, 3, 1), illegal_content_blocked=None)
    assert list(refused.value.error_dict) == ["illegal_content_blocked"]
    with pytest.raises(RegisterError) as refused:
        review(world, date(2026, 3, 1), illegal_content_blocked=False)
    assert list(refused.value.error_dict) == ["illegal_content_notes"]


def test_j6_an_overdue_review_is_alerted_once_like_a_policy_review(world):
    from django.core.management import call_command

    from notifications.models import Notification
    from registers.tasks import alert_overdue_reviews

    with time_machine.travel("2025-03-02 10:00Z", tick=False):
        review(world, date(2025, 3, 1))
    with time_machine.travel("2026-03-01 10:00Z", tick=False):
        assert actions.alert_overdue_filtering_reviews() == 0  # due today: not overdue yet
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        call_command("alert_overdue_reviews")
        call_command("alert_overdue_reviews")  # cron may run twice: nothing new is sent
        assert alert_overdue_reviews.call() == 0
        told = Notification.objects.filter(key=f"filtering-review:{world.oakfield.id}")
        assert {n.user_id for n in told} == {world.hana.id}  # those told of overdue policy reviews (I1)
        text = told.get().text
        assert "filtering and monitoring review" in text and "1 March 2026" in text
        # A new review replaces the overdue one; when that too passes its date, it is alerted again.
        review(world, date(2026, 3, 2), next_due=date(2026, 9, 1))
    with time_machine.travel("2026-09-02 10:00Z", tick=False):
        review(world, date(2025, 6, 1), school=world.elmtree)  # another school's review is alerted on its own
        assert actions.alert_overdue_filtering_reviews() == 2


@time_machine.travel("2026-03-02 10:00Z", tick=False)
def test_j6_the_review_page_asks_each_point_and_keeps_what_was_typed(client, world):
    actions.name_filtering_role(user=world.diana, school=world.oakfield, role="senior_leader", name="Hana Head")
    sign_in(client, world.diana)
    url = reverse("registers:filtering_review")
    page = client.get(url).content.decode()
    assert 'value="Hana Head"' in page  # what Harbour knows is not asked again
    for words in ("Generative AI tools", "special educational needs", "English as an additional language",
                  "Devices pupils and staff bring in", "no way for anyone at school to switch that off"):
        assert words in page
    posted = {"reviewed_on": "2026-03-01", "reviewed_by": "Diana and Terry", "senior_leader": "Hana Head",
              "illegal_content_blocked": "yes", "generative_ai": "Blocked for pupils", "send": "Stricter settings",
              "eal": "", "byod": "Guest Wi-Fi filtered", "findings": "All fine", "actions": "Nothing"}
    page = client.post(url, posted).content.decode()
    assert "English as an additional language" in page and "Blocked for pupils" in page
    assert not FilteringReview.objects.exists()
    response = client.post(url, {**posted, "eal": "Polish keywords added"})
    assert response.status_code == 302
    page = client.get(reverse("registers:filtering")).content.decode()
    assert "Polish keywords added" in page and "Guest Wi-Fi filtered" in page

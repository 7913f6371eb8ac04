"""Rule P7: monitoring alerts about the same matched term across several pupils within an hour are one inbox item,
each pupil still listed (a vulnerable pupil first, marked); one notice for the group; the DSL team splits it, closes
it with a reason (B10), or opens cases for chosen pupils."""

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
import time_machine
from django.urls import reverse

from api.scopes import Scope
from cases.models import Case
from concerns.models import AlertGroup, Concern
from notifications.models import Notification
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 10, 0, tzinfo=dt_timezone.utc)


@pytest.fixture
def pupils(world):
    return [world.pupil] + [make_pupil(world.oakfield, name, "Class", f"A99900000010{i}", year_group=9)
                            for i, name in enumerate(["Ada", "Ben", "Cal", "Dee", "Eli"])]


@pytest.fixture
def send(make_token, call):
    _, secret = make_token(Scope.ALERTS_CREATE)
    sent = iter(range(1, 1000))

    def post(pupil, *, minutes=0, term="Suicide"):
        at = START + timedelta(minutes=minutes)
        with time_machine.travel(at, tick=False):
            body = {"source": "Smoothwall", "alert_id": f"SW-{next(sent)}", "category": "Self-harm search",
                    "occurred_at": at.isoformat().replace("+00:00", "Z"),
                    "severity": "high", "upn": pupil.upn, "device": "OAK-LAPTOP-1", "matched_text": term}
            response = call("post", "/alerts", secret, body)
        assert response.status_code == 201, response.json()
        return Concern.objects.get(id=response.json()["id"])

    return post


def test_p7_three_pupils_within_59_minutes_are_one_group(world, pupils, send):
    concerns = [send(pupils[0]), send(pupils[1], minutes=30), send(pupils[2], minutes=59, term="  suicide ")]
    group = AlertGroup.objects.get()
    assert group.term == "suicide" and group.status == "open"
    assert {c.id for c in group.concerns.all()} == {c.id for c in concerns}


def test_p7_an_alert_61_minutes_after_the_first_does_not_reach_back_to_it(world, pupils, send):
    send(pupils[0]), send(pupils[1], minutes=30), send(pupils[2], minutes=61)
    assert not AlertGroup.objects.exists()


def test_p7_two_pupils_are_not_a_group_however_many_alerts(world, pupils, send):
    send(pupils[0]), send(pupils[1], minutes=1), send(pupils[0], minutes=2), send(pupils[1], minutes=3)
    assert not AlertGroup.objects.exists()


def test_p7_different_terms_are_not_gathered(world, pupils, send):
    send(pupils[0], term="suicide"), send(pupils[1], term="self harm"), send(pupils[2], term="suicide squad")
    assert not AlertGroup.objects.exists()


def test_p7_the_threshold_is_a_setting(world, pupils, send, settings):
    settings.HARBOUR_ALERT_GROUP_PUPILS = 2
    send(pupils[0]), send(pupils[1], minutes=5)
    assert AlertGroup.objects.count() == 1


def test_p7_a_later_alert_within_the_hour_joins_the_group_and_the_notice_is_restated_not_repeated(world, pupils,
                                                                                                 send):
    for i in range(3):
        send(pupils[i], minutes=i)
    fourth = send(pupils[3], minutes=50)
    group = AlertGroup.objects.get()
    assert fourth.alert_group_id == group.id and group.concerns.count() == 4
    diana = Notification.objects.filter(user=world.diana, read_at__isnull=True)
    # One notice for the group, not one per alert: what is needed, by when, where; no child, no term.
    [notice] = diana
    assert notice.key == f"alert-group:{group.id}" and notice.url == reverse("concerns:alert_group", args=[group.id])
    assert "4 pupils" in notice.text and "Triage them together by" in notice.text
    assert "suicide" not in notice.text.lower() and not any(p.first_name in notice.text for p in pupils)
    # Technical staff too have one notice for the group, restated as the fourth alert joins (A5).
    [technical] = Notification.objects.filter(user=world.terry, read_at__isnull=True)
    assert technical.key == f"alert-group:{group.id}:technical" and "4 alerts" in technical.text


def test_p7_a5_technical_staff_get_one_notice_for_five_alerts_in_a_group_pointing_to_where_each_is(client, world,
                                                                                                  pupils, send):
    concerns = [send(pupils[i], minutes=i) for i in range(5)]
    group = AlertGroup.objects.get()
    assert group.concerns.count() == 5
    [notice] = Notification.objects.filter(user=world.terry, read_at__isnull=True)
    # What is needed, by when, and where; no child and no term.
    assert notice.key == f"alert-group:{group.id}:technical" and notice.reference == group.reference
    assert notice.url == reverse("concerns:inbox") and notice.due_at is not None
    assert "5 alerts" in notice.text and "technical details" in notice.text and " by " in notice.text
    assert "suicide" not in notice.text.lower() and not any(p.first_name in notice.text for p in pupils)
    sign_in(client, world.terry)  # where it points, each alert is listed for their technical part
    page = client.get(reverse("concerns:inbox")).content.decode()
    assert all(c.reference in page for c in concerns)
    # Closing the group acknowledges every alert: the notice has done its work, as each alert's own would have.
    sign_in(client, world.diana)
    client.post(reverse("concerns:alert_group_close", args=[group.id]), {"reason": "A class researching a novel."})
    assert not Notification.objects.filter(user=world.terry, read_at__isnull=True).exists()


def test_p7_the_inbox_shows_one_item_listing_each_pupil_a_flagged_pupil_first_and_marked(client, world, pupils,
                                                                                       send):
    pupils[2].has_child_protection_plan = True
    pupils[2].save()
    for i in range(3):
        send(pupils[i], minutes=i)
    sign_in(client, world.diana)
    page = client.get(reverse("concerns:inbox")).content.decode()
    group = AlertGroup.objects.get()
    assert page.count(group.reference) == 1 and "Monitoring alerts to triage together" in page
    assert not any(c.reference in page for c in group.concerns.all())  # not listed one by one
    item = page[page.index('id="alert-groups"'):page.index("There are no open concerns besides these alerts")]
    names = [p.display_name for p in pupils[:3]]
    assert all(n in item for n in names)
    assert item.index(pupils[2].display_name) < min(item.index(n) for n in names if n != pupils[2].display_name)
    assert "Child protection plan" in item


def test_p7_the_inbox_query_count_does_not_grow_with_groups_or_alerts(client, world, pupils, send,
                                                                    django_assert_max_num_queries):
    for i in range(3):
        send(pupils[i], minutes=i)
    sign_in(client, world.diana)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("concerns:inbox"))
    for i in range(3, 6):
        send(pupils[i], minutes=i, term="knife")
    send(pupils[0], minutes=7, term="knife")
    with CaptureQueriesContext(connection) as two:
        page = client.get(reverse("concerns:inbox")).content.decode()
    assert AlertGroup.objects.count() == 2 and page.count("Alerts G") == 2
    assert len(two) == len(one)


def test_p7_split_puts_each_alert_back_in_the_inbox_with_its_own_notice(client, world, pupils, send):
    concerns = [send(pupils[i], minutes=i) for i in range(3)]
    group = AlertGroup.objects.get()
    sign_in(client, world.diana)
    assert client.post(reverse("concerns:alert_group_split", args=[group.id])).status_code == 200  # no button
    assert AlertGroup.objects.get().status == "open"
    assert client.post(reverse("concerns:alert_group_split", args=[group.id]), {"decision": "split"})[
        "Location"] == reverse("concerns:inbox")
    group.refresh_from_db()
    assert group.status == "split" and group.decided_by == world.diana
    page = client.get(reverse("concerns:inbox")).content.decode()
    assert all(c.reference in page for c in concerns) and "Monitoring alerts to triage together" not in page
    unread = Notification.objects.filter(user=world.dev, read_at__isnull=True)
    assert {n.key for n in unread} == {f"concern:{c.id}" for c in concerns}
    # Technical staff's part does not change with the split: they keep their one notice for the alerts (A5).
    assert [n.key for n in Notification.objects.filter(user=world.terry, read_at__isnull=True)] == [
        f"alert-group:{group.id}:technical"]


def test_p7_b10_closing_a_group_needs_a_reason_then_closes_every_alert(client, world, pupils, send):
    for i in range(3):
        send(pupils[i], minutes=i)
    group = AlertGroup.objects.get()
    sign_in(client, world.diana)
    refused = client.post(reverse("concerns:alert_group_close", args=[group.id]), {"reason": "  "})
    assert refused.status_code == 200 and "Say why these alerts need no further action." in refused.content.decode()
    assert AlertGroup.objects.get().status == "open"
    reason = "Year 9 English researching the themes of their class novel; checked with Mr Field."
    client.post(reverse("concerns:alert_group_close", args=[group.id]), {"reason": reason})
    group.refresh_from_db()
    assert group.status == "closed" and group.reason == reason
    assert set(group.concerns.values_list("status", "acknowledged_by")) == {("closed", world.diana.id)}
    page = client.get(reverse("concerns:detail", args=[group.concerns.first().id])).content.decode()
    assert "The group was closed as needing no further action, with a reason." in page
    assert not Notification.objects.filter(user=world.diana, read_at__isnull=True).exists()


def test_p7_cases_open_for_the_chosen_pupils_and_the_rest_stay_in_the_group(client, world, pupils, send):
    concerns = [send(pupils[i], minutes=i) for i in range(3)]
    group = AlertGroup.objects.get()
    sign_in(client, world.diana)
    refused = client.post(reverse("concerns:alert_group_cases", args=[group.id]), {})
    assert "Choose the pupils to open a case for." in refused.content.decode()
    client.post(reverse("concerns:alert_group_cases", args=[group.id]), {"concerns": [concerns[0].id, concerns[2].id]})
    assert Case.objects.count() == 2
    assert set(Concern.objects.filter(case__isnull=False).values_list("id", flat=True)) == {concerns[0].id,
                                                                                             concerns[2].id}
    group.refresh_from_db()
    assert group.status == "open"
    page = client.get(reverse("concerns:alert_group", args=[group.id])).content.decode()
    assert pupils[1].display_name in page and pupils[0].display_name not in page
    client.post(reverse("concerns:alert_group_cases", args=[group.id]), {"concerns": [concerns[1].id]})
    group.refresh_from_db()
    assert group.status == "done" and Case.objects.count() == 3


@pytest.mark.parametrize("who", ["tom", "terry", "gina", "eve", "otto", "adam"])
def test_p7_access_ladder_anyone_but_the_safeguarding_team_gets_the_404_of_a_missing_group(client, world, pupils,
                                                                                          send, who):
    for i in range(3):
        send(pupils[i], minutes=i)
    group = AlertGroup.objects.get()
    urls = [reverse(name, args=[group.id]) for name in ("concerns:alert_group", "concerns:alert_group_split",
                                                          "concerns:alert_group_close", "concerns:alert_group_cases")]
    assert client.get(urls[0])["Location"].startswith(reverse("accounts:login"))
    sign_in(client, getattr(world, who))
    assert client.get(urls[0]).status_code == 404
    for url in urls[1:]:
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert AlertGroup.objects.get().status == "open"
    sign_in(client, world.diana)
    assert client.get(urls[0]).status_code == 200
    assert client.get(reverse("concerns:alert_group", args=[group.id + 1])).status_code == 404


def test_p7_a1_a_group_nobody_triaged_escalates_once_not_once_per_alert(world, pupils, send):
    from concerns.actions import escalate

    concerns = [send(pupils[i], minutes=i) for i in range(3)]
    for concern in concerns:
        assert escalate(concern=concern) is True
    group = AlertGroup.objects.get()
    late = Notification.objects.filter(user=world.hana, key=f"alert-group:{group.id}:late")
    assert late.count() == 1 and "were not triaged by" in late.get().text
    assert not Notification.objects.filter(user=world.hana, key__startswith="concern:").exists()


def test_p7_a_concerns_page_says_it_is_in_a_group_and_links_to_it_for_those_who_triage_groups(client, world, pupils,
                                                                                            send):
    concerns = [send(pupils[i], minutes=i) for i in range(3)]
    group = AlertGroup.objects.get()
    link = f'href="{reverse("concerns:alert_group", args=[group.id])}"'
    sign_in(client, world.diana)
    page = client.get(reverse("concerns:detail", args=[concerns[0].id])).content.decode()
    assert link in page and group.reference in page and "Triage them together on the group’s page." in page
    client.post(reverse("concerns:alert_group_cases", args=[group.id]), {"concerns": [concerns[0].id]})
    page = client.get(reverse("concerns:detail", args=[concerns[0].id])).content.decode()
    assert link in page and "The others in the group are still to triage together on its page." in page
    client.post(reverse("concerns:alert_group_split", args=[group.id]), {"decision": "split"})
    page = client.get(reverse("concerns:detail", args=[concerns[1].id])).content.decode()
    assert link in page and "The group was split, so each alert is triaged on its own." in page
    # Technical staff read the alert's technical summary and cannot open the group: no link, no reference (A5).
    sign_in(client, world.terry)
    told = client.get(reverse("concerns:detail", args=[concerns[1].id]))
    assert told.status_code == 200 and group.reference not in told.content.decode()
    assert 'id="alert-group-link"' not in told.content.decode()
    # A concern that came in alone says nothing of groups.
    sign_in(client, world.diana)
    alone = send(pupils[4], minutes=200, term="knife")
    assert 'id="alert-group-link"' not in client.get(reverse("concerns:detail", args=[alone.id])).content.decode()

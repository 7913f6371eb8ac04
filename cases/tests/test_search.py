"""Searching the chronology (issue 9): words from any case the person may read, newest first; nobody finds
an entry of a case they may not read; every search is audited (H2, H3)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from cases import actions
from cases.search import search
from cases.tests.helpers import make_case
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db
URL = reverse("cases:search")


@pytest.fixture
def cases(world):
    sharing = make_case(world, account="Photos were shared in the Year 9 group chat on Tuesday night.")
    actions.add_note(user=world.diana, case=sharing, text="Spoke with the child's aunt about the trampoline club.")
    allegation = make_case(world, "staff-allegation", subject_staff=world.tom,
                           account="A teacher messaged a pupil about the trampoline club late at night.")
    riverside_dsl = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")
    from concerns.actions import Report, submit_concern
    import uuid

    concern, _ = submit_concern(user=riverside_dsl, school=world.riverside, idempotency_key=uuid.uuid4(),
                                report=Report(incident_type="cyberbullying", account="Trampoline club chat.",
                                              children=[]))
    elsewhere = actions.open_case(user=riverside_dsl, concern=concern)
    return sharing, allegation, elsewhere


def test_words_stems_and_prefixes_find_the_entry_newest_first(world, cases):
    sharing, allegation, elsewhere = cases
    found = {h.case.id for h in search(world.diana, world.oakfield, "trampoline")}
    assert found == {sharing.id}  # not the allegation (the headteacher's), not Riverside's
    hits = search(world.diana, world.oakfield, "shared photo tues")  # the concern's account, stemmed and a prefix
    concern = sharing.concerns.get()
    assert [(h.case.id, h.kind, h.anchor) for h in hits] == [(sharing.id, f"Concern {concern.reference}", "concerns")]
    assert search(world.diana, world.oakfield, "trampoline photos") == []  # every word must be in one entry
    hits = search(world.diana, world.oakfield, "trampoline club chat child")  # none has all four words
    assert hits == []
    both = search(world.diana, world.oakfield, "the")  # stop words and all: entries and the concern
    assert [h.at for h in both] == sorted((h.at for h in both), reverse=True)
    hit = search(world.diana, world.oakfield, "aunt")[0]
    assert ("aunt", True) in hit.parts and hit.kind == "Note" and hit.anchor.startswith("entry-")


def test_r_h3_search_ladder(client, world, cases):
    sharing, allegation, elsewhere = cases
    assert client.post(URL, {"q": "trampoline"}).status_code == 302  # anonymous: to sign in
    sign_in(client, world.tom)
    assert client.post(URL, {"q": "trampoline"}).status_code == 404  # staff: not a case reader
    sign_in(client, world.eve)  # another trust's DSL: their own school, nothing of Oakfield's
    page = client.post(URL, {"q": "trampoline"}, follow=True)
    assert page.status_code == 200 and sharing.reference not in page.content.decode()
    sign_in(client, world.hana)  # the headteacher: the allegation only
    page = client.post(URL, {"q": "trampoline"}, follow=True).content.decode()
    assert allegation.reference in page and sharing.reference not in page
    sign_in(client, world.diana)
    page = client.post(URL, {"q": "trampoline"}, follow=True).content.decode()
    assert sharing.reference in page and allegation.reference not in page and elsewhere.reference not in page
    assert "<mark>trampoline</mark>" in page and "#entry-" in page
    event = AuditEvent.objects.filter(object_type="case_search").order_by("-seq").first()
    assert event.actor_id == world.diana.id and event.detail == {"query": "trampoline", "results": 1}


def test_a_member_added_to_a_case_finds_it_and_the_member_of_staff_it_is_about_does_not(client, world, cases):
    sharing, allegation, _ = cases
    assert search(world.tom, world.oakfield, "trampoline") == []  # the allegation is about Tom
    senco = make_user("sue@oakfield.example", "Sue Senco", school=world.oakfield, role="senco")
    actions.add_member(user=world.diana, case=sharing, member=senco, reason="Supports the child.")
    assert {h.case.id for h in search(senco, world.oakfield, "trampoline")} == {sharing.id}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_no_query_breaks_the_search(world, query):
    search(world.diana, world.oakfield, query)


def test_matches_are_read_in_batches_and_each_batch_is_access_checked(world, cases, monkeypatch):
    """With batches of 2, the headteacher's one allegation sits behind newer matches they may not read."""
    from cases import search as module

    sharing, allegation, _ = cases
    for n in range(5):  # newer matches in cases the headteacher may not read, in both sources
        actions.add_note(user=world.diana, case=sharing, text=f"Trampoline club follow-up {n}.")
        make_case(world, "cyberbullying", account=f"Trampoline club messages, report {n}.")
    monkeypatch.setattr(module, "BATCH", 2)
    found = search(world.hana, world.oakfield, "trampoline")
    assert [h.case.id for h in found] == [allegation.id]
    assert len(search(world.diana, world.oakfield, "trampoline", limit=3)) == 3
    monkeypatch.setattr(module, "MAX_BATCHES", 1)  # the bound: only the newest BATCH × MAX_BATCHES are read
    assert search(world.hana, world.oakfield, "trampoline") == []

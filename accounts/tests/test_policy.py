"""The shape every record policy takes (accounts/policy.py), and that each policy's list agrees with its
decision for one record, for every person and verb (H3, A1, A4, A5)."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.capabilities import Capability, Role, roles_with
from accounts.policy import Refused, people_who_can
from cases.access import CASES
from cases.tests.helpers import make_case
from concerns.access import CONCERNS
from concerns.actions import Report, escalate, submit_concern
from concerns.models import Concern

pytestmark = pytest.mark.django_db


def test_r_h3_a_refusal_is_the_404_of_a_missing_record(world):
    concern, _ = submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(),
                                report=Report(incident_type="cyberbullying", account="Unkind messages."))
    assert issubclass(Refused, Http404)
    for user, record in [(world.terry, concern), (AnonymousUser(), concern), (world.diana, None)]:
        with pytest.raises(Refused):
            CONCERNS.require(user, CONCERNS.Verb.SEE, record)
    with pytest.raises(Refused):
        CONCERNS.get(world.diana, CONCERNS.Verb.SEE, 987654)
    assert CONCERNS.get(world.diana, CONCERNS.Verb.SEE, concern.id) == concern
    with pytest.raises(ValueError):
        CONCERNS.require(world.diana, "delete", concern)  # a verb the policy does not know is a mistake, not a 404


def test_people_are_told_by_capability_from_the_table(world):
    assert roles_with(Capability.MANAGE_CASES) == {Role.DSL, Role.DEPUTY_DSL}
    told = people_who_can(world.oakfield, Capability.RECEIVE_CONCERNS, Capability.RECEIVE_FILTERING_ALERTS,
                          exclude=[world.dev.id])
    assert told == [world.diana, world.terry]


def test_r_a1_a4_a5_each_policys_list_is_its_decision_for_every_record(world):
    """`visible` (for lists and inboxes) and `allows` (for one record) never disagree."""
    report = {"incident_type": "cyberbullying", "account": "x", "children": [(world.pupil, "harmed")]}
    made = [
        submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(),
                       report=Report(**{**report, **extra}))[0]
        for extra in ({}, {"incident_type": "filtering-breach"}, {"incident_type": "staff-allegation",
                                                                   "subject_staff": world.tom, "children": []},
                      {"incident_type": "staff-allegation", "subject_staff": world.hana, "children": []})
    ]
    escalate(concern=made[0])
    cases = [make_case(world), make_case(world, "staff-allegation", subject_staff=world.terry)]
    people = list(world.people.values())
    for person in people:
        for verb in CONCERNS.Verb:
            listed = set(CONCERNS.visible(person, world.oakfield, verb))
            decided = {c for c in Concern.objects.filter(school=world.oakfield)
                       if CONCERNS.allows(person, verb, c)}
            assert listed == decided, (person, verb)
        for verb in CASES.Verb:
            listed = set(CASES.visible(person, world.oakfield, verb))
            assert listed == {c for c in cases if CASES.allows(person, verb, c)}, (person, verb)
    # And the inbox lists only what its reader may open (H3).
    for person in people:
        inbox = CONCERNS.inbox(person, world.oakfield)
        if inbox is not None:
            assert all(CONCERNS.allows(person, CONCERNS.Verb.SEE_SUMMARY, c) for c in inbox), person

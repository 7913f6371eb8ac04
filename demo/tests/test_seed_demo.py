"""The demo trust: idempotent, every role present, obviously fictional people."""

import pytest
from django.core.management import call_command

from accounts.capabilities import Role, TrustRole
from accounts.models import Membership, TrustMembership, User
from demo import trust
from schools.models import Carer, Pupil, School

pytestmark = pytest.mark.django_db


def counts():
    return (School.objects.count(), Pupil.objects.count(), Carer.objects.count(), User.objects.count(),
            Membership.objects.count())


def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[0] == 2 and 550 <= first[1] <= 650
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(TrustMembership.objects.values_list("role", flat=True)) == set(TrustRole.values)
    assert Pupil.objects.filter(carers__isnull=True).count() == 0
    from cases.models import Case
    from concerns.models import Concern

    # Something on every case page: cases (one with answers) and a concern in the inbox; and a
    # year of history for the reports (demo/history.py).
    assert Case.objects.count() > 2 and Concern.objects.filter(case__isnull=True).count() >= 1
    assert Case.objects.filter(facts__relationship="partners").get().facts["B2.1"] is False


def test_demo_names_are_obviously_fictional():
    call_command("seed_demo")
    for surname in Pupil.objects.values_list("legal_last_name", flat=True).distinct():
        assert any(surname.startswith(start) for start in trust.SURNAME_START), surname
    assert all(email.endswith(".example") for email in User.objects.values_list("email", flat=True))


def test_demo_upns_have_a_valid_check_letter():
    import random

    value = trust.upn(random.Random(1))
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    total = sum(int(d) * w for d, w in zip(value[1:], range(2, 14), strict=True))
    assert len(value) == 13 and value[0] == letters[total % 23]

"""seed_scale (issue 9): the counts asked for, a valid audit chain, and pages that work on the data."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from accounts.models import User
from audit.log import verify_trail
from cases.procedure_changes import pinned_text
from cases.models import Case, Entry, Task
from concerns.models import Concern, ConcernChild
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def seed(**options):
    out = StringIO()
    call_command("seed_scale", stdout=out, **options)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@override_settings(HARBOUR_DEMO_MODE=False)
def test_refuses_without_demo_mode_or_the_flag():
    with pytest.raises(CommandError, match="HARBOUR_DEMO_MODE"):
        call_command("seed_scale", preset="tiny", stdout=StringIO())
    assert not Case.objects.exists()


def test_tiny_preset_counts_chain_and_pages(client):
    figures = seed(preset="tiny", i_know_this_is_not_production=True)
    assert Case.objects.count() == figures["cases"] == 40
    assert Entry.objects.count() == figures["entries"] == 400
    assert Concern.objects.filter(case__isnull=False).count() == 40
    assert Concern.objects.filter(case__isnull=True, status="received").exists()  # the DSL inbox is not empty
    assert Task.objects.count() == figures["tasks"] > 0
    # Each case keeps the versions of its pinned copy beside it, as opening a case does (issue 24).
    assert all(c.pinned_versions == pinned_text(c.procedure) for c in Case.objects.all())
    assert ConcernChild.objects.values("pupil").distinct().count() < ConcernChild.objects.count()  # repeat children
    count, problem = verify_trail()
    assert problem is None and count == figures["audit_events"] > 40
    # Refused a second time, unless forced; forced, the chain still verifies.
    with pytest.raises(CommandError, match="already holds cases"):
        seed(preset="tiny", i_know_this_is_not_production=True)
    again = seed(schools=1, incidents=5, entries=20, i_know_this_is_not_production=True, force=True)
    assert again["cases"] == 5 and Case.objects.count() == 45
    assert verify_trail()[1] is None

    dsl = User.objects.get(email=figures["dsl"])
    sign_in(client, dsl)
    case = Case.objects.filter(school__memberships__user=dsl).order_by("id").first()
    pupil_id = ConcernChild.objects.filter(concern__school__memberships__user=dsl).values_list("pupil", flat=True)[0]
    for url in ["/", f"/cases/{case.id}/", "/concerns/inbox/", "/reports/", "/cases/", f"/pupils/{pupil_id}/",
                "/concerns/report/"]:
        assert client.get(url).status_code == 200, url


@override_settings(HARBOUR_DEMO_MODE=True)
def test_demo_mode_is_enough():
    assert seed(schools=1, incidents=3, entries=3)["entries"] == 3
    assert connection.vendor in ("sqlite", "postgresql")

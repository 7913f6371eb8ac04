"""The demo trust's registers: not empty at either school, something needing attention in each, idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from registers import periods, status
from registers.models import AgreementSignature, PhotoConsent, Policy
from schools.models import School

pytestmark = pytest.mark.django_db


def test_demo_registers_show_something_in_every_register():
    call_command("seed_demo")
    counts = (Policy.objects.count(), AgreementSignature.objects.count(), PhotoConsent.objects.count())
    call_command("seed_demo")
    assert (Policy.objects.count(), AgreementSignature.objects.count(), PhotoConsent.objects.count()) == counts
    today = timezone.localdate()
    for school in School.objects.filter(slug__in=["oakfield", "riverside"]):
        assert Policy.objects.filter(school=school).overdue(today).count() == 1
        assert Policy.objects.filter(school=school).due_soon(today).count() == 2
        assert status.unsigned_pupils(school, periods.academic_year(today)).exists()
        assert status.pupils_with_expired_consent(school, today) > 0
        assert status.leavers_due(school, today).count() == 1
        assert any(row.overdue for row in status.training_status(school, today))
        assert not status.filtering_status(school, today)["missing_roles"]
    # The overdue policy's owner and headteacher were told, once.
    assert Notification.objects.filter(text__contains="Online safety policy").count() == 4

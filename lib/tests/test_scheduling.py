"""Scheduled jobs run once however many servers' timers fire for them (issue 21.3, lib/scheduling.py).

The PostgreSQL smoke test (tests/production/test_stack.py) starts each job twice at once in two processes; these
tests pin the rule itself."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from lib import scheduling
from lib.models import ScheduledJob

pytestmark = pytest.mark.django_db


def test_a_job_claimed_once_is_refused_to_a_second_server_within_half_its_period():
    now = timezone.now()
    assert scheduling.claim("send_digests", timedelta(minutes=5), now=now) is True
    assert scheduling.claim("send_digests", timedelta(minutes=5), now=now + timedelta(seconds=40)) is False
    assert scheduling.claim("send_digests", timedelta(minutes=5), now=now + timedelta(minutes=3)) is True


def test_each_job_has_its_own_clock():
    now = timezone.now()
    assert scheduling.claim("backup", timedelta(days=1), now=now)
    assert scheduling.claim("write_audit_head", timedelta(hours=1), now=now)


def test_the_outcome_of_a_run_is_recorded():
    scheduling.claim("backup", timedelta(days=1))
    assert ScheduledJob.objects.get(name="backup").last_outcome == "running"
    scheduling.finished("backup", "ok")
    job = ScheduledJob.objects.get(name="backup")
    assert job.last_outcome == "ok" and job.last_finished_at >= job.last_started_at


def test_run_scheduled_writes_the_audit_head_once_when_two_timers_fire(settings, tmp_path):
    head = tmp_path / "audit-head.log"
    settings.HARBOUR_AUDIT_HEAD_FILE = str(head)
    out = []
    for _ in range(2):
        from io import StringIO

        buffer = StringIO()
        call_command("run_scheduled", "write_audit_head", stdout=buffer)
        out.append(buffer.getvalue())
    assert "Audit trail head recorded" in out[0]
    assert "not run here" in out[1]
    assert len(Path(head).read_text().splitlines()) == 1
    assert ScheduledJob.objects.get(name="write_audit_head").last_outcome == "ok"


def test_a_failed_run_is_recorded_as_failed_and_not_hidden(settings, monkeypatch):
    from django.core.management.base import CommandError

    from harbour.management.commands import run_scheduled

    def broken():
        raise RuntimeError("no database")

    monkeypatch.setitem(run_scheduled.JOBS, "send_digests", (timedelta(minutes=5), lambda: broken()))
    with pytest.raises(CommandError):
        call_command("run_scheduled", "send_digests")
    assert ScheduledJob.objects.get(name="send_digests").last_outcome == "failed"

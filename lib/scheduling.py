"""Scheduled jobs that run once however many servers' timers fire for them.

Each server of a deployment has the same systemd timers (deploy/), so at 07:00 every server starts the same job.
`claim(name, every)` lets the first one through and turns the others away: it locks the job's row
(lib.models.ScheduledJob), and refuses when a run started less than half a period ago. Half a period, not the
whole: two servers' clocks and timers differ by seconds, while the next proper run is a whole period away. The row
is locked for the claim only, not for the run, so a job that fails is not held: the next timer tick runs it again.

The jobs themselves are also safe to repeat (each locks what it changes); this is what stops the jobs whose every
run leaves a mark (the audit trail's head, a backup) from leaving two.
"""

import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lib.models import ScheduledJob


def claim(name, every: timedelta, now=None):
    """True if this process should run job `name` now (and it is recorded as started); False if another did."""
    now = now or timezone.now()
    ScheduledJob.objects.bulk_create([ScheduledJob(name=name)], ignore_conflicts=True)
    with transaction.atomic():
        job = ScheduledJob.objects.select_for_update().get(name=name)
        if job.last_started_at and now - job.last_started_at < every / 2:
            return False
        job.last_started_at, job.last_host, job.last_outcome = now, socket.gethostname()[:255], "running"
        job.last_finished_at = None
        job.save()
    return True


def finished(name, outcome):
    """Record how the run this process claimed ended ("ok" or "failed")."""
    ScheduledJob.objects.filter(name=name).update(last_finished_at=timezone.now(), last_outcome=outcome[:20])

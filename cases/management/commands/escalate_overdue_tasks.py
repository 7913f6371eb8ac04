"""E7 sweep: escalate every overdue, unescalated task (in case a queued job was lost)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.actions import escalate_task
from cases.models import Task
from cases.sweep import OTHER_CLOCKS


class Command(BaseCommand):
    help = "Escalate overdue tasks on open cases that have not been escalated yet."

    def handle(self, *args, **options):
        now = timezone.now()
        ids = (
            Task.objects.overdue(now)
            .filter(escalated_at__isnull=True, case__status="open")
            .values_list("id", flat=True)
        )
        count = sum(1 for task_id in list(ids) if escalate_task(task_id=task_id, now=now))
        self.stdout.write(f"{count} overdue task(s) escalated")
        for clock in OTHER_CLOCKS:  # late child protection file transfers (H5), added by transfers (cases/sweep.py)
            self.stdout.write(clock(now))

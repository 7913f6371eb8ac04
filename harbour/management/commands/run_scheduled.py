"""Run one scheduled job from a systemd timer (deploy/), once however many servers' timers fire for it.

    python manage.py run_scheduled send_digests

Every server of a deployment has the same timers. The job runs on the first server to claim it; on the others this
says so and does nothing (lib/scheduling.py). JOBS below is the one list of what is scheduled and how often; each
timer in deploy/ fires at that interval, and docs/deploy.md lists them.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lib import scheduling

# name: (how often its timer fires, the management command and its arguments)
JOBS = {
    # E7 and H5: overdue case steps escalated, late child protection file transfers chased.
    "escalate_overdue_tasks": (timedelta(minutes=5), lambda: ["escalate_overdue_tasks"]),
    # The digests of notices that can wait, at each school's times on school days.
    "send_digests": (timedelta(minutes=5), lambda: ["send_digests"]),
    # I1: overdue policy reviews alerted, once each.
    "alert_overdue_reviews": (timedelta(days=1), lambda: ["alert_overdue_reviews"]),
    # The audit trail's head written outside the database.
    "write_audit_head": (timedelta(hours=1), lambda: ["write_audit_head"]),
    # An encrypted backup into HARBOUR_BACKUP_DIR, keeping the newest HARBOUR_BACKUP_KEEP.
    "backup": (timedelta(days=1), lambda: ["backup", "--into", str(settings.HARBOUR_BACKUP_DIR),
                                           "--keep", str(settings.HARBOUR_BACKUP_KEEP)]),
}


def _words(delta):
    seconds = int(delta.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hours"
    return f"{seconds // 60} minutes" if seconds % 60 == 0 else f"{seconds} seconds"


class Command(BaseCommand):
    help = "Run a scheduled job unless another server has just run it: " + ", ".join(JOBS) + "."
    # Django's system checks run when the web server and worker start; a job started every 5 minutes skips them
    # (they read every URL and template setting, 40% of the job's start-up).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS))

    def handle(self, job, **options):
        every, command = JOBS[job]
        if not scheduling.claim(job, every):
            self.stdout.write(f"{job}: not run here, another server started it less than {_words(every / 2)} ago.")
            return
        try:
            call_command(*command(), stdout=self.stdout, stderr=self.stderr)
        except BaseException as error:
            scheduling.finished(job, "failed")
            if isinstance(error, CommandError):
                raise
            raise CommandError(f"{job} failed: {error.__class__.__name__}") from error
        scheduling.finished(job, "ok")

from django.conf import settings
from django.core.management.base import BaseCommand

from audit import head


class Command(BaseCommand):
    help = ("Record the audit trail's head (last sequence number and seal) outside the database: appended to "
            "HARBOUR_AUDIT_HEAD_FILE and written to the log. Run it hourly (cron or a systemd timer).")

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Queue the job for the background worker instead.")

    def handle(self, *args, queue=False, **options):
        if queue:
            from audit.tasks import write_trail_head

            write_trail_head.enqueue()
            self.stdout.write("Queued: the background worker will record the audit trail's head.")
            return
        entry = head.write("hourly")
        where = settings.HARBOUR_AUDIT_HEAD_FILE or "the log only (HARBOUR_AUDIT_HEAD_FILE is not set)"
        self.stdout.write(f"Audit trail head recorded: event {entry['seq']}, in {where}.")

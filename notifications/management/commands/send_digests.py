"""Send each person's digest of notices when their school's digest time has come (school days only).

Run it from a timer every few minutes (`make run` does): a slot already sent is never sent twice."""

from django.core.management.base import BaseCommand

from notifications.digest import send_due_digests


class Command(BaseCommand):
    help = "Email each person's digest of notices that are not urgent, at the times their school sets."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_due_digests()} digest email(s) sent")

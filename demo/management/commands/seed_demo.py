from django.conf import settings
from django.core.management.base import BaseCommand

from demo import trust


class Command(BaseCommand):
    help = "Create the fictional demo trust (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        schools, pupils, users = trust.seed()
        self.stdout.write(f"Demo trust ready: {schools} schools, {pupils} pupils, {users} accounts.")
        if settings.HARBOUR_DEMO_MODE:
            self.stdout.write("\nDemo sign-ins (password for all: %r):" % trust.DEMO_PASSWORD)
            for email, label, where in trust.demo_accounts():
                self.stdout.write(f"  {email:45} {label}, {where}")
            self.stdout.write("Demo mode shows each account's current security code on the sign-in pages.")

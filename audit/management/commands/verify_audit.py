import time

from django.core.management.base import BaseCommand, CommandError

from audit.log import verify_trail


class Command(BaseCommand):
    help = "Check the audit trail's hash chain. Exit 0 when intact; otherwise name the first bad event."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count, problem = verify_trail()
        elapsed = time.perf_counter() - started
        if problem:
            seq, reason = problem
            raise CommandError(f"Audit trail broken at sequence number {seq}: {reason}.")
        rate = count / elapsed if elapsed else 0
        self.stdout.write(f"Audit trail intact: {count} events checked ({rate:,.0f} events per second).")

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit import head
from audit.log import verify_trail


class Command(BaseCommand):
    help = ("Check the audit trail's hash chain, and that it still reaches every head recorded outside the database "
            "(HARBOUR_AUDIT_HEAD_FILE). Exit 0 when intact; otherwise name the first bad event.")

    def handle(self, *args, **options):
        try:
            heads = head.read()
        except head.HeadFileError as error:
            raise CommandError(f"{error}: the record of the trail's head has been changed or damaged.") from None
        started = time.perf_counter()
        ranges = []
        count, problem = verify_trail(heads=heads, ranges=ranges)
        elapsed = time.perf_counter() - started
        if problem:
            seq, reason = problem
            raise CommandError(f"Audit trail broken at sequence number {seq}: {reason}.")
        rate = count / elapsed if elapsed else 0
        self.stdout.write(f"Audit trail intact: {count} events checked ({rate:,.0f} events per second).")
        for key, first, last in ranges:
            self.stdout.write(f"Sealed with key {key or 'from before key ids'}: events {first}–{last}.")
        path = settings.HARBOUR_AUDIT_HEAD_FILE
        if not path:
            self.stdout.write("Its head is not recorded outside the database (HARBOUR_AUDIT_HEAD_FILE is not set), "
                              "so events deleted from its end would not be noticed.")
        elif not heads:
            self.stdout.write(f"No record of its head in {path} yet: run `manage.py write_audit_head` hourly.")
        else:
            records = sum(len(v) for v in heads.values())
            self.stdout.write(f"It reaches every head recorded outside the database: {records} "
                              f"record{'s' if records != 1 else ''} of the trail's head in {path} (the latest at "
                              f"event {max(heads)}).")

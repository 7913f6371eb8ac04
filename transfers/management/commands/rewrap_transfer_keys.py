from django.core.management.base import BaseCommand, CommandError

from transfers import keys


class Command(BaseCommand):
    help = ("Wrap every school's transfer private keys under the current HARBOUR_TRANSFER_KEY (after a rotation: the "
            "old key in HARBOUR_TRANSFER_RETIRED_KEYS). Safe to run twice. See docs/keys.md.")

    def handle(self, *args, **options):
        try:
            changed = keys.rewrap_all()
        except (keys.TransferKeyMissing, keys.TransferKeyMismatch) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{changed} schools' transfer keys rewrapped under key {keys.current_key_id()}.")

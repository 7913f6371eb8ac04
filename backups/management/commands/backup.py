from django.core.management.base import BaseCommand, CommandError

from backups.snapshots import BackupError, backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the database (key: HARBOUR_BACKUP_KEY) to the given file."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, path, **options):
        try:
            header = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {path}: {header['vendor']}, {header['bytes']:,} bytes before "
                          f"encryption, {header['audit_events']} audit events (head {header['audit_head'][:12]}…).")

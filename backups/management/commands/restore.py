from django.core.management.base import BaseCommand, CommandError

from backups.snapshots import BackupError, restore


class Command(BaseCommand):
    help = ("Check an encrypted backup (decryption, integrity, the audit chain inside it) and only then put it "
            "in place of the database. Stop the web server and worker first.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--replace", action="store_true", help="replace an existing SQLite database file")

    def handle(self, path, replace=False, **options):
        try:
            header = restore(path, replace_existing=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the backup of {header['created_at']}: {header['verified_events']} audit events "
                          "verified.")

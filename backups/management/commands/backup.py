from django.core.management.base import BaseCommand, CommandError

from backups.snapshots import BackupError, backup, rotate


class Command(BaseCommand):
    help = ("Write an encrypted backup of the database (key: HARBOUR_BACKUP_KEY) to the given file, or with --into "
            "to a new, dated file in a folder, keeping the newest --keep there (the daily timer does this).")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")
        parser.add_argument("--into", metavar="FOLDER", help="write harbour-<date and time>.backup in this folder")
        parser.add_argument("--keep", type=int, default=0,
                            help="with --into: then delete all but the newest KEEP backups there (0: keep all)")

    def handle(self, path=None, into=None, keep=0, **options):
        if bool(path) == bool(into):
            raise CommandError("Give either a file to write or --into a folder.")
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or more.")
        try:
            if into:
                path, header, removed = rotate(into, keep)
            else:
                header, removed = backup(path), []
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {path}: {header['vendor']}, {header['bytes']:,} bytes before "
                          f"encryption, {header['audit_events']} audit events (head {header['audit_head'][:12]}…).")
        if removed:
            self.stdout.write(f"{len(removed)} older backup(s) deleted, keeping the newest {keep}.")

"""`manage.py import_people <school-slug> <file.csv> [--full] [--strict]`: pupils, parents and carers, staff, or
network logins.

Exit status, for cron: 0 when the file was imported, even with rows left out (each is listed); 1 only when the file
was refused whole. `--strict` also exits 1 when any row was left out."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.actions import ImportRefused, import_people
from lib.uploads import MAX_STATEMENT_BYTES
from schools.models import School


class Command(BaseCommand):
    help = ("Import a CSV export from the school's MIS: pupils (keyed on UPN), parents and carers (linked to "
            "pupils by UPN) or staff (keyed on email). The kind of file is told from its column names; see "
            "docs/imports.md. Importing the same file again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("school", help="the school's slug, e.g. oakfield")
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--full", action="store_true",
                            help="the pupil file lists every pupil on roll: mark pupils not in it as left today")
        parser.add_argument("--strict", action="store_true",
                            help="exit with status 1 when any row was left out (by default only a file refused whole "
                                 "does)")

    def handle(self, *args, school, file, full, strict=False, **options):
        target = School.objects.filter(slug=school).first()
        if target is None:
            raise CommandError(f"No school with slug {school!r}.")
        path = Path(file)
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_STATEMENT_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        try:
            result = import_people(school=target, data=data, full=full, progress=self._progress)
        except ImportRefused as exc:
            raise CommandError(f"{path.name} was not imported: {exc}") from None
        self.stdout.write(f"{target.name}: {result.summary()}")
        if result.warnings:
            self.stdout.write("Imported, worth knowing:")
            for problem in result.warnings:
                self.stdout.write("  " + describe(problem))
        if result.errors:
            self.stdout.write("Rows not imported:")
            for problem in result.errors:
                self.stdout.write("  " + describe(problem))
        if result.errors and strict:
            raise CommandError(f"{len(result.errors)} rows were not imported (listed above); the others were.")

    def _progress(self, stage, done, total):
        """One line, rewritten in place: "Checked 1,250 of 2,000 rows", then "Saving…"."""
        text = {"checked": f"Checked {done:,} of {total:,} rows", "saving": "Saving…", "saved": "Saved."}[stage]
        end = "\n" if stage == "saved" else ""
        self.stderr.write(f"\r{text:<40}", ending=end)
        self.stderr.flush()


def describe(problem):
    """line 5, column "Gender", value "X": Gender 'X' is not M or F…"""
    where = [f"line {problem.line}"] if problem.line else []
    if problem.column:
        where.append(f"column {problem.column!r}" if problem.line else f"columns {problem.column}")
    if problem.line and problem.column:
        where.append(f"value {problem.value!r}")
    return (", ".join(where) + ": " if where else "") + problem.message

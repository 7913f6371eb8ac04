"""`manage.py job_title <trust-slug> ["<job title>" <role>]`: list the trust's own job titles, or add one."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from imports.models import JobTitle
from imports.vocabulary import ROLES, normalise, words
from schools.models import Trust


class Command(BaseCommand):
    help = ("Map a job title from the trust's MIS to a Harbour role, for staff imports (docs/imports.md). Without a "
            "title, list the trust's own job titles. A job title Harbour does not know imports the person as a "
            "member of staff with no safeguarding role.")

    def add_arguments(self, parser):
        parser.add_argument("trust", help="the trust's slug")
        parser.add_argument("title", nargs="?", help='the job title as the MIS writes it, e.g. "Pastoral Lead"')
        parser.add_argument("role", nargs="?", choices=ROLES, help="the Harbour role it gives")

    def handle(self, *args, trust, title, role, **options):
        target = Trust.objects.filter(slug=trust).first()
        if target is None:
            raise CommandError(f"No trust with slug {trust!r}.")
        if title is None:
            for row in JobTitle.objects.filter(trust=target):
                self.stdout.write(f"{row.title}: {row.role}")
            return
        if role is None or not normalise(title):
            raise CommandError("Give the job title and the role, e.g. job_title oak-trust \"Pastoral Lead\" staff.")
        key = normalise(title)
        shipped = words()["job_titles"].get(key)
        with transaction.atomic():
            row, created = JobTitle.objects.update_or_create(
                trust=target, normalised=key, defaults={"title": title.strip()[:100], "role": role,
                                                        "added_at": timezone.now()})
            record(actor=None, action=Action.CREATE if created else Action.UPDATE, object_type="job_title",
                   object_id=row.id, changed_fields=["title", "role"], detail={"trust": target.id, "role": role})
        note = f" (Harbour's own list says {shipped}; the trust's wins)" if shipped and shipped != role else ""
        self.stdout.write(f"{target.name}: staff with the job title {title.strip()!r} are imported as {role}{note}.")

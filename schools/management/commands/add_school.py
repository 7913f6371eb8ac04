"""`manage.py add_school <trust-slug> "Oakfield Primary School" --urn 123456 --nation england --phase primary`:
a school of the trust, with the details its letters print (issue 21.2). The trust administrator's "Add a school"
page does the same (schools.actions.add_school)."""

from django.core.management.base import BaseCommand, CommandError

from schools.actions import SchoolError, add_school
from schools.models import School, Trust


class Command(BaseCommand):
    help = ("Add a school to a trust. The URN is the school's 6-digit unique reference number; one already in "
            "Harbour is refused. The nation (default england) decides the guidance and words its procedures use. "
            "Address, telephones and safeguarding contact are what letters to families print; they can be "
            "changed later on the School details page.")

    def add_arguments(self, parser):
        parser.add_argument("trust", help="the trust's slug, as create_trust printed it")
        parser.add_argument("name", help='the school\'s name, e.g. "Oakfield Primary School"')
        parser.add_argument("--urn", required=True, help="unique reference number: 6 digits")
        parser.add_argument("--phase", required=True, choices=School.Phase.values)
        parser.add_argument("--nation", default=School.Nation.ENGLAND, choices=School.Nation.values)
        parser.add_argument("--address", default="", help="postal address; separate lines with commas or newlines")
        parser.add_argument("--phone", default="", help="the school's telephone")
        parser.add_argument("--email", default="", help="the email address for families")
        parser.add_argument("--safeguarding-contact", default="",
                            help='whom families should ask for, e.g. "Ms A Khan, designated safeguarding lead"')
        parser.add_argument("--safeguarding-phone", default="", help="the safeguarding telephone")

    def handle(self, *args, trust, name, urn, phase, nation, address, **options):
        target = Trust.objects.filter(slug=trust).first()
        if target is None:
            raise CommandError(f"No trust with slug {trust!r}. create_trust prints the slug.")
        address = "\n".join(part.strip() for part in address.replace(",", "\n").splitlines())
        try:
            school = add_school(actor=None, trust=target, name=name, urn=urn, phase=phase, nation=nation,
                                address=address, phone=options["phone"], email=options["email"],
                                safeguarding_contact=options["safeguarding_contact"],
                                safeguarding_phone=options["safeguarding_phone"])
        except SchoolError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Added {school.name} (URN {school.urn}, {school.get_phase_display().lower()}, "
                          f"{school.get_nation_display()}) to {target.name}.")
        self.stdout.write(f"School slug: {school.slug}")
        self.stdout.write(f"Next: import its staff (manage.py import_people {school.slug} staff.csv, or the trust "
                          "administrator's Import page), then send each a link to choose a password.")

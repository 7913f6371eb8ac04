"""`manage.py create_trust "Brightwater Learning Trust" --admin it@brightwater.example`: a new trust and its first
trust administrator, who chooses a password from a one-time link (issue 21.2)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.invitations import LINK_DAYS, email_is_configured, link_for
from schools.actions import SchoolError, create_trust


class Command(BaseCommand):
    help = ("Create a trust and its first trust administrator. The administrator is emailed a link to choose a "
            "password (valid for a few days, once); when email is not set up yet the link is printed here instead. "
            "The administrator then adds the trust's schools (or use add_school) and invites staff. Refuses a trust "
            "already in Harbour.")

    def add_arguments(self, parser):
        parser.add_argument("name", help='the trust\'s name, e.g. "Brightwater Learning Trust"')
        parser.add_argument("--admin", required=True, metavar="EMAIL", help="the trust administrator's email")
        parser.add_argument("--admin-name", default="", metavar="NAME",
                            help='their full name as Harbour shows it (default "Trust administrator")')
        parser.add_argument("--print-link", action="store_true",
                            help="print the link to choose a password even when it is also emailed")

    def handle(self, *args, name, admin, admin_name, print_link, **options):
        try:
            trust, user, needs_password = create_trust(name=name, admin_email=admin, admin_name=admin_name)
        except SchoolError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Created {trust.name}, with {user.email} as its trust administrator.")
        self.stdout.write(f"Trust slug: {trust.slug}")
        if not needs_password:
            self.stdout.write(f"{user.email} already has a Harbour account: they sign in as usual.")
        elif email_is_configured() and not print_link:
            self.stdout.write(f"A link to choose a password is being emailed to {user.email} (sent by the worker; "
                              f"it works once, for {LINK_DAYS} days).")
        else:
            if not email_is_configured():
                self.stdout.write("Email is not set up yet, so here is the link instead. Give it to the administrator "
                                  f"only; it works once, for {LINK_DAYS} days:")
            self.stdout.write(link_for(user))
        self.stdout.write(f"Next: add the trust's schools (manage.py add_school {trust.slug} \"School name\" --urn "
                          "123456 --phase primary), or let the administrator add them after signing in.")

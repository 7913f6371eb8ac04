"""`manage.py send_link it@brightwater.example`: a fresh one-time link to choose a password, for someone who already
has an account (a first administrator whose email never arrived, a person who forgot their password). Emailed by
the worker, or printed when email is not set up or with --print-link. Audited as an invitation."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.invitations import LINK_DAYS, email_invitation, email_is_configured, link_for
from accounts.models import User
from audit.log import Action, record


class Command(BaseCommand):
    help = ("Send someone who has a Harbour account a new link to choose a password (it works once, for a few days). "
            "When email is not set up the link is printed here instead; give it to that person only.")

    def add_arguments(self, parser):
        parser.add_argument("email", help="the person's email address in Harbour")
        parser.add_argument("--print-link", action="store_true", help="print the link even when it is also emailed")

    def handle(self, *args, email, print_link, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the address {email}. Check the spelling, or add the person first "
                               "(create_trust for a trust's first administrator, the staff import for staff).")
        if not user.is_active:
            raise CommandError(f"The account of {user.email} is closed. Reopen it before sending a link.")
        emailed = email_is_configured()
        with transaction.atomic():
            user.invited_at = timezone.now()
            user.save(update_fields=["invited_at"])
            record(actor=None, action=Action.CREATE, object_type="invitation", object_id=user.id,
                   detail={"days": LINK_DAYS, "by": "send_link", "emailed": emailed})
            if emailed:
                place = _place(user)
                transaction.on_commit(lambda: email_invitation.enqueue(user_id=user.id, school_name=place))
        if emailed:
            self.stdout.write(f"A link to choose a password is being emailed to {user.email} (sent by the worker; it "
                              f"works once, for {LINK_DAYS} days).")
        if print_link or not emailed:
            if not emailed:
                self.stdout.write("Email is not set up yet, so here is the link instead. Give it to that person "
                                  f"only; it works once, for {LINK_DAYS} days:")
            self.stdout.write(link_for(user))


def _place(user):
    """The school or trust the email names."""
    membership = user.memberships.select_related("school").first()
    if membership is not None:
        return membership.school.name
    trust = user.trust_memberships.select_related("trust").first()
    return trust.trust.name if trust is not None else "your school"

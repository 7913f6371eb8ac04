"""Letting someone choose their own password: a one-time link by email.

Staff imported from the MIS (imports.actions) get an account with no password, and Harbour never emails
a password. Whoever manages people at the school sends a link instead; the person opens it, chooses a
password, then signs in and (if their role reads case records) sets up their second factor (S1).
The same link serves someone who has forgotten their password.

The link uses Django's password-reset token: it expires after PASSWORD_RESET_TIMEOUT (3 days), and stops
working once the password is set or the person signs in. The token is made when the email is sent, by the
worker, so it is never stored in the task queue.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from accounts.models import Membership, User
from accounts.pickers import nation_words, role_label
from audit.log import Action, record

LINK_DAYS = settings.PASSWORD_RESET_TIMEOUT // 86400


def staff_of(school):
    """Everyone with a role at `school`, with their roles, for the people page (two queries)."""
    members = {}
    for m in Membership.objects.filter(school=school).select_related("user").order_by("user__full_name"):
        members.setdefault(m.user, []).append(str(role_label(m.role, school)))
    return list(members.items())


def member_of(school, user_id):
    """The member of staff at `school` with this id, or None (an id from elsewhere looks missing)."""
    return User.objects.filter(id=user_id, memberships__school=school).distinct().first()


@transaction.atomic
def send_invitation(*, actor, school, member):
    if not member.is_active:
        raise ValidationError("This person's account is closed. Reopen it before sending a link.")
    if not member.email:
        raise ValidationError("This person has no email address in Harbour.")
    member.invited_at = timezone.now()
    member.save(update_fields=["invited_at"])
    record(actor=actor, action=Action.CREATE, object_type="invitation", object_id=member.id, school=school,
           detail={"days": LINK_DAYS})
    transaction.on_commit(lambda: email_invitation.enqueue(user_id=member.id, school_name=school.name,
                                                           nation=school.nation))


# Backends that deliver nothing to a person: the operator is shown the link instead (`manage.py create_trust`).
UNDELIVERED = ("console", "locmem", "dummy", "filebased")


def email_is_configured():
    """Whether an email sent now reaches someone: an SMTP (or other real) backend with a host to send through."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2] if settings.EMAIL_BACKEND.count(".") >= 2 else ""
    if backend in UNDELIVERED:
        return False
    return backend != "smtp" or bool(settings.EMAIL_HOST)


def link_for(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:welcome", args=[uid, token])


@task()
def email_invitation(user_id, school_name, nation="england"):
    """The link to choose a password; `nation` (J8) names the safeguarding lead as the school's nation does."""
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None:
        return 0
    send_mail(
        subject="Harbour: choose your password",
        message=(
            f"You have an account on Harbour, the safeguarding system used by {school_name}.\n\n"
            f"Choose your password here within {LINK_DAYS} days. The link works once:\n{link_for(user)}\n\n"
            f"{nation_words(nation).unexpected_invitation}"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return 1


# Forgotten passwords. The page answers the same for every address, known or not, and queues one job either way
# (with the account's id, or none), so that neither its words nor its timing say whether an account exists. The
# worker sends the link, at most one per account every RESET_EVERY: asking again sooner sends nothing new (the
# first link still works), so the page cannot be used to flood someone's inbox.
RESET_EVERY = timedelta(minutes=10)


def ask_for_reset_link(email):
    """Queue the email with a link to choose a new password, if `email` is an open account's address."""
    user = User.objects.filter(email__iexact=email, is_active=True).only("id").first()
    email_reset_link.enqueue(user_id=user.id if user else None)


@task()
def email_reset_link(user_id):
    """Send the link (the worker makes its token now, so it is never in the queue). Return 1 if sent."""
    from audit.models import AuditEvent

    user = User.objects.filter(id=user_id, is_active=True).first() if user_id else None
    if user is None or not user.email:
        return 0
    recent = AuditEvent.objects.filter(object_type="password_link", object_id=str(user.id),
                                       occurred_at__gte=timezone.now() - RESET_EVERY)
    if recent.exists():
        return 0
    send_mail(
        subject="Harbour: choose a new password",
        message=(
            "Someone asked for a link to choose a new password for your Harbour account.\n\n"
            f"If it was you, choose your new password here within {LINK_DAYS} days. The link works once:\n"
            f"{link_for(user)}\n\n"
            "After that you sign in with the new password and your security code as usual.\n\n"
            "If it was not you, you need do nothing: your password has not changed. If these emails keep coming, "
            "tell the person who manages Harbour accounts at your school. Do not forward this email."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    record(actor=None, action=Action.CREATE, object_type="password_link", object_id=user.id,
           detail={"asked": "forgotten password", "days": LINK_DAYS})
    return 1


@task()
def email_second_factor_reset(user_id, school_name):
    """Tell someone their second factor was reset, so that a reset they did not ask for does not go unnoticed."""
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    send_mail(
        subject="Harbour: your security code app was reset",
        message=(
            f"The person who manages Harbour accounts at {school_name} has reset your security code app.\n\n"
            "Next time you sign in, Harbour will ask you to set up an authenticator app again, and give you new "
            "recovery codes. Your password has not changed.\n\n"
            f"If you did not ask for this, tell your headteacher or the trust's administrator today."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return 1

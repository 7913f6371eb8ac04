"""The two emails Harbour sends: one notice that cannot wait, and a person's digest of the rest.

Each names the reference, what is needed and by when, and where to go; never a child or what happened.
The sender and reply-to address come from the environment (HARBOUR_EMAIL_FROM, HARBOUR_EMAIL_REPLY_TO)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

FOOTER = ("This email never contains the details of a concern or a child's name: sign in to Harbour to see them. "
          "Do not forward it.")


def _send(subject, body, to):
    reply_to = [settings.HARBOUR_EMAIL_REPLY_TO] if settings.HARBOUR_EMAIL_REPLY_TO else None
    EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                 reply_to=reply_to).send()


def send_notice(notice):
    _send(f"Harbour: {notice.text}",
          f"{notice.text}\n\nOpen it in Harbour:\n{settings.SITE_URL}{notice.url}\n\n{FOOTER}\n",
          notice.user.email)


def send_digest(user, notices):
    """One email listing `notices` (one person's), each with its reference, what is needed, by when and a link."""
    schools = sorted({n.school.name for n in notices})
    lines = []
    for school in schools:
        if len(schools) > 1:
            lines.append(f"{school}\n")
        for n in (n for n in notices if n.school.name == school):
            lines.append(f"- {n.text}\n  {settings.SITE_URL}{n.url}\n")
    count = len(notices)
    subject = (f"Harbour: {count} thing{'s' if count != 1 else ''} waiting for you at "
               f"{schools[0] if len(schools) == 1 else f'{len(schools)} schools'}")
    intro = "These are waiting for you in Harbour. Anything urgent was emailed to you when it happened.\n\n"
    _send(subject, intro + "\n".join(lines) + f"\n{FOOTER}\n", user.email)

"""The two emails Harbour sends: one notice that cannot wait, and a person's digest of the rest.

Each names the reference, what is needed and by when, and where to go; never a child or what happened.
The sender and reply-to address come from the environment (HARBOUR_EMAIL_FROM, HARBOUR_EMAIL_REPLY_TO).
J8: each is written in the reader's language at the school it is about (Welsh at a school in Wales for someone who
chose Cymraeg; a digest about several schools is in Welsh only if every one of them would be)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext, ngettext

from lib.i18n import ENGLISH, language_for


def _footer():
    return gettext("This email never contains the details of a concern or a child's name: sign in to Harbour to see "
                   "them. Do not forward it.")


def _send(subject, body, to):
    reply_to = [settings.HARBOUR_EMAIL_REPLY_TO] if settings.HARBOUR_EMAIL_REPLY_TO else None
    EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                 reply_to=reply_to).send()


def send_notice(notice):
    with translation.override(language_for(notice.user, notice.school)):
        _send(gettext("Harbour: %(notice)s") % {"notice": notice.text},
              gettext("%(notice)s\n\nOpen it in Harbour:\n%(link)s\n\n%(footer)s\n")
              % {"notice": notice.text, "link": f"{settings.SITE_URL}{notice.url}", "footer": _footer()},
              notice.user.email)


def send_digest(user, notices):
    """One email listing `notices` (one person's), each with its reference, what is needed, by when and a link."""
    languages = {language_for(user, n.school) for n in notices}
    with translation.override(languages.pop() if len(languages) == 1 else ENGLISH):
        schools = sorted({n.school.name for n in notices})
        lines = []
        for school in schools:
            if len(schools) > 1:
                lines.append(f"{school}\n")
            for n in (n for n in notices if n.school.name == school):
                lines.append(f"- {n.text}\n  {settings.SITE_URL}{n.url}\n")
        count = len(notices)
        if len(schools) == 1:
            subject = ngettext("Harbour: %(count)d thing waiting for you at %(school)s",
                               "Harbour: %(count)d things waiting for you at %(school)s", count)
        else:
            subject = ngettext("Harbour: %(count)d thing waiting for you at %(schools)d schools",
                               "Harbour: %(count)d things waiting for you at %(schools)d schools", count)
        subject = subject % {"count": count, "school": schools[0], "schools": len(schools)}
        intro = gettext("These are waiting for you in Harbour. Anything urgent was emailed to you when it happened.")
        _send(subject, intro + "\n\n" + "\n".join(lines) + f"\n{_footer()}\n", user.email)

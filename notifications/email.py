"""The two emails Harbour sends: one notice that cannot wait, and a person's digest of the rest.

Each names the reference, what is needed and by when, and where to go; never a child or what happened.
The sender and reply-to address come from the environment (HARBOUR_EMAIL_FROM, HARBOUR_EMAIL_REPLY_TO).
J8: each is written in the reader's language at the school it is about (Welsh at a school in Wales for someone who
chose Cymraeg; a digest about several schools is in Welsh only if every one of them would be)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from lib.hooks import Hook
from lib.i18n import ENGLISH, WELSH, date_in_words, language_for, when_in_words

# J8: the words for the safeguarding lead at a school, in its nation's words (schools/nations.py). The schools
# app provides it (schools/apps.py): notifications stand below schools (tests/test_layers.py).
school_words = Hook("the words for the safeguarding lead at a school")


def _footer():
    return gettext("This email never contains the details of a concern or a child's name: sign in to Harbour to see "
                   "them. Do not forward it.")


def _send(subject, body, to):
    reply_to = [settings.HARBOUR_EMAIL_REPLY_TO] if settings.HARBOUR_EMAIL_REPLY_TO else None
    EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                 reply_to=reply_to).send()


def _short_when(moment, now):
    """A deadline short enough for a subject: the time if it is today ("2:30pm"), else the day ("7 December")."""
    local, language = timezone.localtime(moment), (translation.get_language() or ENGLISH)[:2]
    if local.date() == timezone.localtime(now).date():
        return when_in_words(local, language).rsplit(" ", 1)[-1]
    return date_in_words(local, WELSH if language == WELSH else ENGLISH).rsplit(" ", 1)[0]


def subject_for(notice, now=None):
    """A notice's subject, short enough to read in an inbox list: what is needed, by when, and the reference, in
    the active language. Never who or what happened (the body keeps the whole notice). Which notice it is comes
    from its key ("concern:12"), as the notice's actions set it."""
    now = now or timezone.now()
    what = notice.key.split(":", 1)[0]
    ref = {"reference": notice.reference}
    due = notice.due_at
    late = due is not None and due <= now
    if due is not None:
        ref["due"] = _short_when(due, now)
    if what == "opened":
        return str(school_words(notice.school).case_opened_subject).format(reference=notice.reference)
    if what == "concern":
        return (gettext("Harbour: acknowledge a concern now (%(reference)s)") if late or due is None
                else gettext("Harbour: acknowledge a concern by %(due)s (%(reference)s)")) % ref
    if what == "encompass":
        return (gettext("Harbour: name a key adult now (%(reference)s)") if late or due is None
                else gettext("Harbour: name a key adult by %(due)s (%(reference)s)")) % ref
    if what == "key-adult":
        return gettext("Harbour: speak to the safeguarding team before school starts (%(reference)s)") % ref
    if what == "pupil-more":
        return gettext("Harbour: read what a pupil added (%(reference)s)") % ref
    if what == "referral":
        return gettext("Harbour: make a referral today (%(reference)s)") % ref
    if what == "sign-off":
        return (gettext("Harbour: sign off a decision by %(due)s (%(reference)s)") if due is not None
                else gettext("Harbour: sign off a decision (%(reference)s)")) % ref
    if what == "viewing":
        return gettext("Harbour: sign a viewing record (%(reference)s)") % ref
    if what == "disposal":
        return gettext("Harbour: approve or refuse a disposal (%(reference)s)") % ref
    if what == "overdue" and due is not None:
        return gettext("Harbour: steps overdue since %(due)s (%(reference)s)") % ref
    if what == "policy-review":
        return gettext("Harbour: a policy review is overdue")
    if what == "filtering-review":
        return gettext("Harbour: the filtering and monitoring review is overdue")
    if notice.reference:
        return (gettext("Harbour: needed by %(due)s (%(reference)s)") if due is not None
                else gettext("Harbour: a notice about %(reference)s")) % ref
    return gettext("Harbour: needed by %(due)s") % ref if due is not None else gettext("Harbour: a notice for you")


def send_notice(notice):
    with translation.override(language_for(notice.user, notice.school)):
        _send(subject_for(notice),
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

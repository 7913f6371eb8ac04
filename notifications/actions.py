"""In-app notices now; email at once for what cannot wait, the rest in a digest (notifications/digest.py).

A notice says what is needed, on which reference, by when, and links to it. It never says what happened to whom:
no child's name and no detail of the incident. For one person, a notice with the same key (or, without a key,
the same text) as an unread one updates it rather than adding another, so "4 steps overdue on K000123" is one
notice however many steps fall overdue.
"""

from django.db import transaction
from django.utils import timezone

from lib.i18n import language_for, text_in
from notifications.models import Notification

Kind = Notification.Kind
URGENT = {Kind.CONCERN, Kind.REFERRAL, Kind.SIGN_OFF}


def when(moment):
    """A due time in words for a notice or email, as pages show them: "6 December 2026 at 2:30pm"."""
    local = timezone.localtime(moment)
    return f"{local:%-d %B %Y} at {local:%-I:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")


def notify(*, users, school, text, url, kind=Kind.OTHER, urgent=None, reference="", due_at=None, key=""):
    """Give each user the notice (or update their unread one with the same key) and, after commit, email the
    urgent ones at once. `text` must name no child and no detail: it is also the email's line.

    `text` may be a `lib.i18n.Words`: each person then reads it in their own language at `school` (J8: Welsh at a
    school in Wales for someone who chose Cymraeg), since a notice's words are kept as they were written."""
    urgent = kind in URGENT if urgent is None else urgent
    now = timezone.now()
    users = list(dict.fromkeys(users))
    texts = {user.id: text_in(text, language_for(user, school)) for user in users}
    match = {"key": key} if key else {"key": "", "text__in": set(texts.values())}
    existing = {}
    for n in Notification.objects.unread().filter(user__in=users, **match).order_by("created_at"):
        if key or n.text == texts[n.user_id]:
            existing[n.user_id] = n
    notices, fresh = [], []
    for user in users:
        text = texts[user.id]
        notice = existing.get(user.id)
        if notice is None:
            fresh.append(Notification(user=user, school=school, kind=kind, urgent=urgent, reference=reference,
                                      due_at=due_at, key=key, text=text, url=url, created_at=now))
            continue
        changed = notice.text != text
        notice.kind, notice.urgent, notice.reference, notice.due_at = kind, urgent, reference, due_at
        notice.text, notice.url, notice.created_at = text, url, now
        if changed:
            notice.emailed_at = None  # told again, at once or in the next digest, since what it says has changed
        notice.save(update_fields=["kind", "urgent", "reference", "due_at", "text", "url", "created_at",
                                   "emailed_at"])
        notices.append(notice)
    notices += Notification.objects.bulk_create(fresh)
    ids = [n.id for n in notices if n.urgent and n.emailed_at is None]
    if ids:
        from notifications.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.enqueue(ids))
    return notices


def resolve(*, key, users=None):
    """What the notices keyed `key` asked for is done: they are marked read (for `users`, or everyone)."""
    notices = Notification.objects.unread().filter(key=key)
    if users is not None:
        notices = notices.filter(user__in=users)
    return notices.update(read_at=timezone.now())


def mark_read(*, user, notification_ids):
    Notification.objects.filter(user=user, id__in=notification_ids, read_at__isnull=True).update(read_at=timezone.now())

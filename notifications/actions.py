"""In-app notices now, email from the background worker after commit."""

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notify(*, users, school, text, url):
    """Create an in-app notice for each user and queue one email each, after commit.

    `text` must name no child and no detail: it is also the email's body.
    """
    now = timezone.now()
    notices = Notification.objects.bulk_create(
        [Notification(user=u, school=school, text=text, url=url, created_at=now) for u in users]
    )
    ids = [n.id for n in notices]
    if ids:
        from notifications.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.enqueue(ids))
    return notices


def mark_read(*, user, notification_ids):
    Notification.objects.filter(user=user, id__in=notification_ids, read_at__isnull=True).update(read_at=timezone.now())

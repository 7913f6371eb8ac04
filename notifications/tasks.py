from django.utils import timezone
from django_tasks import task

from notifications import email
from notifications.models import Notification


@task()
def email_notifications(notification_ids):
    """Email each urgent notice's owner at once. The message says what, where and by when, never who or what
    happened. A notice already emailed, or read meanwhile, is not sent."""
    notices = Notification.objects.filter(id__in=notification_ids, emailed_at__isnull=True,
                                          read_at__isnull=True).select_related("user", "school")
    sent = 0
    for notice in notices:
        email.send_notice(notice)
        Notification.objects.filter(id=notice.id).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task()
def send_digests():
    """Each person's digest, for the schools whose digest time has come (notifications/digest.py)."""
    from notifications.digest import send_due_digests

    return send_due_digests()

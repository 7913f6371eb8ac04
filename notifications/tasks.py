from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from notifications.models import Notification


@task()
def email_notifications(notification_ids):
    """Email each notice's owner. The message says where to look, never who or what."""
    notices = Notification.objects.filter(id__in=notification_ids, emailed_at__isnull=True).select_related(
        "user", "school"
    )
    for notice in notices:
        send_mail(
            subject=f"Harbour: {notice.text}",
            message=(
                f"{notice.text}\n\nSign in to Harbour to see it:\n{settings.SITE_URL}{notice.url}\n\n"
                "This email never contains details of a concern. Do not forward it."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notice.user.email],
        )
        Notification.objects.filter(id=notice.id).update(emailed_at=timezone.now())
    return len(notices)

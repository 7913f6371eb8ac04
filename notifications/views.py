from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lib.urls import safe_next
from notifications import actions
from notifications.models import Notification


def notification_list(request):
    notices = list(Notification.objects.filter(user=request.user).select_related("school")[:100])
    return render(request, "notifications/list.html", {"notices": notices})


@require_POST
def open_notification(request, notification_id):
    """Mark the notice read and go where it points. Another person's notice is a 404."""
    notice = get_object_or_404(Notification, id=notification_id, user=request.user)
    actions.mark_read(user=request.user, notification_ids=[notice.id])
    return redirect(safe_next(request, notice.url, "home"))


@require_POST
def mark_all_read(request):
    ids = list(Notification.objects.filter(user=request.user).unread().values_list("id", flat=True))
    actions.mark_read(user=request.user, notification_ids=ids)
    return redirect("notifications:list")

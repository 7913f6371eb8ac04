from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lib.i18n import translated
from lib.urls import safe_next
from notifications import actions
from notifications.models import Notification

EARLIER = 30  # read notices shown below the unread ones


def notification_list(request):
    """Unread notices grouped by what they ask (new concerns first, then referrals and sign-offs, then overdue
    steps by case, then the rest), each with its reference, due time and link; then the latest read ones."""
    mine = Notification.objects.filter(user=request.user).select_related("school")
    unread = list(mine.unread().order_by("due_at", "-created_at"))
    groups = [(label, [n for n in unread if n.kind == kind]) for kind, label in translated(Notification.Kind.choices)]
    earlier = list(mine.filter(read_at__isnull=False).order_by("-read_at")[:EARLIER])
    return render(request, "notifications/list.html", {
        "groups": [(label, notices) for label, notices in groups if notices], "unread": len(unread),
        "earlier": earlier,
    })


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

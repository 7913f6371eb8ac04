"""The digest: everything not urgent, in one email per person at the times each school sets, on school days.

A school day is a weekday that is not a bank holiday in England and Wales (lib.workdays). The times are the
school's own (DigestTimes) or settings.HARBOUR_DIGEST_TIMES. `send_due_digests` is safe to run as often as
you like (the worker's job, `manage.py send_digests` from a timer): each slot is sent once per school.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lib.workdays import is_working_day
from notifications import email
from notifications.models import DigestTimes, Notification


def parse_times(values):
    """["07:30", "15:30"] -> [time(7, 30), time(15, 30)], sorted; refuses anything that is not HH:MM."""
    out = []
    for value in values:
        hours, _, minutes = str(value).strip().partition(":")
        out.append(time(int(hours), int(minutes)))
    return sorted(set(out))


def latest_slot(times, now):
    """The most recent digest time at or before `now` on a school day, or None within the last fortnight."""
    local = timezone.localtime(now)
    for back in range(15):
        day = local.date() - timedelta(days=back)
        if not is_working_day(day):
            continue
        for at in reversed(times):
            slot = timezone.make_aware(datetime.combine(day, at))
            if slot <= now:
                return slot
    return None


def send_due_digests(now=None):
    """Send the digest to each person with unread, not urgent, not yet emailed notices at a school whose digest
    time has come since it was last sent. Returns how many emails were sent."""
    now = now or timezone.now()
    default = parse_times(settings.HARBOUR_DIGEST_TIMES)
    pending_schools = set(Notification.objects.unread().filter(urgent=False, emailed_at__isnull=True)
                          .values_list("school_id", flat=True).distinct())
    own = {d.school_id: d for d in DigestTimes.objects.filter(school_id__in=pending_schools)}
    due = {}
    for school_id in pending_schools:
        schedule = own.get(school_id)
        slot = latest_slot(parse_times(schedule.times) if schedule and schedule.times else default, now)
        if slot is not None and (schedule is None or schedule.last_sent_at is None or schedule.last_sent_at < slot):
            due[school_id] = slot
    if not due:
        return 0
    with transaction.atomic():
        notices = list(Notification.objects.select_for_update().unread()
                       .filter(urgent=False, emailed_at__isnull=True, school_id__in=due, created_at__lte=now)
                       .select_related("user", "school").order_by("school__name", "kind", "due_at", "created_at"))
        for school_id, slot in due.items():
            DigestTimes.objects.update_or_create(school_id=school_id, defaults={"last_sent_at": slot},
                                                 create_defaults={"times": [], "last_sent_at": slot})
        by_user = {}
        for notice in notices:
            by_user.setdefault(notice.user, []).append(notice)
        sent = 0
        for user, theirs in by_user.items():
            if user.is_active:
                email.send_digest(user, theirs)
                sent += 1
            # Marked as each is sent: if the mail server fails part-way, everything rolls back and is sent next time.
            Notification.objects.filter(id__in=[n.id for n in theirs]).update(emailed_at=now)
    return sent

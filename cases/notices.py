"""What a case tells people: the reference, what is needed and by when, and a link. Never a child or a detail.

Overdue steps are one notice per case and person ("overdue:K000123"), restated as more fall overdue rather than
one notice per step, whatever counts as overdue."""

from django.urls import reverse
from django.utils import timezone

from cases.models import Task
from notifications.actions import Kind, notify, resolve, when


def tell_overdue(case, users, now):
    """One notice per person for the case's overdue steps: how many, and since when the earliest was due."""
    overdue = Task.objects.filter(case=case).overdue(now).exclude(escalated_at__isnull=True).order_by("due_at")
    count = overdue.count()
    if not count:
        return []
    earliest = overdue.first().due_at
    steps = "1 step is overdue" if count == 1 else f"{count} steps are overdue"
    text = (f"Case {case.reference} at {case.school.name}: {steps}, the earliest due {when(earliest)}. "
            "Do them, or record why not")
    return notify(users=users, school=case.school, kind=Kind.OVERDUE, reference=case.reference, due_at=earliest,
                  key=f"overdue:{case.reference}", text=text, url=reverse("cases:detail", args=[case.id]) + "#tasks")


def settle_overdue(case):
    """Steps were done: when none of the case's escalated steps is still overdue, its overdue notice has been
    answered and is marked read for everyone (a later escalation states it afresh)."""
    if not Task.objects.filter(case=case).overdue(timezone.now()).exclude(escalated_at__isnull=True).exists():
        resolve(key=f"overdue:{case.reference}")

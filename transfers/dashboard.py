"""The number transfers adds to the leaders' dashboards (reports/dashboard.py), from TransfersConfig.ready()."""

from accounts.capabilities import Capability
from reports.dashboard import Measure
from transfers.models import Transfer


def _awaiting(user, schools, now):
    """H5: child protection files sent and not yet confirmed received, against their 5-school-day clock."""
    return Transfer.objects.filter(school__in=schools, received_at__isnull=True)


def _link(user, school, transfer):
    return ("transfers:detail", transfer.id) if user.access.can(Capability.MANAGE_CASES, school) else None


AWAITING = Measure(
    "transfers-awaiting", "Files sent, awaiting receipt", "Child protection files sent to a child's new school that "
    "they have not yet confirmed receiving (within 5 school days).", "transfer", "school_id", _awaiting,
    listed=lambda transfers: transfers.select_related("pupil").order_by("due_at", "id"), link=_link)

"""What the case views share: the audit of a read and the school's staff."""

from accounts.models import User
from audit.log import Action, record


def audit_view(request, case, what="case"):
    """H2: every page that shows a case writes a VIEW event (`what` names the page)."""
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": what})


def school_staff(case):
    """Active staff at the case's school, leaving out the member of staff the case is about."""
    return list(User.objects.filter(is_active=True, memberships__school=case.school).exclude(
        id=case.subject_staff_id).distinct().order_by("full_name"))

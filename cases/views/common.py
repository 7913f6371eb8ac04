"""What the case views share: the audit of a read and the school's staff."""

from accounts.pickers import people_at
from audit.log import Action, record


def audit_view(request, case, what="case"):
    """H2: every page that shows a case writes a VIEW event (`what` names the page)."""
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": what})


def school_staff(case, *, governors=True):
    """Active people at the case's school as "name — role" (issue 20.5), leaving out the member of staff the case
    is about, and governors when `governors` is false."""
    return people_at(case.school, exclude=[case.subject_staff_id] if case.subject_staff_id else [],
                     governors=governors)

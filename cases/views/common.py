"""What the case views share: the audit of a read, and how a refusal becomes a message beside its field."""

from accounts.models import User
from audit.log import Action, record


def audit_view(request, case, what="case"):
    """H2: every page that shows a case writes a VIEW event (`what` names the page)."""
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": what})


def yes_no_unknown(value):
    return {"yes": True, "no": False}.get(value)


def form_error(message, field=None):
    """A view's error: the text, and the field it belongs beside (None: the page as a whole)."""
    return {"text": str(message), "field": field}


def messages_of(exc):
    return " ".join(exc.messages)


def school_staff(case):
    """Active staff at the case's school, leaving out the member of staff the case is about."""
    return list(User.objects.filter(is_active=True, memberships__school=case.school).exclude(
        id=case.subject_staff_id).distinct().order_by("full_name"))

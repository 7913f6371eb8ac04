"""Changes to a school's own details: what letters to families print under its name (issue 20.9)."""

from django.db import transaction

from accounts.capabilities import Capability
from audit.log import Action, record
from lib.errors import ActionError
from schools.access import require

DETAILS = ("address", "phone", "email", "safeguarding_contact", "safeguarding_phone")


class SchoolError(ActionError):
    pass


@transaction.atomic
def update_details(*, user, school, **values):
    """Save the school's address, telephone, email for families and safeguarding contact; audit what changed."""
    require(user, Capability.MANAGE_SCHOOL_DETAILS, school)
    values = {name: (values.get(name) or "").strip() for name in DETAILS}
    values["address"] = "\n".join(line.strip() for line in values["address"].splitlines() if line.strip())
    if values["safeguarding_phone"] and not values["safeguarding_contact"]:
        raise SchoolError("Say whom families should ask for on the safeguarding telephone.",
                          field="safeguarding_contact")
    changed = [name for name in DETAILS if getattr(school, name) != values[name]]
    for name in changed:
        setattr(school, name, values[name])
    if changed:
        school.save(update_fields=changed)
        record(actor=user, action=Action.UPDATE, object_type="school", object_id=school.id, school=school,
               changed_fields=changed)
    return changed

"""Which advice fits a child: from their role in the concern (rules D3, D4) and, for a
sextortion case, the NCA advice as well (E6). Pure: no database.
"""

from concerns.models import ChildRole

# A child's role → the situation whose scripts fit it. Roles not listed here (harmed,
# harmed_others, disclosed, other) have no script: the DSL uses their judgement.
SITUATION_FOR_ROLE = {
    ChildRole.PICTURED: "imagery_shared",
    ChildRole.RECEIVED: "received",
    ChildRole.WITNESS: "received",
    ChildRole.SENT: "shared_or_created",
    ChildRole.SHARED_ONWARD: "shared_or_created",
    ChildRole.CREATED: "shared_or_created",
}
SEXTORTION_PROCEDURE = "sextortion"
ORDER = ("imagery_shared", "received", "shared_or_created", "sextortion")


def situations_for(roles, procedure_id=None) -> list[str]:
    """The situations that fit a child with `roles` in a case following `procedure_id`, in a fixed order."""
    found = {SITUATION_FOR_ROLE[r] for r in roles if r in SITUATION_FOR_ROLE}
    if procedure_id == SEXTORTION_PROCEDURE:
        found.add("sextortion")
    return [s for s in ORDER if s in found]

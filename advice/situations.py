"""Which advice fits a child: from the kind of incident, the child's role in it, and whether a
child was coerced or an adult was involved (rules D3, D4, D9, E6). Pure: no database.

Rule D9: advice follows what happened to a child, not what they did under pressure. A child
coerced, blackmailed or groomed into sending an image of themselves gets the advice for a
victim, never the script for sharing another child's image; and no advice given in a
sextortion or grooming case tells a child to delete anything or to contact the offender.

What a role means depends on the kind of incident. "Sent it" in a nudes-sharing case is a
child who sent an image of themselves; in an upskirting or deepfake case the child pictured
never took part, so whoever sent the image sent someone else's.
"""

from concerns.models import ChildRole

IMAGERY_SHARED = "imagery_shared"
RECEIVED = "received"
SHARED_OR_CREATED = "shared_or_created"
SEXTORTION = "sextortion"
GROOMED = "groomed"
ORDER = (IMAGERY_SHARED, GROOMED, SEXTORTION, RECEIVED, SHARED_OR_CREATED)

SEXTORTION_PROCEDURE = "sextortion"
GROOMING_PROCEDURE = "online-sexual-abuse"

# Youth-produced imagery, and imagery found online or on a device: the child pictured, or who
# sent an image of themselves, is offered the advice for a child whose image was shared.
SELF_IMAGE_KINDS = {"nudes-sharing", "iioc"}
SELF_IMAGE_ROLES = {
    ChildRole.PICTURED: IMAGERY_SHARED,
    ChildRole.SENT: IMAGERY_SHARED,
    ChildRole.RECEIVED: RECEIVED,
    ChildRole.WITNESS: RECEIVED,
    ChildRole.SHARED_ONWARD: SHARED_OR_CREATED,
    ChildRole.CREATED: SHARED_OR_CREATED,  # unless the child is also pictured or sent it: see below
}
# Upskirting and AI-made or altered images: the child pictured never took part (B16), so
# whoever made, sent or passed on the image did it to someone else.
MADE_BY_OTHERS_KINDS = {"upskirting", "deepfake"}
MADE_BY_OTHERS_ROLES = {
    ChildRole.PICTURED: IMAGERY_SHARED,
    ChildRole.RECEIVED: RECEIVED,
    ChildRole.WITNESS: RECEIVED,
    ChildRole.SENT: SHARED_OR_CREATED,
    ChildRole.SHARED_ONWARD: SHARED_OR_CREATED,
    ChildRole.CREATED: SHARED_OR_CREATED,
}
# Sextortion and grooming: every child who may be the target gets the victim's advice. A child
# who harmed others or passed images on gets no script: the police lead, and what that child is
# told is agreed with them so that nothing warns a suspect or loses evidence.
TARGET_ROLES = {ChildRole.PICTURED, ChildRole.SENT, ChildRole.CREATED, ChildRole.HARMED, ChildRole.DISCLOSED,
                ChildRole.OTHER}
SEXTORTION_ROLES = {**{role: SEXTORTION for role in TARGET_ROLES},
                    ChildRole.RECEIVED: RECEIVED, ChildRole.WITNESS: RECEIVED}
# Someone sending a child sexual images is itself abuse, so a child who received them is a target.
GROOMING_ROLES = {**{role: GROOMED for role in TARGET_ROLES}, ChildRole.RECEIVED: GROOMED}
POLICE_LEAD_ROLES = {ChildRole.SHARED_ONWARD, ChildRole.HARMED_OTHERS}

NO_SCRIPT_FOR_KIND = ("Harbour has no advice script for this kind of incident. Use your judgement, "
                      "and the services below.")
NO_SCRIPT_FOR_ROLE = "No advice script fits this role. Use your judgement, and the services below."
POLICE_LEAD = ("The police lead in this kind of case. Agree with them what this child is told, so that "
               "nothing warns a suspect or loses evidence.")


def situations_for(roles, procedure_id, coerced=False) -> list[str]:
    """The situations whose scripts fit a child with `roles` in a case of kind `procedure_id`, in a fixed order.

    `coerced`: the case holds that a child was coerced, blackmailed or groomed (B2.2) or that an
    adult is involved (B2.1). Then a child who is pictured or sent an image of themselves is a
    victim of abuse, and gets the advice for a child who was groomed or pressured (D9).
    """
    roles = {ChildRole(r) for r in roles if r in ChildRole.values}
    found = set()
    if procedure_id == SEXTORTION_PROCEDURE:
        found = {SEXTORTION_ROLES[r] for r in roles if r in SEXTORTION_ROLES}
    elif procedure_id == GROOMING_PROCEDURE:
        found = {GROOMING_ROLES[r] for r in roles if r in GROOMING_ROLES}
    elif procedure_id in MADE_BY_OTHERS_KINDS:
        found = {MADE_BY_OTHERS_ROLES[r] for r in roles if r in MADE_BY_OTHERS_ROLES}
    elif procedure_id in SELF_IMAGE_KINDS:
        own_image = roles & {ChildRole.PICTURED, ChildRole.SENT}
        for role in roles:
            if role == ChildRole.CREATED and own_image:
                continue  # they made an image of themselves: that is not making one of another child
            if role in SELF_IMAGE_ROLES:
                found.add(SELF_IMAGE_ROLES[role])
        if coerced and own_image:
            found.add(GROOMED)
            if ChildRole.PICTURED not in roles:
                found.discard(IMAGERY_SHARED)  # sent under pressure: the groomed advice covers it
    return [s for s in ORDER if s in found]


def why_no_script(roles, procedure_id) -> str:
    """Why a child has no script, in words for the DSL (only asked when `situations_for` found none)."""
    kinds = {SEXTORTION_PROCEDURE, GROOMING_PROCEDURE} | MADE_BY_OTHERS_KINDS | SELF_IMAGE_KINDS
    if procedure_id not in kinds:
        return NO_SCRIPT_FOR_KIND
    if procedure_id in (SEXTORTION_PROCEDURE, GROOMING_PROCEDURE) and set(roles) & POLICE_LEAD_ROLES:
        return POLICE_LEAD
    return NO_SCRIPT_FOR_ROLE


def is_coerced(case_facts: dict, evaluation: dict | None = None) -> bool:
    """B2.1 or B2.2 holds on the case: from the DSL's answers, or the last evaluation (which includes
    answers the procedure implies, such as coercion in a sextortion case)."""
    met = set((evaluation or {}).get("criteria_met", []))
    return bool(met & {"B2.1", "B2.2"}) or any(case_facts.get(k) is True for k in ("B2.1", "B2.2"))

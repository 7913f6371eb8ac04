"""Which concerns are urgent from the first minute (issue 20.3, E1, B12, B15).

A kind of incident is urgent when its procedure requires a referral now whatever the answers: no condition, no
working days to make it, no decision that could settle it instead (sextortion and online sexual abuse need the
police at once). It is read from the shipped definitions, whose required referrals the law sets and no school or
trust adaptation removes. The inbox marks these rows; home pages may use `is_urgent` for theirs.
"""

from functools import lru_cache

from procedures import schema


@lru_cache(maxsize=1)
def urgent_kinds() -> dict[str, list[str]]:
    """{incident type: [agencies it must be referred to now]} for every urgent kind."""
    found = {}
    for procedure_id, definition in schema.load_all().items():
        agencies = [r["agency"] for r in definition.get("required_referrals", [])
                    if r.get("when") is None and not r.get("within_working_days") and not r.get("decision")]
        if agencies:
            found[procedure_id] = agencies
    return found


def is_urgent(concern_or_kind) -> bool:
    """Whether a concern (or an incident type) needs a referral from the first minute."""
    kind = getattr(concern_or_kind, "incident_type", concern_or_kind)
    return kind in urgent_kinds()

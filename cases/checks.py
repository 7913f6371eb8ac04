from django.core.checks import Error, register


@register()
def agencies_are_valid(app_configs, **kwargs):
    """cases/agencies.toml is validated at start-up. The resources it names are checked by advice, which keeps them
    (advice/checks.py)."""
    from cases import agencies

    try:
        agencies.all_agencies()
    except ValueError as error:
        return [Error(f"The agencies file is invalid: {error}", id="cases.E001")]
    return []


@register()
def procedures_name_known_agencies_and_outcomes(app_configs, **kwargs):
    """B5, B15: every agency a procedure requires a referral to is in cases/agencies.toml, the agencies that
    answer an immediate referral criterion are the engine's, and every outcome a procedure lists is one a case
    can record."""
    from cases import agencies
    from cases.models import Case
    from procedures import engine, nations, schema

    try:
        definitions = schema.load_all()
        known = {a["id"] for a in agencies.all_agencies()}
        layers = nations.load_all()
    except (ValueError, schema.ProcedureDefinitionError):
        return []  # reported by their own checks
    errors = []
    for pid, definition in definitions.items():
        for item in definition["required_referrals"]:
            if item["agency"] not in known:
                errors.append(Error(f"{pid}.toml requires a referral to {item['agency']!r}, which agencies.toml "
                                    "does not list", id="cases.E002"))
        for nation, layer in layers.items():  # J8: a nation's referral routes are offered to its schools
            for item in (layer["procedures"].get(pid) or {}).get("required_referrals", []):
                if agencies.offered(item["agency"], nation) is None:
                    errors.append(Error(f"{nation}.toml requires a referral to {item['agency']!r} in {pid}, which "
                                        f"agencies.toml does not offer in {nation}", id="cases.E002"))
        for outcome in definition["outcomes"]:
            if outcome["id"] not in Case.Outcome.values:
                errors.append(Error(f"{pid}.toml lists the outcome {outcome['id']!r}, which a case cannot record",
                                    id="cases.E002"))
    if set(agencies.b2_ids()) != set(engine.B2_AGENCIES):
        errors.append(Error("agencies.toml's counts_for_b2 agencies differ from procedures.engine.B2_AGENCIES",
                            id="cases.E002"))
    return errors

from django.core.checks import Error, register


@register()
def agencies_are_valid(app_configs, **kwargs):
    """cases/agencies.toml is validated at start-up, and each resource it names must exist."""
    from advice.resources import all_resources
    from cases import agencies

    try:
        data = agencies.all_agencies()
    except ValueError as error:
        return [Error(f"The agencies file is invalid: {error}", id="cases.E001")]
    known = {r["id"] for r in all_resources()}
    missing = [a["id"] for a in data if a.get("resource") and a["resource"] not in known]
    if missing:
        return [Error(f"agencies.toml names resources that advice/resources.toml lacks: {', '.join(missing)}",
                      id="cases.E001")]
    return []

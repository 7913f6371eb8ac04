from django.core.checks import Error, register


@register()
def advice_files_are_valid(app_configs, **kwargs):
    """The advice scripts and the resources directory are validated at start-up: a broken file stops the server."""
    from advice.schema import AdviceDefinitionError, read_resources, read_scripts

    try:
        read_scripts(resource_ids={r["id"] for r in read_resources()})
    except AdviceDefinitionError as error:
        return [Error(f"An advice file is invalid: {error}", id="advice.E001")]
    return []


@register()
def agencies_name_known_resources(app_configs, **kwargs):
    """Each national service cases/agencies.toml names (an agency's `resource`) is in the resources directory."""
    from advice.resources import all_resources
    from cases import agencies

    try:
        data = agencies.all_agencies()
        known = {r["id"] for r in all_resources()}
    except ValueError:
        return []  # reported by their own checks (cases.E001, advice.E001)
    missing = [a["id"] for a in data if a.get("resource") and a["resource"] not in known]
    if missing:
        return [Error(f"agencies.toml names resources that advice/resources.toml lacks: {', '.join(missing)}",
                      id="cases.E001")]  # the id it had when cases checked it
    return []

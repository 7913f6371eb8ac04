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

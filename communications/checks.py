from django.core.checks import Error, register


@register()
def message_templates_are_valid(app_configs, **kwargs):
    """The scripted messages are validated at start-up: a broken file stops the server (E2)."""
    from communications.schema import CommunicationsDefinitionError, read_templates

    try:
        read_templates()
    except CommunicationsDefinitionError as error:
        return [Error(f"A message template is invalid: {error}", id="communications.E001")]
    return []

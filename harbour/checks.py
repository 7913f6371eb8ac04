from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_is_not_for_production(app_configs, **kwargs):
    """Production always requires a real second factor: demo mode shows codes on screen."""
    if settings.HARBOUR_DEMO_MODE:
        return [
            Error(
                "HARBOUR_DEMO_MODE is on: it shows demo accounts' second-factor codes on screen.",
                hint="Unset HARBOUR_DEMO_MODE on any server that holds real records.",
                id="harbour.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def https_is_on(app_configs, **kwargs):
    if not settings.HARBOUR_HTTPS:
        return [Error("HARBOUR_HTTPS is off: cookies would travel unencrypted.", id="harbour.E002")]
    return []


@register()
def procedures_are_valid(app_configs, **kwargs):
    """Procedure definitions are validated at start-up: a broken file stops the server."""
    from procedures.schema import ProcedureDefinitionError, load_all

    try:
        load_all()
    except ProcedureDefinitionError as error:
        return [Error(f"A procedure definition is invalid: {error}", id="harbour.E003")]
    return []

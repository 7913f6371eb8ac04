from django.conf import settings
from django.core.checks import Error, register


@register()
def reporting_file_is_valid(app_configs, **kwargs):
    """reports/reporting.toml is validated at start-up: a broken file stops the server."""
    from reports.reporting import ReportingDefinitionError, load

    errors = []
    try:
        load()
    except ReportingDefinitionError as error:
        errors.append(Error(f"The reporting areas and terms are invalid: {error}", id="reports.E001"))
    if getattr(settings, "HARBOUR_SUPPRESS_BELOW", 5) < 2:
        errors.append(Error("HARBOUR_SUPPRESS_BELOW must be 2 or more: governors see numbers, never a child.",
                            id="reports.E002"))
    return errors

from django.core.checks import Error, register


@register()
def retention_rules_are_valid(app_configs, **kwargs):
    """The retention rules are validated at start-up: a broken file stops the server (H4)."""
    from records import retention

    try:
        retention.read_rules(retention.RULES_FILE)
    except retention.RetentionRuleError as error:
        return [Error(f"The retention rules are invalid: {error}", id="records.E001")]
    return []

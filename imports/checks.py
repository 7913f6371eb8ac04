from django.core.checks import Error, register


@register()
def vocabulary_is_valid(app_configs, **kwargs):
    """imports/vocabulary.toml (the column names and values of MIS exports) is validated at start-up."""
    from imports import vocabulary

    try:
        vocabulary.load()
    except ValueError as error:
        return [Error(f"The MIS vocabulary file is invalid: {error}", id="imports.E001")]
    return []

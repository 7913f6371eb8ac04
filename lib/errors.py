"""Turning a ValidationError from an action into what a GOV.UK page shows: a summary and per-field messages."""

from django.core.exceptions import ValidationError


def view_error(exc: ValidationError) -> dict:
    """{"text", "field", "fields"}: all messages, the first field to link to, and each field's message.

    An action raises ValidationError("…") for the whole form, or ValidationError({"field": "…"}) so the
    message sits beside the field that needs changing and the summary links to it.
    """
    if hasattr(exc, "error_dict"):
        fields = {name: " ".join(ValidationError(errors).messages) for name, errors in exc.error_dict.items()}
        named = {k: v for k, v in fields.items() if k != "__all__"}
        return {"text": " ".join(fields.values()), "field": next(iter(named), None), "fields": named,
                "general": fields.get("__all__", "")}
    return {"text": " ".join(exc.messages), "field": None, "fields": {}, "general": " ".join(exc.messages)}

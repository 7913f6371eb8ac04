"""Turning a ValidationError from an action, or a form's errors, into what a GOV.UK page shows: a summary and
per-field messages. The form helpers are also Jinja globals (harbour/jinja2.py)."""

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


def field_error(form, name):
    """The GOV.UK `errorMessage` parameter for one field, or None."""
    errors = form.errors.get(name) if form is not None else None
    return {"text": " ".join(errors)} if errors else None


def error_list(form, ids=None):
    """The GOV.UK error summary's `errorList`: each message linked to its field."""
    if form is None:
        return []
    ids = ids or {}
    items = []
    for name, errors in form.errors.items():
        target = "#" + ids.get(name, f"id_{name}") if name != "__all__" else None
        items += [{"text": e, "href": target} if target else {"text": e} for e in errors]
    return items

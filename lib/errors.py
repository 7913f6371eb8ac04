"""One refusal for every action, and how a page shows it beside the field it is about.

An action that cannot do what it was asked raises `ActionError` (each app has its own subclass: `CaseError`,
`RecordsError`, `RegisterError`, `TransferError`...). The message says what to do instead; `field` names the
input it is about, so the page puts the message beside that box:

    raise CaseError("Give the reason.", field="reason")
    raise CaseError({"pupil": "Choose the child.", "informed": "Say whether they were told."})

A view catches `ActionError` once and hands it to the form it read the input with (`refuse(form, exc)`), which
shows everything typed again with the message beside its field.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ActionError(ValidationError):
    """The action was refused; the message says what to do instead, beside `field` when it names one."""

    def __init__(self, message, code=None, params=None, *, field=None):
        if field is not None and isinstance(message, str):
            message = {field: [ValidationError(message, code, params)]}
        super().__init__(message, code, params)


def refuse(form, exc: ValidationError, field=None):
    """Show `exc` on a bound form: each message beside the field it names; a message naming no field of this form
    sits beside `field` when given (the box it is most likely about), else above the form."""
    fallback = field if field in form.fields else None
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None if name == NON_FIELD_ERRORS else fallback,
                           ValidationError(errors))
    else:
        form.add_error(fallback, ValidationError(exc.error_list))



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

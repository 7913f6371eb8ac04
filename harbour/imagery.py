"""The last guard for rule A3: no text that holds a picture written as text is ever saved.

Every form, action and API field checks what people type with `lib.imagery` and says so beside the
field. This pre_save receiver is the backstop for a path that forgets (or one added later, such as
a pupil-facing form): any text, or any string inside a JSON value, of a model in Harbour's own apps
that holds a picture, video or archive written as text stops the save with the field named, as the
action's own error, so the page is shown again rather than the picture stored.

A model names in `MACHINE_TEXT_FIELDS` the text fields Harbour itself writes from what was already checked,
such as an encrypted transfer package: base64 of ciphertext is random bytes, which says nothing about pictures.
"""

from functools import cache

from django.db import models

from harbour.input import APPS
from lib.imagery import find_imagery, message


@cache
def imagery_error():
    """One error that each app's views already catch and show beside the field."""
    from transfers.actions import TransferError
    from cases.actions.common import CaseError
    from records.actions import RecordsError
    from registers.actions import RegisterError

    return type("ImageryRefused", (CaseError, RecordsError, TransferError, RegisterError), {})


def _strings(value):
    """Every string in a value, however deeply a JSON value nests (no recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def refuse_imagery(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in APPS:
        return
    errors = {}
    machine_made = getattr(sender, "MACHINE_TEXT_FIELDS", ())
    for field in sender._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField, models.JSONField)) or field.name in machine_made:
            continue
        for text in _strings(getattr(instance, field.attname)):
            finding = find_imagery(text) if len(text) >= 4 else None
            if finding is not None:
                errors[field.name] = message(str(field.verbose_name).capitalize(), finding)
                break
    if errors:
        raise imagery_error()(errors)

"""The last guard for rule A3: no text that holds a picture written as text is ever saved.

Every form and API field checks what people type with `lib.imagery` and says so beside the field, and the
actions check it again for input that comes another way. This pre_save receiver is the safety net for a path
that forgets (or one added later, such as a pupil-facing form): any text, or any string inside a JSON value, of
a model in Harbour's own apps that holds a picture, video or archive written as text stops the save with
`ImageryRefused`, an action's refusal like any other (`lib.errors.ActionError`) naming the field, so a view
shows it beside that box rather than store the picture.

It is a guard, not a rule: it changes nothing and decides nothing but "never save this". The audit trail is
not judged (it records refusals, and must never be refused itself), nor are other projects' models.

A model names in `MACHINE_TEXT_FIELDS` the text fields Harbour itself writes from what was already checked,
such as an encrypted transfer package: base64 of ciphertext is random bytes, which says nothing about pictures.
"""

from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from lib.imagery import ImageryRefused, find_imagery, message

NOT_JUDGED = {"audit"}


@cache
def _judged(app_label):
    """Harbour's own apps (their code is in this project, not an installed package), except NOT_JUDGED."""
    try:
        path = Path(apps.get_app_config(app_label).path).resolve()
    except LookupError:  # a model of no installed app, such as Django's record of migrations
        return False
    return (app_label not in NOT_JUDGED and path.is_relative_to(Path(settings.BASE_DIR).resolve())
            and "site-packages" not in path.parts)


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
    if raw or not _judged(sender._meta.app_label):
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
        raise ImageryRefused(errors)

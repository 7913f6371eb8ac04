"""Which words of a prepared message are in force at a school, and saving a school's new wording.

A school may reword a template (its whole text, as the DSL adapts it on a case); its title, audience and the kinds
of incident that offer it stay as shipped. Each change is a new Wording row with the next version number and its
reason. A case's message begins from the school's latest wording.
"""

from __future__ import annotations

import copy

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from advice.schema import blaming_phrases_in
from advice.versions import may_edit, may_read  # noqa: F401 - who reads and rewords: as for the advice scripts
from audit.log import Action, record
from communications import schema
from communications.models import Wording
from lib.errors import ActionError
from schools.models import School

MAX_TEXT = 20000


class WordingError(ActionError):
    """The new wording was refused; the messages say what to change."""


def shipped(template_id: str) -> dict:
    """A copy of the template as shipped, with its text. Http404 for an unknown id."""
    template = schema.load_templates().get(template_id)
    if template is None:
        raise Http404("No such message")
    template = copy.deepcopy(template)
    template["text"] = schema.as_text(template)
    return template


def _merge(template: dict, school: School, row: Wording | None) -> dict:
    label = f"{template['title']} v{template['version']}"
    if row is not None:
        template["text"] = row.text
        label += f" · {school.name} v{row.version}"
    template["school_version"] = row.version if row is not None else None
    template["based_on_older"] = row is not None and row.shipped_version != template["version"]
    template["label"] = label
    return template


def _latest(school, template_ids) -> dict[str, Wording]:
    latest: dict[str, Wording] = {}
    for row in Wording.objects.filter(school=school, template_id__in=list(template_ids)).order_by(
            "template_id", "-version"):
        latest.setdefault(row.template_id, row)
    return latest


def effective(school: School, template_id: str) -> dict:
    """The template as `school` uses it: shipped, with the school's latest words if it has reworded them. The dict
    has the template's keys plus "text", "label" (such as "Letter to all parents… v1 · Oakfield Primary v2"),
    "school_version" (None if as shipped) and "based_on_older". One query."""
    template = shipped(template_id)
    return _merge(template, school, _latest(school, [template_id]).get(template_id))


def effective_all(school: School, templates=None) -> list[dict]:
    """`effective` for each of `templates` (default: every template, by id), in their order: one query."""
    templates = list(schema.load_templates().values()) if templates is None else templates
    latest = _latest(school, [t["id"] for t in templates])
    return [_merge(shipped(t["id"]), school, latest.get(t["id"])) for t in templates]


def history(school: School, template_id: str) -> list[Wording]:
    """The school's versions of one template, newest first, with their authors (one query)."""
    return list(Wording.objects.for_school(school).filter(template_id=template_id))


@transaction.atomic
def save_wording(*, user, school, template_id, text, reason) -> Wording:
    """Save `text` as the school's next version of a template. Return the new row.

    Check access (Http404, as for anything the user may not see, or a template that does not exist), validate
    (WordingError keyed "text" and "reason"), save and audit in one transaction. The words keep every part a message
    to many must have (what is known, what the school is doing, what to do and not do, where to get help: E2) and
    blame no child (D6). Parts in square brackets stay, for the DSL to fill in on each case.
    """
    if not may_edit(user, school):
        raise Http404("Not found")
    template = schema.load_templates().get(template_id)
    if template is None:
        raise Http404("No such message")
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    reason = (reason or "").replace("\x00", "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "Say why you are changing the wording."
    missing = [heading for _, heading in schema.PARTS if heading not in text]
    if not text:
        errors["text"] = "Write the message."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Keep the message to {MAX_TEXT:,} characters (it has {len(text):,})."
    elif missing:
        errors["text"] = ("Keep a heading for each part a message to many must have. Missing: "
                          + ", ".join(f"“{m}”" for m in missing) + ".")
    elif blaming := blaming_phrases_in(text):
        errors["text"] = ("Reword this: " + ", ".join(f"‘{w}’" for w in blaming)
                          + " can make a child feel to blame for what was done to them.")
    elif text == effective(school, template_id)["text"]:
        errors["text"] = "These are the words already in use. Change something, or go back."
    if errors:
        raise WordingError(errors)
    # Lock the school's row so two people saving at once get versions n and n+1.
    School.objects.select_for_update().filter(id=school.id).first()
    latest = Wording.objects.filter(school=school, template_id=template_id).aggregate(n=Max("version"))["n"]
    row = Wording.objects.create(template_id=template_id, school=school, version=(latest or 0) + 1,
                                 shipped_version=template["version"], text=text, reason=reason, created_by=user,
                                 created_at=timezone.now())
    record(actor=user, action=Action.CREATE, object_type="message_wording", object_id=row.id, school=school,
           changed_fields=["text"],
           detail={"template": template_id, "version": row.version, "shipped_version": template["version"]})
    return row

"""Which wording of an advice script is in force at a school, and saving a new one.

A school may reword a script (its paragraphs); the title, audience, situation and links
stay as shipped. Each change is a new AdviceOverride row with the next version number.
"""

from __future__ import annotations

import copy

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.capabilities import Capability
from advice import schema
from advice.models import AdviceOverride
from audit.log import Action, record
from lib.errors import ActionError
from schools.models import School


class AdviceError(ActionError):
    """The new wording was refused; the messages say what to change."""


# ---- reading -----------------------------------------------------------------------


def shipped(script_id: str) -> dict:
    """A copy of the script as shipped. Raise Http404 for an unknown id."""
    script = schema.load_scripts().get(script_id)
    if script is None:
        raise Http404("No such advice script")
    return copy.deepcopy(script)


def _merge(script: dict, school: School, row: AdviceOverride | None) -> dict:
    label = f"{script['title']} v{script['version']}"
    if row is not None:
        script["paragraphs"] = list(row.paragraphs)
        label += f" · {school.name} v{row.version}"
    script["school_version"] = row.version if row is not None else None
    script["based_on_older"] = row is not None and row.shipped_version != script["version"]
    script["label"] = label
    # J8: the Welsh is offered only for the wording it translates: a school's own rewording is in English only.
    script["welsh"] = script.get("cy") is not None and row is None
    return script


def in_language(script: dict, language: str) -> dict:
    """The script to print in `language` ("cy" or "en-gb"): its Welsh text where it has one that translates the
    wording in force (J8), else the English as it is. The label says which text and version was printed."""
    script = dict(script, language="en-gb")
    if language == "cy" and script.get("welsh"):
        welsh = script["cy"]
        script.update(title=welsh["title"], heading=welsh["heading"], paragraphs=list(welsh["paragraphs"]),
                      language="cy", label=f"{welsh['title']} v{script['version']} · Cymraeg v{welsh['version']}")
    return script


def effective_script(school: School, script_id: str) -> dict:
    """The script as `school` uses it: shipped, with the school's latest paragraphs if it has reworded them.

    Return a dict with the script's keys plus "label" (such as "Advice for a child whose
    image was shared v1 · Oakfield Primary v2") and "school_version" (None if as shipped).
    One query.
    """
    script = shipped(script_id)
    row = AdviceOverride.objects.filter(school=school, script_id=script_id).order_by("-version").first()
    return _merge(script, school, row)


def effective_all(school: School) -> dict[str, dict]:
    """`effective_script` for every script, keyed by id: one query for them all."""
    latest: dict[str, AdviceOverride] = {}
    for row in AdviceOverride.objects.filter(school=school).order_by("script_id", "-version"):
        latest.setdefault(row.script_id, row)
    return {sid: _merge(copy.deepcopy(s), school, latest.get(sid)) for sid, s in schema.load_scripts().items()}


def history(school: School, script_id: str) -> list[AdviceOverride]:
    """The school's versions of one script, newest first, with their authors (one query)."""
    return list(AdviceOverride.objects.for_school(school).filter(script_id=script_id))


def script_for(situation: str, audience: str) -> str:
    """The id of the shipped script for a situation and audience ("child" or "parent")."""
    for sid, script in schema.load_scripts().items():
        if script["situation"] == situation and script["audience"] == audience:
            return sid
    raise KeyError(f"no {audience} script for {situation!r}")


# ---- who may do what ---------------------------------------------------------------


def may_read(user, school) -> bool:
    """Anyone who reads cases or manages procedures at the school may read its advice scripts."""
    return school is not None and bool(
        user.access.capabilities_in(school) & {Capability.READ_CASES, Capability.MANAGE_PROCEDURES})


def may_edit(user, school) -> bool:
    """The DSL (and trust safeguarding lead) reword the school's advice, as they adapt its procedures."""
    return school is not None and user.access.can(Capability.MANAGE_PROCEDURES, school)


# ---- writing -----------------------------------------------------------------------


def clean_paragraphs(paragraphs) -> list[str]:
    """Strip each paragraph and drop the blank ones."""
    return [p.strip() for p in paragraphs if isinstance(p, str) and p.strip()]


@transaction.atomic
def save_advice_override(*, user, school, script_id, paragraphs, reason) -> AdviceOverride:
    """Save `paragraphs` as the school's next version of a script. Return the new row.

    Check access (Http404, as for anything the user may not see, or a script that does
    not exist), validate (AdviceError with messages keyed "reason" and "paragraphs"),
    save and audit in one transaction.
    """
    if not may_edit(user, school):
        raise Http404("Not found")
    script = schema.load_scripts().get(script_id)
    if script is None:
        raise Http404("No such advice script")
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Say why you are changing the wording."]
    paragraphs = clean_paragraphs(paragraphs)
    problems = schema.paragraph_problems(paragraphs, script["situation"])
    if problems:
        errors["paragraphs"] = [p[0].upper() + p[1:] + "." for p in problems]
    elif paragraphs == effective_script(school, script_id)["paragraphs"]:
        errors["paragraphs"] = ["These are the words already in use. Change something, or go back."]
    if errors:
        raise AdviceError(errors)

    # Lock the school's row so two people saving at once get versions n and n+1 (PostgreSQL;
    # SQLite's IMMEDIATE transactions already serialise writers).
    School.objects.select_for_update().filter(id=school.id).first()
    latest = AdviceOverride.objects.filter(school=school, script_id=script_id).aggregate(n=Max("version"))["n"]
    row = AdviceOverride.objects.create(
        script_id=script_id, school=school, version=(latest or 0) + 1, shipped_version=script["version"],
        paragraphs=paragraphs, reason=reason, created_by=user, created_at=timezone.now(),
    )
    record(actor=user, action=Action.CREATE, object_type="advice_override", object_id=row.id, school=school,
           changed_fields=["paragraphs"],
           detail={"script": script_id, "version": row.version, "shipped_version": script["version"]})
    return row

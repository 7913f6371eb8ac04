"""Referrals and external reports (B2, B12, B13, C8, F1): who, how, when, their reference, and their answer.

What each agency needs (its routes, whether it counts for B2, when to chase) is data in
cases/agencies.toml. A referral that expects an answer gets a chase task due that many
working days later; recording the answer completes the task.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases import agencies
from cases.actions.answers import reevaluate
from cases.actions.clocks import complete_required_steps
from cases.actions import steps
from cases.actions.common import CaseError, add_entry, require_manager, schedule_escalations
from cases.models import Entry, Referral, Task
from lib.workdays import add_working_days

MAX_URLS = 50
_url = URLValidator(schemes=["http", "https"])


def _clean_urls(text):
    urls = [line.strip() for line in (text or "").splitlines() if line.strip()]
    bad = []
    for url in urls:
        try:
            _url(url)
        except ValidationError:
            bad.append(url[:60])
    return urls, bad


def _fail(errors):
    if errors:
        raise CaseError(errors)


@transaction.atomic
def record_referral(*, user, case, agency, made_at, route="", reference="", platform="", urls="", notes="",
                    spoke_first=None, spoke_first_reason=""):
    """Record a referral or report. Refusals name the field to change.

    A closed case can still record one made late; only an open case gets a chase task.

    B13: passing the incident beyond the school community (another school, another organisation)
    asks whether the police or local safeguarding team were spoken to first, and why not if not.
    """
    require_manager(user, case)
    found = agencies.offered(agency or "", case.school.nation)
    errors = {}
    if found is None:
        raise CaseError({"agency": "Choose who the referral or report was made to."})
    route = route or (found["routes"][0] if len(found["routes"]) == 1 else "")
    if route not in found["routes"]:
        errors["route"] = f"Choose how it was made to {found['label']}."
    if made_at is None or made_at > timezone.now() + timedelta(minutes=5):
        errors["made_at"] = "Give the date and time it was made, not in the future."
    platform, reference, notes = (platform or "").strip(), (reference or "").strip(), (notes or "").strip()
    if found.get("asks_platform") and not platform:
        errors["platform"] = "Name the platform or app it was reported to."
    url_list, bad = _clean_urls(urls)
    if found.get("urls_only"):
        if not url_list:
            errors["urls"] = "Give the web addresses you reported, one on each line. Never send the images themselves."
        elif bad:
            errors["urls"] = "These are not web addresses starting http:// or https://: " + ", ".join(bad)
        elif len(url_list) > MAX_URLS:
            errors["urls"] = f"Give at most {MAX_URLS} web addresses in one report."
    else:
        url_list = []
    spoke_first_reason = (spoke_first_reason or "").strip()
    if found.get("beyond_school"):
        if spoke_first is None:
            errors["spoke_first"] = ("Say whether you spoke to the police or the local safeguarding team before "
                                     "passing this beyond the school.")
        elif spoke_first is False and not spoke_first_reason:
            errors["spoke_first_reason"] = "Say why this is being passed on without speaking to them first."
    else:
        spoke_first, spoke_first_reason = None, ""
    _fail(errors)

    now = timezone.now()
    days = found.get("feedback_working_days")
    referral = Referral.objects.create(
        case=case, kind=found["kind"], agency=found["id"], route=route, made_at=made_at, reference=reference,
        platform=platform, urls=url_list, notes=notes, spoke_first=spoke_first,
        spoke_first_reason=spoke_first_reason, feedback_due_at=add_working_days(made_at, days) if days else None,
        made_by=user, recorded_at=now)
    record(actor=user, action=Action.CREATE, object_type="referral", object_id=referral.id, school=case.school_id,
           detail={"case": case.id, "agency": referral.agency, "kind": referral.kind})
    add_entry(case, Entry.Kind.REFERRAL, user, describe(referral), _rules_for(referral))
    if referral.feedback_due_at and case.is_open:
        task = Task.objects.create(
            case=case, key=f"chase.{referral.id}", phase=Task.Phase.SHORT_TERM, rules=["B2", "F7"],
            title=f"Chase {found['label']} if there is no answer"
                  + (f" (reference {reference})" if reference else ""),
            due_at=referral.feedback_due_at)
        schedule_escalations([task])
    if case.is_open:
        complete_required_steps(user=user, case=case, agency=referral.agency,
                                note=f"the referral to {found['label']} was recorded")
        said = f"the {referral.get_kind_display().lower()} to {found['label']} was recorded"
        for event in [f"referral:{referral.agency}"] + (["referral_recorded"] if referral.kind == "referral" else []) \
                + (["referral_decided"] if referral.agency in agencies.b2_ids() else []):
            steps.event_happened(case=case, event=event, user=user, why=said)
        reevaluate(user=user, case=case, why="A referral was recorded.")
    return referral


def _rules_for(referral):
    if referral.agency in agencies.b2_ids():
        return ["B2", "B5"]
    if referral.spoke_first is not None:
        return ["B13"]
    return ["C8"] if referral.agency == "iwf" else []


def describe(referral):
    """The chronology's words for a referral: who, how and the reference."""
    verb = {"referral": "Referral to", "report": "Reported to", "shared": "Information shared with"}[referral.kind]
    parts = [f"{verb} {referral.agency_label}"]
    if referral.platform:
        parts.append(f"({referral.platform})")
    text = " ".join(parts)
    if referral.route_label:
        text += f", {referral.route_label.lower()}"
    if referral.reference:
        text += f", reference {referral.reference}"
    text += "."
    if referral.urls:
        text += f" {len(referral.urls)} web address{'es' if len(referral.urls) > 1 else ''} reported."
    if referral.spoke_first is True:
        text += " The police or local safeguarding team were spoken to first."
    elif referral.spoke_first is False:
        text += (
            f" Passed on without speaking to the police or local safeguarding team first: {referral.spoke_first_reason}"
        )
    return text


@transaction.atomic
def record_response(*, user, referral, response, response_at, outcome="", crime_reference="", outcome_code=""):
    """The agency's answer: what they said, and for the police a crime reference and outcome code.

    The chase task, if still open, is done. A later answer (the police outcome can come weeks
    later) replaces the summary on the referral; the chronology keeps every answer in order.
    """
    require_manager(user, referral.case)
    case = referral.case  # an answer can arrive after the case closed: it is still recorded
    response, outcome = (response or "").strip(), (outcome or "").strip()
    crime_reference, outcome_code = (crime_reference or "").strip(), (outcome_code or "").strip()
    errors = {}
    if not response:
        errors["response"] = "Say what they said or did."
    if response_at is None or response_at > timezone.now() + timedelta(minutes=5):
        errors["response_at"] = "Give the date and time of their answer, not in the future."
    elif response_at < referral.made_at.replace(second=0, microsecond=0):  # the form gives minutes
        errors["response_at"] = "Their answer cannot come before the referral was made."
    if len(outcome_code) > 12:
        errors["outcome_code"] = "An outcome code is short, such as 21."
    _fail(errors)
    changed = ["response", "response_at", "outcome", "crime_reference", "outcome_code"]
    referral.response, referral.response_at, referral.outcome = response, response_at, outcome
    referral.crime_reference = crime_reference or referral.crime_reference
    referral.outcome_code = outcome_code or referral.outcome_code
    referral.save(update_fields=changed)
    record(actor=user, action=Action.UPDATE, object_type="referral", object_id=referral.id, school=case.school_id,
           changed_fields=changed, detail={"case": case.id})
    text = f"Answer from {referral.agency_label}: {response}"
    if outcome:
        text += f" Outcome: {outcome}"
    if referral.crime_reference:
        text += f" Crime reference {referral.crime_reference}."
    if referral.outcome_code:
        text += f" Police outcome code {referral.outcome_code}."
    add_entry(case, Entry.Kind.REFERRAL, user, text, ["B5"])
    task = case.tasks.filter(key=f"chase.{referral.id}", completed_at__isnull=True).first()
    if task:
        task.completed_at, task.completed_by, task.result = timezone.now(), user, Task.Result.DONE
        task.note = "They answered."
        task.save(update_fields=["completed_at", "completed_by", "result", "note"])
        record(actor=user, action=Action.UPDATE, object_type="task", object_id=task.id, school=case.school_id,
               changed_fields=["completed_at", "result"], detail={"case": case.id})
    if case.is_open:
        reevaluate(user=user, case=case, why="An answer to a referral was recorded.")  # F8: the LADO's advice
    return referral

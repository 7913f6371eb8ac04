"""Harbour's REST API (Django Ninja). Each call is authenticated by a school's token, checked
against the token's scopes, and audited with the token's account as the actor (H2).

A record of another school looks exactly like a missing one: 404 (H3).

The OpenAPI schema is the contract (issue 26): each operation is declared through `_operation`, which names it
(`operationId`), lists the scope it needs (in the security requirement, in `x-scopes` and in words), the errors it
can answer with, and an example body. api/tests/test_contract.py walks the schema; a client generated from it is
driven against a live server by api/tests/test_generated_client.py.
"""

import inspect

from datetime import timedelta
from typing import Annotated

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, QueryDict
from django.utils import timezone
from ninja import NinjaAPI, Path, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from accounts.capabilities import ROLE_LABELS
from accounts.models import User
from api import actions, tokens
from api.body import BodyRefused, JsonOnly, too_large
from api.imagery import EXPLANATION
from api.schemas import (
    UPN,
    UPN_DESCRIPTION,
    YEAR_GROUP_NAMES,
    named_enum,
    AlertIn,
    CaseStatus,
    ConcernCreated,
    ConcernIn,
    ConcernStatus,
    Error,
    Evaluation,
    Facts,
    PoliceNoticeCreated,
    PoliceNoticeIn,
    PupilOut,
)
from api.scopes import Scope
from audit.log import Action, record, record_refusal
from cases.models import Case, phase_deadlines
from concerns.actions import Report, submit_concern
from concerns.forms import ConcernForm
from concerns.models import ChildRole, Concern, DeviceIsolation, IncidentType, Route
from procedures import engine, schema, versions
from schools.models import Pupil

Id = Annotated[int, Path(ge=1, le=2**53)]
ProcedureName = named_enum("ProcedureName", schema.load_all(),
                           "A procedure's id: one for each kind of incident, as the definition files name them.")
ProcedureId = Annotated[ProcedureName, Path(description="The procedure's id")]


class TokenAuth(HttpBearer):
    """A school's token, holding `scope`. Checked before the body is read, so a token without the scope
    gets 403 whatever it sends, and a call without a valid token gets 401."""

    openapi_scheme = "bearer"

    def __init__(self, scope=None):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is None:
            return None
        request.api_token = found
        if self.scope and not found.has_scope(self.scope):
            _refused(request, "api_call", reason="scope", scope=str(self.scope))
            raise HttpError(403, f"This token may not do that. Ask your trust administrator for a token with the "
                                 f"'{self.scope}' scope.")
        return found


CHOICES_IN_WORDS = {
    "IncidentType": ("The kind of incident.", IncidentType.choices),
    "ChildRole": ("How the child is involved.", ChildRole.choices),
    "DeviceIsolation": ("How a confiscated device was kept: flight mode is preferred, switched off if that is not "
                        "possible.", DeviceIsolation.choices),
}


class HarbourAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema, with the site's own address as its server (`HARBOUR_SITE_URL`), read when it is asked for."""
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document["servers"] = [{"url": settings.SITE_URL, "description": "This Harbour"}]
        named = document["components"]["schemas"]
        for name, (intro, choices) in CHOICES_IN_WORDS.items():  # each value of the models' own choices, in words
            named[name]["description"] = intro + " " + "; ".join(f"`{value}`: {label}" for value, label in choices)
        for operations in document["paths"].values():
            for operation in operations.values():  # the scope the operation needs, in its security requirement
                operation["security"] = [{"TokenAuth": operation["x-scopes"]}]
                for parameter in operation.get("parameters", []):  # Ninja writes a named enum out in full
                    title = parameter["schema"].get("title")
                    if title in named and "enum" in named[title] and named[title]["enum"] == parameter["schema"].get(
                            "enum"):
                        parameter["schema"] = {"$ref": f"#/components/schemas/{title}"}
        return document


api = HarbourAPI(
    title="Harbour API",
    version="1",
    description=(
        "Report concerns and monitoring alerts, read the status of concerns and cases, look up pupils and "
        "evaluate procedures. Send a school's token as `Authorization: Bearer hbr_…`; each operation names the "
        "scope its token needs. Images, videos and archives are never accepted, in any field or form. Every "
        "error is JSON: a sentence in `detail`, and what is wrong field by field in `errors`."
    ),
    auth=TokenAuth(),
    parser=JsonOnly(),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)

# The errors an operation can answer with, and what each means to a client.
ERRORS = {
    400: "The body is not valid JSON.",
    401: "No valid token was sent. The answer carries `WWW-Authenticate: Bearer`.",
    403: "The token does not have the scope this operation needs.",
    404: "Not found: nothing with this id at the token's school (something at another school looks the same).",
    409: "The `idempotency_key` was already used for another concern. Send a new key.",
    413: "The body is too large.",
    415: "The body is not sent as JSON (`Content-Type: application/json`).",
    422: "What was sent is not valid: `errors` names each field and what is wrong with it.",
}
BODY_ERRORS = (400, 413, 415)  # wherever a body is read


def _operation(method, path, *, scope, operation_id, ok, errors, tags, summary, example=None):
    """Declare an operation: its name, the scope it needs, its answers (each error in `errors` as Error), and the
    example of its body. The description is the function's docstring, with the scope in words."""

    def declare(func):
        extra = {"x-scopes": [str(scope)],
                 "responses": {code: {"description": ERRORS[code]} for code in errors}}
        if example is not None:
            extra["requestBody"] = {"content": {"application/json": {"example": example}}}
        what = scope.label[:1].lower() + scope.label[1:]
        description = f"{inspect.cleandoc(func.__doc__)}\n\nNeeds a token with the `{scope}` scope: {what}."
        return api.api_operation([method], path, response={**ok, **{code: Error for code in errors}},
                                 auth=TokenAuth(scope), tags=tags, summary=summary, description=description,
                                 operation_id=operation_id, openapi_extra=extra)(func)

    return declare


def _audit(request, action, object_type, object_id="", **detail):
    token = getattr(request, "api_token", None)
    record(actor=token.account if token else None, action=action, object_type=object_type, object_id=object_id,
           school=token.school_id if token else None,
           detail={"via": "api", **({"api_token": token.id} if token else {}), **detail})


def _refused(request, object_type, *, reason, **detail):
    token = getattr(request, "api_token", None)
    record_refusal(actor=token.account if token else None, object_type=object_type,
                   school=token.school_id if token else None, reason=reason, via="api",
                   **({"api_token": token.id} if token else {}), **detail)


def _not_found(request, object_type, what):
    _refused(request, object_type, reason="not_found")
    raise Http404(what)


# -- Errors: always JSON, always a plain sentence --------------------------------------------------


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    _refused(request, "api_call", reason="no_valid_token")
    response = api.create_response(request, {"detail": "Send a valid, unrevoked API token as "
                                                       "'Authorization: Bearer <token>'.", "errors": []}, status=401)
    # RFC 6750: how to authenticate, and whether the token sent was the problem.
    sent = "HTTP_AUTHORIZATION" in request.META
    response["WWW-Authenticate"] = 'Bearer realm="Harbour API"' + (', error="invalid_token"' if sent else "")
    return response


@api.exception_handler(Http404)
def _missing(request, exc):
    return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc.__cause__, BodyRefused):  # Ninja wraps its parser's errors (api/body.py)
        return _body_refused(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def _request_too_big(request, exc):
    return _body_refused(request, too_large())


def _body_refused(request, refused):
    _refused(request, "api_call", reason="body", status=refused.status)
    return api.create_response(request, {"detail": refused.detail, "errors": []}, status=refused.status)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = [
        {
            "field": ".".join(
                str(p) for p in e.get("loc", ()) if p not in ("body", "path", "query", "payload", "facts")
            ),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    if any(e.get("type") == "imagery" for e in exc.errors):
        _refused(request, "api_imagery", reason="imagery")
        return api.create_response(request, {"detail": EXPLANATION, "errors": errors}, status=422)
    if getattr(request, "api_token", None):
        _refused(request, "api_call", reason="invalid")
    return api.create_response(request, {"detail": "Some of what was sent is not valid: see errors.",
                                          "errors": errors}, status=422)


class Conflict(Exception):
    """The call clashes with what is already recorded (an idempotency key used for another concern): 409."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


@api.exception_handler(Conflict)
def _conflict(request, exc):
    _refused(request, "api_call", reason="conflict", field=exc.field)
    return api.create_response(request, {"detail": exc.message, "errors": [{"field": exc.field,
                                                                            "message": exc.message}]}, status=409)


def _refuse(request, errors):
    """Refuse the call as invalid; the ValidationError handler audits it."""
    raise ValidationError([{"loc": (field,), "msg": message} for field, message in errors])


# -- Concerns (A1–A7) ------------------------------------------------------------------------------


@_operation("POST", "/concerns", scope=Scope.CONCERNS_CREATE, operation_id="reportConcern",
            ok={200: ConcernCreated, 201: ConcernCreated}, errors=(*BODY_ERRORS, 401, 403, 409, 422),
            tags=["concerns"], summary="Report a concern", example={
    "incident_type": "cyberbullying", "account": "She said: they keep posting about me in the class group chat.",
    "children": [{"upn": "A999000000001", "role": "harmed"}], "occurred_at": "2026-03-02T10:15:00Z",
    "dsl_told_in_person": False, "idempotency_key": "5b0e8f1c-3c1e-4d5f-9a1d-2f0c6e7b8a90"})
def create_concern(request, payload: ConcernIn):
    # A1, A4: the report page's rules; the DSL is alerted at once.
    """Record a concern and tell the safeguarding team at once, with the report page's rules. Children are named
    by UPN. Retrying with the same `idempotency_key` returns the concern already made (200)."""
    token = request.api_token
    school = token.school
    upns = [c.upn for c in payload.children]
    pupils = {p.upn: p for p in Pupil.objects.filter(school=school, upn__in=upns)}
    errors = [(f"children.{i}.upn", f"No pupil at this school has the UPN {c.upn}.")
              for i, c in enumerate(payload.children) if c.upn not in pupils]
    subject = None
    if payload.subject_staff_email:
        subject = User.objects.filter(email__iexact=payload.subject_staff_email, is_active=True,
                                      memberships__school=school).distinct().first()
        if subject is None:
            errors.append(("subject_staff_email", "No member of staff at this school has that email address."))
    if errors:
        _refuse(request, errors)
    children = [(pupils[c.upn], c.role) for c in payload.children]
    form = ConcernForm(_form_data(payload, children, subject), pupils_by_id={p.id: p for p, _ in children},
                       staff_choices=[(str(subject.id), subject.full_name)] if subject else [], school=school)
    if not form.is_valid():
        _refuse(request, [(name if name != "__all__" else "", " ".join(msgs)) for name, msgs in form.errors.items()])
    key = payload.idempotency_key or _new_key()
    existing = Concern.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.reported_by_id != token.account_id:
        raise Conflict("idempotency_key", "This key was used for another concern. Send a new one.")
    concern, created = submit_concern(user=token.account, school=school, idempotency_key=key, report=Report(
        incident_type=payload.incident_type, account=payload.account, children=children, subject_staff=subject,
        occurred_at=payload.occurred_at, location=payload.location, disclosed_to=payload.disclosed_to,
        disclosed_at=payload.disclosed_at, actions_taken=payload.actions_taken,
        device_confiscated=payload.device_confiscated, device_isolation=payload.device_isolation or "",
        device_location=payload.device_location, dsl_told_in_person=payload.dsl_told_in_person,
        breach_url=payload.breach_url, breach_device_or_user=payload.breach_device_or_user,
        breach_seen=payload.breach_seen, provider_told=payload.provider_told, parents_told=payload.parents_told,
    ))
    if not created:
        _audit(request, Action.VIEW, "concern", concern.id, repeat=True)
    return Status(201 if created else 200, _created(concern, created))


def _new_key():
    import uuid

    return uuid.uuid4()


def _form_data(payload, children, subject):
    """The report page's form checks the same rules here: the API reuses it, not a copy of it."""
    data = QueryDict(mutable=True)
    fields = ("incident_type", "account", "location", "disclosed_to", "actions_taken", "device_location",
              "breach_url", "breach_device_or_user", "breach_seen")
    for name in fields:
        data[name] = str(getattr(payload, name) or "")
    yes_no = {True: "yes", False: "no", None: ""}
    data["device_confiscated"] = yes_no[payload.device_confiscated]
    data["device_isolation"] = payload.device_isolation or ""
    data["dsl_told_in_person"] = yes_no[payload.dsl_told_in_person]
    data["provider_told"] = yes_no[payload.provider_told]
    data["parents_told"] = yes_no[payload.parents_told]
    data["subject_staff"] = str(subject.id) if subject else ""
    data["idempotency_key"] = "00000000-0000-4000-8000-000000000000"  # checked by the API itself
    for pupil, role in children:
        data.appendlist("child", str(pupil.id))
        data[f"role_{pupil.id}"] = role
    return data


def _created(concern, created):
    return {"id": concern.id, "reference": concern.reference, "status": concern.status, "created": created}


@_operation("GET", "/concerns/{concern_id}", scope=Scope.CONCERNS_READ, operation_id="getConcernStatus",
            ok={200: ConcernStatus}, errors=(401, 403, 404, 422), tags=["concerns"], summary="Read a concern's status")
def concern_status(request, concern_id: Id):
    # A7: status and deadline only. A4: a concern about staff only to the token that reported it.
    """Status and the acknowledgement deadline only: never what was reported or who is involved. A concern about a
    member of staff is visible only to the token that reported it."""
    token = request.api_token
    concern = Concern.objects.select_related("case").filter(id=concern_id, school=token.school_id).first()
    if concern is None or (concern.route != Route.DSL and concern.reported_by_id != token.account_id):
        _not_found(request, "concern", "No such concern")
    _audit(request, Action.VIEW, "concern", concern.id, fields="status")
    minutes = settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES
    case = concern.case
    return {
        "id": concern.id, "reference": concern.reference, "incident_type": concern.incident_type,
        "status": concern.status, "created_at": concern.created_at,
        "acknowledge_by": concern.created_at + timedelta(minutes=minutes),
        "acknowledged_at": concern.acknowledged_at, "escalated_at": concern.escalated_at,
        "case": {"id": case.id, "reference": case.reference, "status": case.status} if case else None,
    }


# -- Cases -------------------------------------------------------------------------------------


@_operation("GET", "/cases/{case_id}", scope=Scope.CASES_READ, operation_id="getCaseStatus",
            ok={200: CaseStatus}, errors=(401, 403, 404, 422), tags=["cases"], summary="Read a case's status")
def case_status(request, case_id: Id):
    # E7 (phase deadlines), B5 (the outcome); A4: never a case about a member of staff.
    """Status, phase deadlines, tasks due and the outcome: never the narrative. A case about a member of staff is
    never shown."""
    token = request.api_token
    case = Case.objects.filter(id=case_id, school=token.school_id, route=Route.DSL).first()
    if case is None:
        _not_found(request, "case", "No such case")
    _audit(request, Action.VIEW, "case", case.id, fields="status")
    now = timezone.now()
    outstanding = list(case.tasks.outstanding().values_list("due_at", flat=True))
    due = sorted(d for d in outstanding if d is not None)
    return {
        "id": case.id, "reference": case.reference, "incident_type": case.incident_type, "status": case.status,
        "procedure": case.procedure_label, "opened_at": case.opened_at,
        "phase_deadlines": phase_deadlines(case.procedure, case.incident_recorded_at),
        "tasks_outstanding": len(outstanding), "tasks_overdue": sum(1 for d in due if d < now),
        "next_task_due_at": due[0] if due else None, "outcome": case.outcome or None, "closed_at": case.closed_at,
    }


# -- Pupils -------------------------------------------------------------------------------------


@_operation("GET", "/pupils/{upn}", scope=Scope.PUPILS_READ, operation_id="getPupilByUpn", ok={200: PupilOut},
            errors=(401, 403, 404, 422), tags=["pupils"], summary="Look up a pupil by UPN")
def pupil_by_upn(request, upn: Annotated[UPN, Path(description=UPN_DESCRIPTION)]):
    # H2: each look-up is audited.
    """The pupil with this UPN at the token's school: names, date of birth and year group (as a number and in
    words: -1 nursery, 0 reception, 1 to 14 year 1 to year 14). Each look-up is in the audit trail."""
    token = request.api_token
    pupil = Pupil.objects.filter(school=token.school_id, upn=upn.upper()).first()
    if pupil is None:
        _not_found(request, "pupil", "No such pupil")
    _audit(request, Action.VIEW, "pupil", pupil.id)
    return {
        "id": pupil.id, "upn": pupil.upn, "legal_first_name": pupil.legal_first_name,
        "legal_last_name": pupil.legal_last_name, "preferred_first_name": pupil.preferred_first_name,
        "preferred_last_name": pupil.preferred_last_name, "date_of_birth": pupil.date_of_birth,
        "year_group": pupil.year_group, "year_group_name": YEAR_GROUP_NAMES[pupil.year_group],
        "on_roll": pupil.left_on is None, "left_on": pupil.left_on,
    }


# -- Procedures ----------------------------------------------------------------------------------


@_operation("POST", "/procedures/{procedure_id}/evaluate", scope=Scope.PROCEDURES_EVALUATE,
            operation_id="evaluateProcedure", ok={200: Evaluation}, errors=(*BODY_ERRORS, 401, 403, 404, 422),
            tags=["procedures"], summary="Evaluate a procedure against answers",
            example={"B2.1": False, "B2.2": True, "B3.2": False, "referrals_recorded": ["police"]})
def evaluate_procedure(request, procedure_id: ProcedureId, facts: Facts):
    """The procedure's answer (as `manage.py procedure evaluate <id> facts.json` gives it), with the version in
    force at the token's school. A fact left out, or not true or false, is unknown. What a case has recorded
    (`referral_recorded`, `referrals_recorded`…) is given as facts too, so the answer is the one the case gives
    (`blocked_outcomes`, with the reasons in `blocked_reasons`)."""
    token = request.api_token
    facts = facts.model_dump(exclude_unset=True)
    procedure = versions.effective_for(token.school, procedure_id.value)  # Http404 for an unknown id
    _audit(request, Action.VIEW, "procedure", procedure_id.value)
    return {**engine.evaluate(procedure, facts, role_labels=ROLE_LABELS), "procedure": procedure["pinned"]["label"]}


# -- Monitoring alerts in (A5) -----------------------------------------------------------------------


@_operation("POST", "/alerts", scope=Scope.ALERTS_CREATE, operation_id="sendAlert",
            ok={200: ConcernCreated, 201: ConcernCreated}, errors=(*BODY_ERRORS, 401, 403, 422), tags=["alerts"],
            summary="Send a filtering or monitoring alert", example={
    "source": "Smoothwall", "alert_id": "SW-2026-000123", "occurred_at": "2026-03-02T10:15:00Z",
    "category": "Self-harm", "severity": "high", "user": "j.smith", "device": "LAPTOP-042",
    "url": "https://example.com/page", "upn": "A999000000001"})
def receive_alert(request, payload: AlertIn):
    # A5.
    """A filtering or monitoring alert becomes a concern in the safeguarding team's inbox, and the team and the
    technical staff are told at once. Give the user or the device, and the web address or the matched text. The
    same `source` and `alert_id` again return the same concern (200)."""
    token = request.api_token
    missing = [(field, message) for field, message, given in (
        ("user", "Give the user or the device the alert is about.", payload.user or payload.device),
        ("url", "Give the web address, or the text that was matched.", payload.url or payload.matched_text),
    ) if not given]
    if missing:
        _refuse(request, missing)
    pupil = None
    if payload.upn:
        pupil = Pupil.objects.filter(school=token.school_id, upn=payload.upn.upper()).first()
        if pupil is None:
            _refuse(request, [("upn", f"No pupil at this school has the UPN {payload.upn}.")])
    concern, created = actions.receive_alert(token=token, alert=actions.Alert(
        source=payload.source, alert_id=payload.alert_id, occurred_at=payload.occurred_at,
        category=payload.category, severity=payload.severity, user=payload.user, device=payload.device,
        url=payload.url, matched_text=payload.matched_text, pupil=pupil,
    ))
    if not created:
        _audit(request, Action.VIEW, "concern", concern.id, repeat=True)
    return Status(201 if created else 200, _created(concern, created))


# -- Operation Encompass police notices (J4) -------------------------------------------------------------


@_operation("POST", "/police-notices", scope=Scope.POLICE_NOTICES_CREATE, operation_id="sendPoliceNotice",
            ok={200: PoliceNoticeCreated, 201: PoliceNoticeCreated}, errors=(*BODY_ERRORS, 401, 403, 409, 422),
            tags=["police notices"], summary="Send an Operation Encompass police notice", example={
    "received_at": "2026-03-06T18:05:00Z", "police_reference": "OE/2026/000123", "children": ["A999000000001"],
    "idempotency_key": "0b0c2c0e-8f8e-4e0a-9d55-1a2b3c4d5e6f"})
def receive_police_notice(request, payload: PoliceNoticeIn):
    """The police notice becomes a concern for the safeguarding team, who are told at once; a key adult is due
    before the school's next school day starts (`key_adult_due`). Retrying with the same `idempotency_key`
    returns the concern already made (200)."""
    from concerns.encompass import EncompassError, receive_notice

    token = request.api_token
    school = token.school
    upns = [u.upper() for u in payload.children]
    pupils = {p.upn: p for p in Pupil.objects.filter(school=school, upn__in=upns, left_on__isnull=True)}
    errors = [(f"children.{i}", f"No pupil on roll at this school has the UPN {u}.") for i, u in enumerate(upns)
              if u not in pupils]
    if errors:
        _refuse(request, errors)
    key = payload.idempotency_key or _new_key()
    existing = Concern.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.reported_by_id != token.account_id:
        raise Conflict("idempotency_key", "This key was used for another concern. Send a new one.")
    try:
        concern, created = receive_notice(user=token.account, school=school, received_at=payload.received_at,
                                          police_reference=payload.police_reference,
                                          pupils=[pupils[u] for u in upns], idempotency_key=key)
    except EncompassError as exc:
        _refuse(request, [({"child": "children"}.get(name, name), " ".join(messages))
                          for name, messages in exc.message_dict.items()])
    if not created:
        _audit(request, Action.VIEW, "concern", concern.id, repeat=True)
    return Status(201 if created else 200,
                  {**_created(concern, created), "key_adult_due": concern.encompass.key_adult_due})

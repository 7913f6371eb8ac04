"""The access matrix (issue 8, part 1): every named URL × every kind of person × this school's object, another
school's object and a missing one × GET and POST, checked against the policy table in `policy.py`.

The world is the demo trust (two schools with cases, decisions, referrals, devices, viewings, registers,
transfers…) plus a second trust with its own school, DSL and trust lead. Objects are Riverside's: its people
are "this school"; Oakfield's DSL is "another school of the same trust"; Elmtree's DSL and trust lead are
"another trust".
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Per-response values, and the school switcher's "come back here" field, which holds the address typed.
NONCE = re.compile(rb'(nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"|nonce-[A-Za-z0-9+/=_-]+'
                   rb'|name="next" value="[^"]*")')


def all_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from all_url_names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, p


def normalise(body: bytes) -> bytes:
    """A page with its per-response nonces and CSRF tokens blanked, so two refusals can be compared byte for byte."""
    return NONCE.sub(b"", body)


@dataclass
class Objects:
    """Ids of one school's objects, by URL keyword."""

    ids: dict

    def kwargs_for(self, pattern):
        names = list(pattern.pattern.converters) or re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        return {n: self.ids[n] for n in names}


MISSING = {"case_id": 987654, "concern_id": 987654, "pupil_id": 987654, "decision_id": 987654,
           "referral_id": 987654, "task_id": 987654, "device_id": 987654, "viewing_id": 987654,
           "deletion_id": 987654, "request_id": 987654, "school_id": 987654, "policy_id": 987654,
           "version_id": 987654, "notification_id": 987654, "token_id": 987654, "user_id": 987654,
           "transfer_id": 987654, "received_id": 987654, "subject_id": 987654, "communication_id": 987654,
           "monitoring_user_id": 987654, "school_code": "no-such-school-code", "group_id": 987654}


def objects_of(school):
    """One of each kind of object at `school`, consistent with each other (a decision of that case…)."""
    from accounts.models import User
    from api.models import ApiToken, MonitoringUser
    from transfers.models import ReceivedFile, Transfer
    from cases.models import Case, Decision, Referral, Task
    from communications.models import Communication
    from concerns.models import AlertGroup, Concern
    from evidence.models import Deletion, Device, Viewing
    from notifications.models import Notification
    from records.models import DisposalRequest
    from registers.models import AgreementVersion, Policy
    from schools.models import Pupil

    def first(model, **lookup):
        row = model.objects.filter(**lookup).order_by("id").first()
        return row.id if row else MISSING_ID

    ids = dict(MISSING)
    ids.update(
        school_id=school.id, concern_id=first(Concern, school=school), pupil_id=first(Pupil, school=school),
        case_id=first(Case, school=school), policy_id=first(Policy, school=school),
        version_id=first(AgreementVersion, school=school), notification_id=first(Notification, school=school),
        token_id=first(ApiToken, school=school), user_id=first(User, memberships__school=school),
        transfer_id=first(Transfer, school=school), received_id=first(ReceivedFile, school=school),
        request_id=first(DisposalRequest, school=school), subject_id=first(Pupil, school=school),
        monitoring_user_id=first(MonitoringUser, school=school), group_id=first(AlertGroup, school=school),
        school_code=school.tell_code,  # P1: the pupils' page
        kind="pupil", fmt="json", script_id="cyberbullying", procedure_id="cyberbullying", key="open-cases",
        template_id="imagery-parents",  # a message the first case's kind (nudes-sharing) offers
        uidb64="MQ", token="set-password",
    )
    return ids, {
        "decision_id": (Decision, "case"), "referral_id": (Referral, "case"), "task_id": (Task, "case"),
        "device_id": (Device, "case"), "viewing_id": (Viewing, "case"), "deletion_id": (Deletion, "case"),
        "communication_id": (Communication, "case"),
    }


MISSING_ID = 987654


def entries(pages, variants):
    """(policy key, URL name, pattern, overrides): each named URL once with this school's objects, and once more
    for each variant object of a kind it takes ("concerns:detail [filtering breach]"), sorted by key. A variant
    named in `world.VARIANT_URLS` is walked with the URLs listed there alone."""
    from tests.security.world import VARIANT_URLS as only

    rows = []
    for name, pattern in pages:
        rows.append((name, name, pattern, {}))
        for variant, overrides in variants.items():
            if set(overrides) <= set(pattern.pattern.converters) and name in only.get(variant, (name,)):
                rows.append((f"{name} [{variant}]", name, pattern, overrides))
    return sorted(rows, key=lambda row: row[0])


def url_for(name, pattern, ids, children, overrides=None):
    """The URL of `name` for this school's objects (or `overrides`' ids). A child object (a decision…) decides
    the case id."""
    from cases.models import Case

    overrides = overrides or {}
    kwargs = {}
    keys = list(pattern.pattern.converters)
    case_id = overrides.get("case_id", ids["case_id"])
    for key in keys:
        if key in children:
            model, parent = children[key]
            rows = model.objects.filter(case__school_id=ids["school_id"])
            row = (rows.filter(id=overrides[key]) if key in overrides else rows.order_by("id")).first()
            kwargs[key] = row.id if row else MISSING_ID
            if row is not None:
                case_id = row.case_id
        elif key == "school_code":  # read afresh: the sweep itself may have made the school a new one (P1)
            from schools.models import School

            kwargs[key] = School.objects.get(id=ids["school_id"]).tell_code
        else:
            kwargs[key] = overrides.get(key, ids[key])
    if "case_id" in kwargs:
        kwargs["case_id"] = case_id if Case.objects.filter(id=case_id).exists() else MISSING_ID
    return reverse(name, kwargs=kwargs)


def missing_url(name, pattern):
    kwargs = {}
    for key in pattern.pattern.converters:
        kwargs[key] = MISSING.get(key, {"kind": "pupil", "fmt": "json", "script_id": "no-such-script",
                                        "procedure_id": "no-such-procedure", "key": "no-such-list",
                                        "template_id": "no-such-message",
                                        "uidb64": "MQ", "token": "x"}.get(key))
    return reverse(name, kwargs=kwargs)

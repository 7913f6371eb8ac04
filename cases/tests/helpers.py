"""Building cases in tests the way Harbour builds them: a concern, then the DSL opens a case."""

import uuid

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from cases import actions
from concerns.actions import Report, submit_concern

ROLE_FOR = {"staff-allegation": None, "filtering-breach": None}


def make_concern(world, incident_type="nudes-sharing", *, children=None, reporter=None, subject_staff=None,
                 account="A pupil told me a photo is being passed round."):
    if children is None:
        children = [] if incident_type in ("staff-allegation", "filtering-breach") else [(world.pupil, "pictured")]
    report = Report(incident_type=incident_type, account=account, children=children, subject_staff=subject_staff,
                    breach_url="https://blocked.example/page" if incident_type == "filtering-breach" else "")
    concern, _ = submit_concern(user=reporter or world.tom, school=world.oakfield, report=report,
                                idempotency_key=uuid.uuid4())
    return concern


def make_case(world, incident_type="nudes-sharing", *, by=None, **kwargs):
    concern = make_concern(world, incident_type, **kwargs)
    owner = by or (world.hana if incident_type == "staff-allegation" else world.diana)
    return actions.open_case(user=owner, concern=concern)


def code_for(user):
    return mfa.current_code(TOTPDevice.objects.get(user=user, confirmed=True))


ALL_NO = {f"B2.{n}": False for n in range(1, 7)}


def record_required_referrals(case, by, *, made_at=None):
    """B15: record every referral the case's kind requires now (and their answer where one is needed), the way a
    DSL would before closing. Return the referrals."""
    from django.utils import timezone

    from cases import agencies, evaluation

    made_at = made_at or timezone.now()
    made = []
    for item in evaluation.assess(case).required:
        if item["applies"] is True and not item["satisfied"]:
            route = agencies.get(item["agency"])["routes"][0]
            referral = actions.record_referral(user=by, case=case, agency=item["agency"], route=route,
                                               made_at=made_at, reference="REF-1")
            if item["answer_needed"]:
                actions.record_response(user=by, referral=referral, response="Advice given: support the child.",
                                        response_at=made_at)
            made.append(referral)
    return made


def no_to_everything(case):
    """Every criterion and every question of the kind answered no (what the kind implies stays as it is)."""
    return {**ALL_NO, **{q["id"]: False for q in case.procedure.get("yes_no_questions", [])}}

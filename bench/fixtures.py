"""What the bench needs from a seeded data set: who signs in, which case and pupil it opens.

Run inside Django (`python -m bench.fixtures`, with the bench's environment): prints JSON with a
signed-in session for the largest school's DSL (second factor verified, as after a real sign-in),
one for a member of staff at the second school who reports concerns and one for that school's DSL,
a case with about 50 chronology entries, and a child of that case.
"""

import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from accounts.models import Membership
from cases.models import Case, Entry
from concerns.models import ConcernChild
from schools.models import School


def session_for(user):
    """A session exactly as sign-in plus the code check leave it (tests/people.py `sign_in`)."""
    session = SessionStore()
    now = int(time.time())
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LAST_SEEN] = session[SIGNED_IN_AT] = now
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def pick(target_entries=50):
    # The busiest school (seed_scale makes the first school the largest).
    school = School.objects.filter(slug__startswith="scale").order_by("id").first()
    dsl = Membership.objects.filter(school=school, role="dsl").select_related("user").first().user
    # Concerns are reported at the second school, so the thousands posted under load do not pile up in the
    # measured DSL's inbox and notices (that would make every later run slower than the one before).
    report_school = School.objects.filter(slug__startswith="scale").exclude(id=school.id).order_by("id").first()
    reporter = Membership.objects.filter(school=report_school, role="staff").select_related("user").first().user
    report_dsl = Membership.objects.filter(school=report_school, role="dsl").select_related("user").first().user
    case_ids = list(Case.objects.filter(school=school, status="open").values_list("id", flat=True)[:2000])
    counts = dict(Entry.objects.filter(case_id__in=case_ids).values_list("case").annotate(n=Count("id"))
                  .values_list("case", "n"))
    case_id = min(counts, key=lambda c: (abs(counts[c] - target_entries), c))
    pupil_id = ConcernChild.objects.filter(concern__case_id=case_id).order_by("id").values_list("pupil", flat=True)[0]
    report_pupil = (ConcernChild.objects.filter(concern__school=report_school).order_by("id")
                    .values_list("pupil", flat=True)[0])
    return {
        "school": school.name, "dsl": dsl.email, "reporter": reporter.email,
        "dsl_session": session_for(dsl), "reporter_session": session_for(reporter),
        "report_school": report_school.name, "report_dsl_session": session_for(report_dsl),
        "case": case_id, "case_entries": counts[case_id], "pupil": pupil_id, "report_pupil": report_pupil,
        "cases_in_school": Case.objects.filter(school=school).count(),
    }


if __name__ == "__main__":
    print(json.dumps(pick()))

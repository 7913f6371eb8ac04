"""When the school's staff get their digest of notices that can wait (notifications/digest.py): the school's own
times on school days, set by those who adapt its procedures (the DSL, the trust safeguarding lead)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from accounts.capabilities import Capability
from audit.log import Action, record
from lib.errors import ActionError
from lib.forms import Form, posted
from notifications.digest import parse_times
from notifications.models import DigestTimes
from schools.access import require
from schools.current import current_school

MOST = 4


class DigestTimesForm(Form):
    times = forms.CharField(max_length=60, required=False)


def times_of(school):
    row = DigestTimes.objects.filter(school=school).first()
    return row.times if row and row.times else list(settings.HARBOUR_DIGEST_TIMES)


@transaction.atomic
def set_digest_times(*, user, school, times):
    """Each time as HH:MM on the 24-hour clock, one to four of them, separated by commas."""
    require(user, Capability.MANAGE_PROCEDURES, school)
    parts = [p.strip() for p in (times or "").replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise ActionError("Enter at least one time, like 07:30.", field="times")
    try:
        parsed = parse_times(parts)
    except ValueError:
        raise ActionError("Write each time as hours and minutes on the 24-hour clock, like 07:30 or 15:30, "
                          "separated by commas.", field="times") from None
    if len(parsed) > MOST:
        raise ActionError(f"Choose at most {MOST} times a day: a digest is meant to be a few emails, not many.",
                          field="times")
    values = [f"{t:%H:%M}" for t in parsed]
    row, _ = DigestTimes.objects.update_or_create(school=school, defaults={"times": values})
    record(actor=user, action=Action.UPDATE, object_type="digest_times", object_id=row.id, school=school,
           changed_fields=["times"], detail={"times": values})
    return values


def digest_times(request):
    school = current_school(request)
    require(request.user, Capability.MANAGE_PROCEDURES, school)
    form = DigestTimesForm(posted(request), initial={"times": ", ".join(times_of(school))})
    if form.is_bound and form.is_valid():
        try:
            values = set_digest_times(user=request.user, school=school, times=form.cleaned_data["times"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"The digest is now sent at {' and '.join(values)} on school days.")
            return redirect("schools:digest_times")
    return render(request, "schools/digest_times.html", {"school": school, "form": form})

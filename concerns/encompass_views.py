"""Operation Encompass pages (J4): the police notice's short form, and naming a child's key adult on the concern.

Access first: the notice page is for those who record police notices at the school (the DSL and deputies); naming
the key adult is for those the concern is for. Anyone else gets the 404 a missing page gives.
"""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from concerns import encompass
from concerns.access import CONCERNS
from concerns.forms import EncompassForm, KeyAdultForm
from concerns.models import EncompassNotice
from lib.errors import ActionError
from lib.forms import posted
from schools.access import require
from schools.current import current_school
from schools.models import Pupil

SEARCH_LIMIT = 8


def _ids(values):
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 11]


def notice_new(request):
    """J4: the police notice in three answers: when it came, its reference, the children named (found by name)."""
    school = current_school(request)
    require(request.user, Capability.RECORD_POLICE_NOTICES, school)
    data = posted(request)
    on_roll = Pupil.objects.filter(school=school, left_on__isnull=True)
    wanted = _ids(data.getlist("child")) + _ids([data.get("add_child", "")]) if data is not None else []
    chosen = {p.id: p for p in on_roll.filter(id__in=wanted)}
    chosen = [chosen[i] for i in dict.fromkeys(wanted) if i in chosen]
    form = EncompassForm(data, pupils=chosen, initial={
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "key": uuid.uuid4()})
    searching = data is not None and ("find" in data or data.get("add_child"))
    results, words = [], ""
    if searching:
        words = (data.get("child_search") or "")[:EncompassForm.base_fields["child_search"].max_length].strip()
        if len(words) >= 2 and not data.get("add_child"):
            results = list(on_roll.search(words).exclude(id__in=[p.id for p in chosen])[:SEARCH_LIMIT])
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            concern, _ = encompass.receive_notice(
                user=request.user, school=school, received_at=data["received_at"],
                police_reference=data["police_reference"], pupils=chosen, idempotency_key=data["key"] or uuid.uuid4())
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"Police notice recorded as concern {concern.reference}. The safeguarding team "
                                      f"has been told.")
            return redirect("concerns:detail", concern.id)
    return render(request, "concerns/encompass_new.html", {
        "school": school, "form": form, "chosen": chosen,
        "child_items": [{"value": p.id, "text": f"{p.display_name} ({p.year_label})", "checked": True}
                        for p in chosen],
        "results": results, "words": words,
        "searching": searching, "errors": [] if searching else form.error_summary(),
        "key": (form.shown("key") or uuid.uuid4()),
        "day_starts": school.day_starts_at})


@require_POST
def key_adult(request, concern_id):
    """J4: name the key adult; the step is done and the key adult is told. Refused, the concern's page comes back
    with the reason beside the list."""
    from concerns.views import concern_page

    concern = CONCERNS.get(request.user, CONCERNS.Verb.ACKNOWLEDGE, concern_id)
    if not EncompassNotice.objects.filter(concern=concern).exists():
        raise Http404("No such notice")
    form = KeyAdultForm(request.POST, people=encompass.key_adults(concern.school))
    if form.is_valid():
        from accounts.models import User

        try:
            notice = encompass.name_key_adult(user=request.user, concern=concern,
                                              key_adult=User.objects.get(id=form.cleaned_data["key_adult"]))
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, gettext("%(name)s is the key adult. They have been told to speak to you before "
                                              "the school day starts.") % {"name": notice.key_adult.full_name})
            return redirect("concerns:detail", concern.id)
    return concern_page(request, concern, key_adult_form=form)

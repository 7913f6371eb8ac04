from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import mfa
from accounts.capabilities import Capability
from accounts.invitations import member_of, send_invitation, staff_of
from audit.log import Action, record
from lib import searches
from lib.errors import ActionError
from lib.forms import posted
from schools import actions
from lib.urls import safe_next
from schools import status
from schools.access import get_pupil_for, require
from schools.current import SESSION_KEY, current_school, switchable_schools
from schools.forms import AddSchoolForm, ResetSecondFactorForm, SchoolDetailsPageForm, SwitchSchoolForm
from schools.models import Pupil, School

PAGE_SIZE = 50


@require_POST
def switch_school(request):
    form = SwitchSchoolForm(request.POST)
    form.is_valid()  # a school that is not one of theirs, or no school, changes nothing
    wanted = form.cleaned_data.get("school")
    if wanted in {s.id for s in switchable_schools(request)}:
        request.session[SESSION_KEY] = wanted
    return redirect(safe_next(request, form.cleaned_data.get("next"), "home"))


def pupil_list(request):
    school = current_school(request)
    require(request.user, Capability.VIEW_PUPIL_RECORDS, school)
    if request.method == "POST":  # a name never reaches a URL (lib/searches.py)
        return searches.remember(request)
    q = searches.recall(request)
    pupils = Pupil.objects.filter(school=school).on_roll()
    if q:
        pupils = pupils.search(q)
    pupils = list(pupils.only(
        "id", "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name",
        "year_group", "date_of_birth",
    )[:PAGE_SIZE])
    record(actor=request.user, action=Action.VIEW, object_type="pupil_list", school=school,
           detail={"results": len(pupils), "searched": bool(q)})
    return render(request, "schools/pupil_list.html", {"school": school, "pupils": pupils, "q": q,
                                                       "page_size": PAGE_SIZE})


def pupil_detail(request, pupil_id):
    pupil = get_pupil_for(request.user, pupil_id)
    # The view event is written before the page is rendered: no record without its trace (H2).
    record(actor=request.user, action=Action.VIEW, object_type="pupil", object_id=pupil.id, school=pupil.school)
    carers = list(pupil.pupilcarer_set.select_related("carer"))
    may_transfer = request.user.access.can(Capability.MANAGE_CASES, pupil.school_id)
    received = list(pupil.received_files.order_by("-arrived_on")) if may_transfer else []
    # The MIS's safeguarding flags and household links are for the DSL team alone (issue 22.3).
    dsl_team = status.may_see(request.user, pupil.school_id)
    return render(request, "schools/pupil_detail.html", {
        "pupil": pupil, "carers": carers, "may_transfer": may_transfer, "received": received, "dsl_team": dsl_team,
        "flags": status.flags(pupil) if dsl_team else [], "household": status.household(pupil) if dsl_team else []})


# People and invitations ------------------------------------------------------------------------------------


def people(request):
    """Who has an account at this school, and whether they have chosen a password yet."""
    school = current_school(request)
    require(request.user, Capability.MANAGE_PEOPLE, school)
    return render(request, "schools/people.html", {"school": school, "people": staff_of(school),
                                                   "sent": request.GET.get("sent", ""),
                                                   "reset": request.GET.get("reset", ""),
                                                   "with_app": mfa.users_with_second_factor(school)})


@require_POST
def invite(request, user_id):
    school = current_school(request)
    require(request.user, Capability.MANAGE_PEOPLE, school)
    member = member_of(school, user_id)
    if member is None:
        raise Http404("No such person")
    try:
        send_invitation(actor=request.user, school=school, member=member)
    except ValidationError as exc:
        return render(request, "schools/people.html", {"school": school, "people": staff_of(school),
                                                       "error": exc.messages[0], "error_for": member.id},
                      status=409)
    return redirect(reverse("schools:people") + f"?sent={member.id}")


def reset_second_factor(request, user_id):
    """Someone has lost their phone or their recovery codes: whoever manages people removes their authenticator app,
    with the reason, so that they set up a new one when they next sign in (S1). They are told by email."""
    school = current_school(request)
    require(request.user, Capability.MANAGE_PEOPLE, school)
    member = member_of(school, user_id)
    if member is None or not member.is_active:
        raise Http404("No such person")
    form = ResetSecondFactorForm(posted(request))
    if form.is_bound and form.is_valid():
        mfa.reset_second_factor(user=member, by=request.user, reason=form.cleaned_data["reason"], school=school)
        return redirect(reverse("schools:people") + f"?reset={member.id}")
    return render(request, "schools/reset_second_factor.html", {"school": school, "member": member, "form": form,
                                                                "has_app": mfa.has_confirmed_device(member)})


# The school's details ---------------------------------------------------------------------------------------


def school_details(request):
    """The address, telephone and safeguarding contact that letters to families print under the school's name."""
    school = current_school(request)
    require(request.user, Capability.MANAGE_SCHOOL_DETAILS, school)
    form = SchoolDetailsPageForm(posted(request), initial={
        **{name: getattr(school, name) for name in actions.DETAILS},
        "day_starts_at": school.day_starts_at.strftime("%H:%M"), "nation": school.nation})
    if form.is_bound and form.is_valid():
        try:
            changed = actions.update_details(user=request.user, school=school, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            return redirect(reverse("schools:details") + ("?saved=1" if changed else "?saved=0"))
    return render(request, "schools/details.html", {"school": school, "form": form, "nations": School.Nation.choices,
                                                    "saved": request.GET.get("saved", "")})


# A new school of the trust (issue 21.2) ------------------------------------------------------------------------


def add_school(request):
    """The trust administrator adds a school to their trust: the same action as `manage.py add_school`."""
    trusts = actions.trusts_adding_schools(request.user)
    if not trusts:
        raise Http404("Not found")
    added = None
    if request.GET.get("added", "").isdigit():
        added = School.objects.filter(id=int(request.GET["added"]), trust__in=trusts).first()
    form = AddSchoolForm(posted(request), trusts=trusts)
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        del data["trust"]
        try:
            school = actions.add_school(actor=request.user, trust=form.chosen_trust, **data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            request.session[SESSION_KEY] = school.id  # its next steps (import staff, details) are for this school
            return redirect(reverse("schools:add") + f"?added={school.id}")
    return render(request, "schools/add_school.html", {"form": form, "trusts": trusts, "added": added,
                                                        "phases": School.Phase.choices,
                                                        "nations": School.Nation.choices})

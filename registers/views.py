"""Register pages: access check (MANAGE_REGISTERS at the school) → form → one action → redirect."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.pickers import label as picker_label
from audit.log import Action, record
from lib import searches
from lib.errors import ActionError, error_list
from lib.forms import posted
from registers import actions, forms, periods, status
from registers.access import get_for, school_to_manage
from registers.models import (
    AgreementVersion,
    Audience,
    FilteringReview,
    FilteringRole,
    KeyStage,
    LeaverImagesDeletion,
    LeaverImagesKeeper,
    Place,
    PhotoConsent,
    Policy,
    TrainingRecord,
)
from schools import nations
from schools.models import Pupil

LIST_LIMIT = 200


def _page(request, template, form=None, **context):
    errors = error_list(form, {name: name for name in form.fields}) if form is not None and form.is_bound else []
    return render(request, f"registers/{template}", {"form": form, "errors": errors, **context})


def _act(form, action, **kwargs):
    """Run `action` with the form's cleaned data; a refusal becomes the form's error. Return the result."""
    try:
        return action(**form.cleaned_data, **kwargs)
    except ActionError as exc:
        form.refuse(exc)
        return None


def _viewed(request, school, object_type, object_id="", **detail):
    """H2: a read of records about people is audited before the page is rendered."""
    record(actor=request.user, action=Action.VIEW, object_type=object_type, object_id=object_id, school=school,
           detail=detail or None)


def overview(request):
    school = school_to_manage(request)
    today = timezone.localdate()
    year = periods.academic_year(today)
    policies = Policy.objects.filter(school=school)
    filtering = status.filtering_status(school, today)
    return render(request, "registers/overview.html", {
        "school": school, "year_label": periods.academic_year_label(year),
        "policies_overdue": policies.overdue(today).count(), "policies_due_soon": policies.due_soon(today).count(),
        "staff_unsigned": len(status.unsigned_staff(school, year)),
        "pupils_unsigned": status.unsigned_pupils(school, year).count(),
        "consent_expired": status.pupils_with_expired_consent(school, today),
        "leavers_due": status.leavers_due(school, today).count(),
        "training_overdue": sum(1 for row in status.training_status(school, today) if row.overdue),
        "filtering": filtering,
    })


# I1: policies ---------------------------------------------------------------------------------

def policy_list(request):
    school = school_to_manage(request)
    today = timezone.localdate()
    policies = list(Policy.objects.filter(school=school).select_related("owner")[:LIST_LIMIT])
    return render(request, "registers/policy_list.html", {
        "school": school, "rows": [(p, p.state(today)) for p in policies], "limit": LIST_LIMIT})


def policy_new(request):
    school = school_to_manage(request)
    form = forms.PolicyForm(posted(request), school=school)
    if form.is_bound and form.is_valid():
        policy = _act(form, actions.add_policy, user=request.user, school=school)
        if policy:
            messages.success(request, f"{policy.title} added to the register.")
            return redirect("registers:policy", policy.id)
    return _page(request, "policy_form.html", form, school=school)


def policy_detail(request, policy_id):
    policy = get_for(request.user, Policy, policy_id, "owner")
    reviews = list(policy.reviews.select_related("recorded_by"))
    return render(request, "registers/policy_detail.html", {
        "policy": policy, "reviews": reviews, "state": policy.state(timezone.localdate())})


def policy_review(request, policy_id):
    policy = get_for(request.user, Policy, policy_id)
    form = forms.PolicyReviewForm(posted(request), initial={"reviewed_on": timezone.localdate(), "next": "annual"})
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("next")
        try:
            actions.record_policy_review(user=request.user, policy=policy, **data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect("registers:policy", policy.id)
    annual = periods.add_months(timezone.localdate(), periods.POLICY_REVIEW_MONTHS)
    return _page(request, "policy_review.html", form, policy=policy, annual=annual)


def policy_bring_forward(request, policy_id):
    policy = get_for(request.user, Policy, policy_id)
    form = forms.BringForwardForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.bring_policy_review_forward, user=request.user,
                                                  policy=policy):
        messages.success(request, "The review has been brought forward.")
        return redirect("registers:policy", policy.id)
    return _page(request, "policy_bring_forward.html", form, policy=policy)


# I2: acceptable use agreements ---------------------------------------------------------------

def agreement_list(request):
    school = school_to_manage(request)
    year = periods.academic_year(timezone.localdate())
    versions = list(AgreementVersion.objects.filter(school=school).annotate(signed=Count("signatures"))
                    [:LIST_LIMIT])
    return render(request, "registers/agreement_list.html", {
        "school": school, "versions": versions, "year": year, "year_label": periods.academic_year_label(year),
        "staff_unsigned": len(status.unsigned_staff(school, year)),
        "pupils_unsigned": status.unsigned_pupils(school, year).count()})


def agreement_new(request):
    school = school_to_manage(request)
    this_year = periods.academic_year(timezone.localdate())
    form = forms.AgreementVersionForm(posted(request), years=[this_year, this_year + 1, this_year - 1],
                                      initial={"academic_year": this_year})
    if form.is_bound and form.is_valid():
        version = _act(form, actions.add_agreement_version, user=request.user, school=school)
        if version:
            messages.success(request, "Agreement version added.")
            return redirect("registers:agreement", version.id)
    return _page(request, "agreement_form.html", form, school=school, audiences=Audience.choices,
                 key_stages=KeyStage.choices)


def agreement_detail(request, version_id):
    version = get_for(request.user, AgreementVersion, version_id)
    signatures = list(version.signatures.select_related("staff", "pupil", "recorded_by")[:LIST_LIMIT])
    _viewed(request, version.school, "register_agreement_signatures", version.id, shown=len(signatures))
    return render(request, "registers/agreement_detail.html", {
        "version": version, "signatures": signatures, "limit": LIST_LIMIT, "total": version.signatures.count()})


def agreement_sign(request, version_id):
    """I2: record who signed. Staff and pupils are ticked from those who have not signed this version."""
    version = get_for(request.user, AgreementVersion, version_id)
    school = version.school
    signed = version.signatures.all()
    staff_qs = forms.staff_queryset(school).exclude(id__in=signed.filter(staff__isnull=False).values("staff_id"))
    years = [y for y in range(-1, 15) if periods.key_stage(y) == version.key_stage]
    year = request.GET.get("year", "")
    year = int(year) if year.lstrip("-").isdigit() and int(year) in years else (years[0] if years else None)
    pupils_qs = Pupil.objects.none()
    if version.audience == Audience.PUPILS:
        pupils_qs = (Pupil.objects.filter(school=school, year_group=year).on_roll()
                     .exclude(id__in=signed.filter(pupil__isnull=False).values("pupil_id")))
    form = forms.SignaturesForm(posted(request), staff=staff_qs, pupils=pupils_qs,
                                initial={"signed_on": timezone.localdate()})
    if form.is_bound and form.is_valid():
        made = _act(form, actions.record_signatures, user=request.user, version=version)
        if made is not None:
            messages.success(request, f"{len(made)} signature{'s' if len(made) != 1 else ''} recorded.")
            return redirect("registers:agreement", version.id)
    staff = list(staff_qs) if version.audience == Audience.STAFF else []
    pupils = list(pupils_qs.only("id", "legal_first_name", "legal_last_name", "preferred_first_name",
                                 "preferred_last_name", "year_group")) if version.audience == Audience.PUPILS else []
    if pupils:
        _viewed(request, school, "register_agreement_unsigned", version.id, shown=len(pupils))
    year_items = [{"value": y, "text": Pupil(year_group=y).year_label, "selected": y == year} for y in years]
    return _page(request, "agreement_sign.html", form, version=version,
                 staff=[(u.id, picker_label(u)) for u in staff], pupils=[(p.id, p.display_name) for p in pupils],
                 year_items=year_items)


def agreement_unsigned(request):
    """I2: who has not signed this academic year's agreement: staff by name, pupils by year group."""
    school = school_to_manage(request)
    year = periods.academic_year(timezone.localdate())
    staff = status.unsigned_staff(school, year)
    pupils = status.unsigned_pupils(school, year)
    by_year = list(pupils.values_list("year_group").annotate(n=Count("id")).order_by("year_group"))
    chosen = request.GET.get("year", "")
    names = []
    if chosen.lstrip("-").isdigit():
        names = list(pupils.filter(year_group=int(chosen))[:LIST_LIMIT])
    _viewed(request, school, "register_agreement_unsigned", staff=len(staff), pupils=len(names))
    return render(request, "registers/agreement_unsigned.html", {
        "school": school, "year_label": periods.academic_year_label(year), "staff": staff,
        "by_year": [(y, Pupil(year_group=y).year_label, n) for y, n in by_year], "chosen": chosen, "names": names})


# I3: photo consent ---------------------------------------------------------------------------

def photo_search(request):
    school = school_to_manage(request)
    if request.method == "POST":  # a name never reaches a URL (lib/searches.py)
        return searches.remember(request)
    q = searches.recall(request)
    pupils = list(Pupil.objects.filter(school=school).on_roll().search(q)[:50]) if q else []
    if q:
        _viewed(request, school, "pupil_list", results=len(pupils), searched=True)
    return render(request, "registers/photo_search.html", {"school": school, "q": q, "pupils": pupils})


def photo_pupil(request, pupil_id):
    """I3: "May I use this pupil's photo on <place>?", answered for every place, with the reason."""
    pupil = get_for(request.user, Pupil, pupil_id)
    # Reading a pupil's consents is a read of their record: audited before the page is rendered (H2).
    _viewed(request, pupil.school, "pupil_photo_consent", pupil.id)
    consents = list(pupil.photo_consents.select_related("recorded_by"))
    answers = status.photo_answers(consents, timezone.localdate())
    asked = request.GET.get("place", "")
    answer = next((a for a in answers if a.place == asked), None)
    return render(request, "registers/photo_pupil.html", {
        "pupil": pupil, "answers": answers, "answer": answer, "asked": asked, "places": Place.choices,
        "history": list(reversed(consents))})


def photo_record(request, pupil_id):
    pupil = get_for(request.user, Pupil, pupil_id)
    carers = list(pupil.pupilcarer_set.select_related("carer"))
    form = forms.PhotoConsentForm(posted(request), initial={"on": timezone.localdate()})
    if form.is_bound and form.is_valid() and _act(form, actions.record_photo_consent, user=request.user,
                                                  pupil=pupil):
        messages.success(request, "Photo consent recorded.")
        return redirect("registers:photo_pupil", pupil.id)
    return _page(request, "photo_record.html", form, pupil=pupil, carers=carers, places=Place.choices,
                 decisions=PhotoConsent.Decision.choices)


# I4: images of pupils who have left ----------------------------------------------------------

def leavers(request):
    school = school_to_manage(request)
    today = timezone.localdate()
    keeper = LeaverImagesKeeper.objects.filter(school=school).select_related("person").first()
    due = list(status.leavers_due(school, today)[:LIST_LIMIT])
    due_ids = {p.id for p in due}
    soon = [p for p in status.leavers_due(school, today, within_days=90)[:LIST_LIMIT] if p.id not in due_ids]
    done = list(LeaverImagesDeletion.objects.filter(school=school).select_related("pupil", "deleted_by")[:50])
    _viewed(request, school, "register_leaver_images", due=len(due), soon=len(soon))
    kept_until = actions.leaver_images_kept_until
    return render(request, "registers/leavers.html", {
        "school": school, "keeper": keeper, "is_keeper": keeper is not None and keeper.person_id == request.user.id,
        "due": [(p, kept_until(p)) for p in due], "soon": [(p, kept_until(p)) for p in soon], "done": done,
        "years": periods.LEAVER_IMAGES_YEARS})


def leavers_keeper(request):
    school = school_to_manage(request)
    form = forms.KeeperForm(posted(request), school=school)
    if form.is_bound and form.is_valid() and _act(form, actions.name_leaver_images_keeper, user=request.user,
                                                  school=school):
        messages.success(request, "Responsible person named.")
        return redirect("registers:leavers")
    return _page(request, "leavers_keeper.html", form, school=school, years=periods.LEAVER_IMAGES_YEARS)


def leavers_deleted(request, pupil_id):
    pupil = get_for(request.user, Pupil, pupil_id)
    form = forms.LeaverDeletedForm(posted(request), initial={"deleted_on": timezone.localdate()})
    if form.is_bound and form.is_valid() and _act(form, actions.record_leaver_images_deleted, user=request.user,
                                                  pupil=pupil):
        messages.success(request, "Deletion recorded.")
        return redirect("registers:leavers")
    return _page(request, "leavers_deleted.html", form, pupil=pupil)


# I5: training --------------------------------------------------------------------------------

def training(request):
    school = school_to_manage(request)
    rows = status.training_status(school, timezone.localdate())
    rows.sort(key=lambda r: (not r.overdue, r.person.full_name))
    _viewed(request, school, "register_training", shown=len(rows))
    kinds = nations.in_nation_words(TrainingRecord.Kind.choices, school, "training_label")  # J8
    return render(request, "registers/training.html", {"school": school, "rows": rows, "kinds": kinds,
                                                       "requirements": periods.TRAINING_REQUIREMENTS})


def training_csv(request):
    """I5: the training register as a spreadsheet, for the governors' or an inspector's file."""
    from lib.csvsafe import csv_response

    school = school_to_manage(request)
    today = timezone.localdate()
    rows = status.training_status(school, today)
    rows.sort(key=lambda r: (not r.overdue, r.person.full_name))
    record(actor=request.user, action=Action.EXPORT, object_type="register_training", school=school,
           detail={"format": "csv", "rows": len(rows)})
    kinds = [(k, str(label)) for k, label in nations.in_nation_words(TrainingRecord.Kind.choices, school,
                                                                     "training_label")]
    return csv_response(
        f"training-{school.slug}-{today.isoformat()}.csv",
        ["Name", *[label for _, label in kinds], "Status", "Why overdue"],
        ([r.person.full_name, *[r.latest[k].isoformat() if k in r.latest else "" for k, _ in kinds],
          "Overdue" if r.overdue else "Up to date", "; ".join(r.overdue)] for r in rows))


def training_new(request):
    school = school_to_manage(request)
    form = forms.TrainingForm(posted(request), school=school)
    if form.is_bound and form.is_valid() and _act(form, actions.record_training, user=request.user, school=school):
        messages.success(request, "Training recorded.")
        return redirect("registers:training")
    return _page(request, "training_form.html", form, school=school,
                 kinds=nations.in_nation_words(TrainingRecord.Kind.choices, school, "training_label"))


# I6: filtering and monitoring ----------------------------------------------------------------

def filtering(request):
    from concerns.access import CONCERNS

    school = school_to_manage(request)
    today = timezone.localdate()
    breaches = list(status.breach_log(school)[:LIST_LIMIT])
    _viewed(request, school, "register_filtering_breaches", shown=len(breaches))
    return render(request, "registers/filtering.html", {
        "school": school, **status.filtering_status(school, today),
        "reviews": list(FilteringReview.objects.filter(school=school).select_related("recorded_by")[:20]),
        "breaches": [(c, CONCERNS.allows(request.user, CONCERNS.Verb.SEE_SUMMARY, c)) for c in breaches]})


def filtering_role(request):
    school = school_to_manage(request)
    form = forms.FilteringRoleForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.name_filtering_role, user=request.user,
                                                  school=school):
        messages.success(request, "Role recorded.")
        return redirect("registers:filtering")
    return _page(request, "filtering_role.html", form, school=school,
                 roles=nations.in_nation_words(FilteringRole.Role.choices, school))


def filtering_review(request):
    school = school_to_manage(request)
    leader = FilteringRole.objects.filter(school=school, role=FilteringRole.Role.SENIOR_LEADER, is_current=True).first()
    form = forms.FilteringReviewForm(posted(request), initial={"reviewed_on": timezone.localdate(),
                                                               "senior_leader": leader.name if leader else ""})
    if form.is_bound and form.is_valid() and _act(form, actions.record_filtering_review, user=request.user,
                                                  school=school):
        messages.success(request, "Review recorded.")
        return redirect("registers:filtering")
    return _page(request, "filtering_review.html", form, school=school)

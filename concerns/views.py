import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from accounts.models import User
from accounts.pickers import people_at
from audit.log import Action, record, record_refusal
from concerns import actions, alert_groups, quality, triage, urgency
from concerns.access import CONCERNS, get_own_report
from concerns.forms import (AttachForm, ChildSearchForm, ConcernForm, OpenCaseForm, ShownSuggestionsForm,
                            SuggestionsForm, draft_of, names_a_statement)
from concerns.models import (AlertGroup, ChildRole, Concern, ConcernChild, DeviceIsolation, Draft, EncompassNotice,
                             IncidentType, PupilKind)
from lib import i18n
from lib.i18n import translated
from lib.imagery import message as imagery_message
from lib.imagery import scrub
from lib.limits import shows_its_form_when_too_large
from lib.uploads import check_statement, explanation
from schools import status as school_status
from schools.access import require
from schools.current import current_school
from schools.models import Pupil

SEARCH_LIMIT = 8


def _staff_choices(school, user):
    """Everyone at the school but the reporter, as "name — role" (issue 20.5)."""
    return [(str(u.id), u.picker_label) for u in people_at(school, exclude=[user.id])]


def _pupils_posted(request, school):
    ids = ConcernForm.child_ids(request.POST)
    return {p.id: p for p in Pupil.objects.filter(school=school, id__in=ids)}


# Rule P6: the boxes of the report page that get suggestions for a clearer record, and whether the page's own
# date-and-time box gives the time for them.
QUALITY_FIELDS = {"account": "occurred_at", "actions_taken": None}


def _suggestions(values):
    """{field: (suggestions, signature)} for the report page's written boxes, as typed."""
    out = {}
    for field, time_box in QUALITY_FIELDS.items():
        found = quality.check(str(values.get(field, "")), time_given=bool(time_box and values.get(time_box)))
        out[field] = (found, quality.signature(found))
    return out


def suggestion_swaps(request, field, text, *, time_given=False):
    """The parts of a page's suggestions box for `text`, to swap in place (P6); the status line says what changed
    only when it changed since the page last showed them (`shown_<field>`), so a screen reader hears it once."""
    found = quality.check(text, time_given=time_given)
    shown = quality.signature(found)
    announce = ""
    if shown != ShownSuggestionsForm(request.POST, boxes=[field]).shown(field):
        announce = (ngettext("%(count)d suggestion for a clearer record, below the box.",
                             "%(count)d suggestions for a clearer record, below the box.", len(found))
                    % {"count": len(found)} if found else gettext("No suggestions now."))
    return render_to_string("concerns/_suggestion_swaps.html",
                            {"field": field, "found": found, "shown": shown, "announce": announce}, request)


def _render_report(request, school, form, values, children, statement_refusal=None, files_not_kept=(), status=200,
                   search=None, too_large=()):
    return render(request, "concerns/report.html", {
        "school": school, "form": form, "values": values, "children": children,
        "quality": _suggestions(values),
        "statement_refusal": statement_refusal, "files_not_kept": files_not_kept, "search": search,
        "too_large": too_large,
        "incident_types": translated(IncidentType.choices), "child_roles": translated(ChildRole.choices),
        "isolation_choices": translated(DeviceIsolation.choices), "staff_choices": _staff_choices(school, request.user),
    }, status=status)


@shows_its_form_when_too_large
def report(request):
    """Rule A1: any member of staff records a concern on one page."""
    school = current_school(request)
    require(request.user, Capability.REPORT_CONCERN, school)
    if request.method == "GET":
        draft = Draft.objects.filter(user=request.user, school=school).first()
        values = dict(draft.data) if draft else {}
        values.setdefault("idempotency_key", str(uuid.uuid4()))
        ids = [int(i) for i in values.get("child", []) if str(i).isdigit()]
        pupils = {p.id: p for p in Pupil.objects.filter(school=school, id__in=ids)}
        children = [(pupils[i], values.get(f"role_{i}", "")) for i in ids if i in pupils]
        if draft:
            messages.info(request, "We kept what you typed last time. Check it, then carry on.")
        return _render_report(request, school, None, values, children)

    pupils = _pupils_posted(request, school)
    form = ConcernForm(request.POST, staff_choices=_staff_choices(school, request.user), pupils_by_id=pupils,
                       school=school, reporter=request.user)
    values = form.data.dict()
    children = form.children()
    if getattr(request, "too_large", None):
        return _too_large(request, school, form, values, children)
    if "find_child" in request.POST or "add_child" in request.POST:
        return _find_child(request, school, values, children)
    statements, refusal = _checked_statements(request)
    if not form.is_valid() or refusal:
        # Nothing typed is lost: the page comes back with every value and every child. A picture written as
        # text (A3) is the exception: it is taken out of the box it was in, shown nowhere and kept nowhere.
        values.update(form.without_imagery)
        if form.without_imagery:
            record_refusal(actor=request.user, object_type="concern_text", school=school, reason="imagery",
                           fields=sorted(form.without_imagery))
        draft, _found = scrub(draft_of(request.POST))
        actions.save_draft(user=request.user, school=school, data=draft)
        not_kept = [name for name, _kind, _content in statements]
        return _render_report(request, school, form, values, children, refusal, not_kept)
    data = form.cleaned_data
    subject = None
    if data["subject_staff"]:
        subject = User.objects.filter(id=data["subject_staff"], memberships__school=school).distinct().first()
    concern, _created = actions.submit_concern(
        user=request.user, school=school, idempotency_key=data["idempotency_key"],
        report=actions.Report(
            incident_type=data["incident_type"], account=data["account"], children=children, subject_staff=subject,
            occurred_at=data["occurred_at"], location=data["location"], disclosed_to=data["disclosed_to"],
            disclosed_at=data["disclosed_at"], actions_taken=data["actions_taken"],
            device_confiscated=data["device_confiscated"] == "yes", device_isolation=data["device_isolation"],
            device_location=data["device_location"], dsl_told_in_person=data["dsl_told_in_person"] == "yes",
            breach_url=data["breach_url"], breach_device_or_user=data["breach_device_or_user"],
            breach_seen=data["breach_seen"], provider_told=_yes_no(data["provider_told"]),
            parents_told=_yes_no(data["parents_told"]), statements=statements,
        ),
    )
    return redirect("concerns:submitted", concern.id)


def _too_large(request, school, form, values, children):
    """More than one form may send (harbour/limits.py). Rule A3's "keep everything else typed": the page comes
    back with every value and child, saying what was too large; files are not kept and are asked for again. The
    draft is left as it was last saved: it is not replaced by megabytes nobody typed."""
    form.is_valid()  # so that a field over its own length says so beside it
    values.update(form.without_imagery)  # A3: a picture written as text is shown back nowhere
    biggest = max(values, key=lambda name: len(values[name]), default="account")
    summary = [{"text": problem.sentence, "href": "#statement" if problem.what == "files" else f"#{biggest}"}
               for problem in request.too_large]
    files = [p.sentence for p in request.too_large if p.what == "files"]
    refusal = f"{files[0]} Attach them again, up to {settings.HARBOUR_MAX_FILES}." if files else None
    return _render_report(request, school, form, values, children, refusal, status=413, too_large=summary)


def _find_child(request, school, values, children):
    """The child search without JavaScript: its buttons send the whole report form here, and the page comes
    back with the results, or with the chosen child added, and everything typed (saved as the draft too)."""
    may_search = request.user.access.can(Capability.SEARCH_PUPILS, school)
    picker = ChildSearchForm(request.POST)
    search = {"pupils": [], "q": ""}
    if "add_child" in request.POST:
        chosen = picker.chosen()
        pupil = _search(school, None).filter(id=chosen).first() if chosen and may_search else None
        if pupil is not None and pupil.id not in {p.id for p, _ in children}:
            children.append((pupil, ""))
    elif may_search:
        q = picker.words()
        search = {"pupils": list(_search(school, q)[:SEARCH_LIMIT]) if len(q) >= 2 else [], "q": q}
    data, _found = scrub(draft_of(request.POST))  # A3: a picture written as text is kept and shown nowhere
    data["child"] = [str(p.id) for p, _ in children]
    actions.save_draft(user=request.user, school=school, data=data)
    values, _found = scrub(values)
    return _render_report(request, school, None, values, children, search=search)


def _search(school, q):
    pupils = Pupil.objects.filter(school=school).on_roll()
    return pupils.search(q) if q is not None else pupils


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def _checked_statements(request):
    """Rule A3: accept written statements only, decided by content. Return (statements, refusal)."""
    statements = []
    for upload in request.FILES.getlist("statement"):
        verdict = check_statement(upload)
        if not verdict.allowed:
            record_refusal(actor=request.user, object_type="statement_upload", reason="file_refused",
                           category=verdict.category, kind=verdict.kind)
            return [], explanation(verdict)
        upload.seek(0)
        statements.append((upload.name, verdict.kind, upload.read()))
    return statements, None


_FILES_NOT_IN_DRAFTS = "Files are not kept in a draft: attach yours again just before you send."


@require_POST
def save_draft(request):
    """Autosave, called by htmx as the person types. The answer replaces the page's draft status line.

    Rule A3: a draft with a picture written as text in any box is not saved at all (the last draft stays as
    it was), and the line says so and which box. A chosen file is never part of a draft (htmx sends only its
    name), and the line says that too, so nobody believes their statement is kept when it is not.
    """
    school = current_school(request)
    require(request.user, Capability.REPORT_CONCERN, school)
    data = draft_of(request.POST)
    _clean, found = scrub(data)
    file_note = format_html(" {}", _FILES_NOT_IN_DRAFTS) if names_a_statement(request.POST) else ""
    if found:
        name, finding = next(iter(found.items()))
        label = ConcernForm.imagery_labels.get(name, name.replace("_", " ").capitalize())
        record_refusal(actor=request.user, object_type="concern_draft", school=school, reason="imagery",
                       field=name, kind=finding.kind, encoding=finding.encoding)
        return HttpResponse(format_html(
            '<strong class="govuk-error-message govuk-!-margin-bottom-0" data-draft="not-saved">'
            '<span class="govuk-visually-hidden">Error: </span>Draft not saved. {}</strong>{}',
            imagery_message(label, finding), file_note), content_type="text/html; charset=utf-8")
    actions.save_draft(user=request.user, school=school, data=data)
    saved = timezone.localtime().strftime("%-I:%M%p").lower()
    if i18n.current() == i18n.WELSH:
        saved = saved.replace("am", "yb").replace("pm", "yp")
    # P6: the suggestions below each written box, on the same round trip as the draft.
    swaps = [suggestion_swaps(request, field, str(data.get(field, "")),
                              time_given=bool(time_box and data.get(time_box)))
             for field, time_box in QUALITY_FIELDS.items()]
    return HttpResponse(format_html('<span data-draft="saved">{}</span>{}',
                                    gettext("Draft saved at %(time)s.") % {"time": saved}, file_note)
                        + "".join(swaps),  # each part rendered by the autoescaping templates
                        content_type="text/html; charset=utf-8")


@require_POST
def suggestions(request):
    """P6: suggestions for a clearer record as someone writes a chronology entry (the report page has them on its
    autosave). Only the text posted is read and nothing is kept: what is said depends on those words alone, so it
    needs no record, only that the person writes records at their school: reports, or chronology entries."""
    school = current_school(request)
    if school is None or not any(request.user.access.can(c, school)
                                 for c in (Capability.REPORT_CONCERN, Capability.READ_CASES)):
        raise Http404("Not found")
    form = SuggestionsForm(request.POST)
    if not form.is_valid():
        return HttpResponse("No such box.", status=400, content_type="text/plain; charset=utf-8")
    field = form.cleaned_data["field"]
    return HttpResponse(suggestion_swaps(request, field, form.text(request.POST)),
                        content_type="text/html; charset=utf-8")


@require_POST
def pupil_search(request):
    """Search-as-you-type for the report page: children at the user's current school only. Posted, so that a
    child's name never reaches a URL (and so the server's log, the browser's history or a proxy)."""
    school = current_school(request)
    require(request.user, Capability.SEARCH_PUPILS, school)
    q = ChildSearchForm(request.POST).words()
    pupils = list(_search(school, q)[:SEARCH_LIMIT]) if len(q) >= 2 else []
    return render(request, "concerns/_pupil_results.html", {"pupils": pupils, "q": q})


def child_row(request, pupil_id):
    school = current_school(request)
    require(request.user, Capability.SEARCH_PUPILS, school)
    pupil = Pupil.objects.filter(school=school, id=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil")
    return render(request, "concerns/_child_row.html", {"pupil": pupil, "role": "",
                                                          "child_roles": translated(ChildRole.choices)})


def submitted(request, concern_id):
    concern = get_own_report(request.user, concern_id)
    return render(request, "concerns/submitted.html", {"concern": concern})


def my_reports(request):
    """Rule A7: what I reported and its status, never the case file."""
    reports = list(Concern.objects.reported_by(request.user).select_related("school")
                   .only("id", "incident_type", "status", "created_at", "school__name")[:200])
    return render(request, "concerns/my_reports.html", {"reports": reports})


INBOX_WAITING_LIMIT = 200
INBOX_PAGE = 25
# What get_incident_type_display() and get_kind_display() give, as maps built once: Django rebuilds the choices'
# dict on every call, and a row read them for every concern (issue 24). The labels are English msgids (gettext_noop):
# the template translates them, as it did.
INBOX_LABELS = {"incident_type": dict(IncidentType.choices), "pupil_kind": dict(PupilKind.choices)}


def inbox(request):
    """Concerns waiting to be acknowledged, all of them and oldest first; then the acknowledged ones still
    open, newest first, a page at a time. Each list is one range of the (school, status, created_at) index.
    Every row is one its reader may open (H3): someone only told of a concern (A5) sees its summary."""
    from lib.paging import paginate

    school = current_school(request)
    received = CONCERNS.inbox(request.user, school) if school else None
    if received is None:
        raise Http404("No inbox")
    # Only what a row shows: the account (the narrative) and the rest stay unread; children are counted.
    received = (received.select_related("reported_by", "pupil_report")
                .only("id", "school_id", "route", "incident_type", "status", "created_at", "escalated_at",
                      "subject_staff_id", "reported_by__id", "reported_by__full_name", "pupil_report__id",
                      "pupil_report__kind")
                .annotate(n_children=Coalesce(Subquery(
                    ConcernChild.objects.filter(concern=OuterRef("pk")).order_by().values("concern")
                    .annotate(n=Count("pk")).values("n")), 0)))
    # P7: for the safeguarding team, alerts in a group still to triage are listed under it, not one by one (those
    # told of breaches for their technical details still see each).
    waiting = received.filter(status=Concern.Status.RECEIVED)
    if alert_groups.may_triage(request.user, school):
        waiting = waiting.exclude(alert_group__status=AlertGroup.Status.OPEN)
    waiting = list(waiting.order_by("created_at")[:INBOX_WAITING_LIMIT])
    flags_shown = school_status.may_see(request.user, school)
    groups = [{"group": g, "rows": alert_groups.rows(g, flags_shown=flags_shown)}
              for g in alert_groups.open_groups(request.user, school)]
    acknowledged = paginate(request, received.filter(status=Concern.Status.ACKNOWLEDGED).order_by("-created_at"),
                            per_page=INBOX_PAGE, label=gettext("Pages of acknowledged concerns"))
    record(actor=request.user, action=Action.VIEW, object_type="concern_inbox", school=school,
           detail={"shown": len(waiting) + len(acknowledged.object_list), "page": acknowledged.number})
    minutes = settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES
    # Rows the reader is only told of show no reporter and no count of children, as their summary does not.
    told_only = {c.id for c in [*waiting, *acknowledged.object_list]
                 if not CONCERNS.allows(request.user, CONCERNS.Verb.SEE, c)}
    return render(request, "concerns/inbox.html", {
        "school": school, "waiting": waiting, "waiting_limit": INBOX_WAITING_LIMIT, "acknowledged": acknowledged,
        "now": timezone.now(), "acknowledge_within": minutes, "acknowledge_delta": timedelta(minutes=minutes),
        "told_only": told_only, "receives": CONCERNS.receives_any(request.user, school), "groups": groups,
        "urgent_kinds": urgency.urgent_kinds(), "labels": INBOX_LABELS,
        "records_police_notices": request.user.access.can(Capability.RECORD_POLICE_NOTICES, school),
    })


def detail(request, concern_id):
    """The whole concern for those it is for; a summary for those only told of it (A1, A5)."""
    concern = CONCERNS.get(request.user, CONCERNS.Verb.SEE_SUMMARY, concern_id)
    if not CONCERNS.allows(request.user, CONCERNS.Verb.SEE, concern):
        return _summary(request, concern)
    return concern_page(request, concern)


def concern_page(request, concern, *, open_form=None, attach_form=None, key_adult_form=None, reply_form=None,
                 close_form=None):
    """The whole concern; with a case that could not be opened (`open_form`) or no case chosen to add it to
    (`attach_form`), what was chosen and the reason beside it."""
    record(actor=request.user, action=Action.VIEW, object_type="concern", object_id=concern.id, school=concern.school)
    children = list(concern.children.select_related("pupil"))
    statements = list(concern.statements.only("id", "filename", "kind", "size"))
    may_open_case = CONCERNS.allows(request.user, CONCERNS.Verb.OPEN_CASE, concern)
    open_cases = []
    if not concern.case_id and may_open_case:
        chosen_case = attach_form.shown("case") if attach_form is not None else ""
        open_cases = [{"value": i, "text": words, "selected": str(i) == str(chosen_case)}
                      for i, words in triage.cases_to_join(request.user, concern)]
    procedures = []
    chosen = open_form.shown("procedure") if open_form is not None else ""
    if concern.incident_type == IncidentType.OTHER and not concern.case_id:
        procedures = [{"value": "", "text": gettext("Choose a procedure")}] + [
            {"value": value, "text": label, "selected": value == chosen}
            for value, label in translated(IncidentType.choices)
            if value not in (IncidentType.OTHER, IncidentType.STAFF_ALLEGATION)]
    refused = open_form.error_summary() if open_form is not None else []
    if not procedures:  # no box to link to: the message alone
        refused = [{"text": item["text"]} for item in refused]
    if attach_form is not None:
        refused += attach_form.error_summary() if open_cases else [
            {"text": text} for errors in attach_form.errors.values() for text in errors]
    notice = EncompassNotice.objects.filter(concern=concern).select_related("key_adult").first()
    key_adults = []
    if notice is not None and CONCERNS.allows(request.user, CONCERNS.Verb.ACKNOWLEDGE, concern):
        from concerns.encompass import key_adults as people

        chosen = key_adult_form.shown("key_adult") if key_adult_form is not None else notice.key_adult_id or ""
        key_adults = [{"value": "", "text": gettext("Choose a member of staff")}] + [
            {"value": u.id, "text": u.picker_label, "selected": str(u.id) == str(chosen)}
            for u in people(concern.school)]
    if key_adult_form is not None:
        refused += key_adult_form.error_summary()
    pupil = _pupil_part(request, concern, reply_form, close_form)
    refused += pupil.get("refused", [])
    # P7: the group of monitoring alerts this one came in with, for those who triage groups (others see no link).
    group = (AlertGroup.objects.only("id", "status").filter(id=concern.alert_group_id).first()
             if concern.alert_group_id and alert_groups.may_triage(request.user, concern.school) else None)
    acknowledge_by = concern.created_at + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES)
    return render(request, "concerns/detail.html", {
        "alert_group": group,
        "acknowledge_by": acknowledge_by, "acknowledge_overdue": acknowledge_by < timezone.now(),
        "notice": notice, "key_adults": key_adults, "key_adult_form": key_adult_form, "now": timezone.now(),
        "concern": concern, "children": children, "statements": statements, "open_cases": open_cases,
        "procedures": procedures, "may_acknowledge": CONCERNS.allows(request.user, CONCERNS.Verb.ACKNOWLEDGE, concern),
        "may_open_case": may_open_case, "open_form": open_form, "attach_form": attach_form, "refused": refused,
        "pupil": pupil})


def _pupil_part(request, concern, reply_form, close_form):
    """P3–P5: what a pupil sent from the pupils' page, what they added, and the team's reply and closing forms."""
    from concerns.models import PupilReport

    report = PupilReport.objects.filter(concern=concern).select_related("replied_by").first()
    if report is None:
        return {}
    refused = []
    for form in (reply_form, close_form):
        if form is not None:
            refused += form.error_summary()
    return {"report": report, "notes": list(report.notes.all()), "reply_form": reply_form, "close_form": close_form,
            "refused": refused, "may_close": (concern.status != Concern.Status.CLOSED and not concern.case_id
                                              and CONCERNS.allows(request.user, CONCERNS.Verb.OPEN_CASE, concern))}


def _summary(request, concern):
    """What someone told of a concern needs for their part: never what was said, nor the children's names."""
    from accounts.policy import people_who_can
    from concerns import routing

    reasons = CONCERNS.told_why(request.user, concern)
    record(actor=request.user, action=Action.VIEW, object_type="concern", object_id=concern.id, school=concern.school,
           detail={"view": "summary", "told": reasons})
    # The alert a filtering or monitoring service sent, when the concern came from one (A5): the API keeps it,
    # pointing at the concern, so it is read through that link (concerns never imports the API).
    alert = getattr(concern, "monitoring_alert", None)
    minutes = settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES
    team = people_who_can(concern.school, routing.ROUTES[concern.route].receive, exclude=[request.user.id])
    return render(request, "concerns/summary.html", {
        "concern": concern, "reasons": reasons, "alert": alert, "team": team,
        "acknowledge_by": concern.created_at + timedelta(minutes=minutes),
        "acknowledged_by": concern.acknowledged_by if concern.acknowledged_by_id else None})


@require_POST
def acknowledge(request, concern_id):
    """A1: only those the concern is for; anyone only told of it gets the same 404 as a stranger (A5)."""
    concern = CONCERNS.get(request.user, CONCERNS.Verb.ACKNOWLEDGE, concern_id)
    actions.acknowledge(user=request.user, concern=concern)
    messages.success(request, gettext("Concern %(reference)s acknowledged. The reporter can see it has been received.")
                     % {"reference": concern.reference})
    return redirect("concerns:detail", concern.id)


@require_POST
def open_case(request, concern_id):
    """A1: those who run the concern's route open a case from it; anyone only told of it (A5) gets the 404 a
    missing concern gives. The case is opened by cases (concerns/triage.py); refused, the concern's page comes
    back with the procedure chosen and the reason beside it."""
    concern = CONCERNS.get(request.user, CONCERNS.Verb.OPEN_CASE, concern_id)
    form = OpenCaseForm(request.POST)
    if form.is_valid():
        try:
            case = triage.open_case(user=request.user, concern=concern,
                                    procedure_id=form.cleaned_data["procedure"] or None)
        except ValidationError as exc:
            form.refuse(exc, field="procedure")
        else:
            messages.success(request, gettext("Case %(case)s opened from concern %(concern)s.")
                             % {"case": case.reference, "concern": concern.reference})
            return redirect("cases:detail", case.id)
    return concern_page(request, concern, open_form=form)


@require_POST
def add_to_case(request, concern_id):
    """Several reports of one incident become one case: only a case the same people run, at the same school.
    With none chosen, the concern's page comes back saying so beside the list."""
    concern = CONCERNS.get(request.user, CONCERNS.Verb.OPEN_CASE, concern_id)
    form = AttachForm(request.POST)
    if not form.is_valid():
        return concern_page(request, concern, attach_form=form)
    case = triage.add_to_case(user=request.user, concern=concern, case_id=form.cleaned_data["case"])
    messages.success(request, gettext("Concern %(concern)s added to case %(case)s.")
                     % {"concern": concern.reference, "case": case.reference})
    return redirect("cases:detail", case.id)

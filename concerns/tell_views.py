"""P1–P5: the pupils' pages (`/tell/<school code>/`), open without an account, and the team's side of them.

The pupils' pages are the only pages of Harbour open to anyone without signing in besides the sign-in pages,
health checks and the accessibility statement (`PUBLIC_PUPIL_PAGES`, proven by concerns/tests/test_tell_access.py).
Each one: a wrong school code is the 404 of a missing page; the device cookie and the network are limited (P5); no
report text is ever in an address (all posted) and no page is kept by the browser (no-store, P1).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.capabilities import Capability
from audit.log import Action, record
from concerns import limits, pupils
from concerns.access import CONCERNS
from concerns.forms import PupilCloseForm, PupilReplyForm, ReceiptCodeForm, TellForm, TellMoreForm
from concerns.models import PupilKind
from lib.errors import ActionError
from schools.access import require
from schools.current import current_school
from schools.models import School

PUBLIC_PUPIL_PAGES = ("tell:start", "tell:check")
NO_FILES = ("We cannot take pictures, videos or files here. Please use words. If someone has a picture of you, "
            "tell an adult you trust.")


def _school(code):
    return get_object_or_404(School.objects.only("id", "name", "tell_code"), tell_code=code)


def _render(request, template, context, token, status=200):
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # never sent to another site (the exit button's); "no-referrer"
    # would make the browser post "Origin: null", which the CSRF check rightly refuses
    return limits.set_device(response, token)


def _refusal(form, exc):
    """An action's refusal beside its box, in the pupil's words."""
    from concerns.forms import PUPIL_PICTURES

    for name, why in exc.errors.items():
        form.add_error(name, PUPIL_PICTURES if why == "pictures" else why)


def _limited(request, school, token):
    return _render(request, "tell/limited.html", {"school": school}, token, status=429)


@login_not_required
def start(request, school_code):
    """P1: a pupil tells the school what is worrying them, in words only (P2)."""
    school = _school(school_code)
    token = limits.device_token(request)
    sources = limits.sources(request, token)
    form = TellForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if request.FILES:  # the form has no file box: a file posted is refused, the words shown again (P2, A3)
            form.is_valid()
            form.add_error(None, NO_FILES)
            return _render(request, "tell/start.html", _start_context(school, form), token, status=422)
        if form.is_valid():
            if limits.over("report", sources):
                return _limited(request, school, token)
            data = form.cleaned_data
            try:
                concern, code, gathered = pupils.submit(school=school, kind=data["kind"], words=data["words"],
                                                        name=data["name"], pupil_class=data["pupil_class"],
                                                        sources=sources)
            except ActionError as exc:
                _refusal(form, exc)
            else:
                limits.hit("report", sources)
                return _render(request, "tell/sent.html", {"school": school, "code": code}, token)
        status = 422 if any(n in getattr(form, "without_imagery", {}) for n in form.fields) else 200
    return _render(request, "tell/start.html", _start_context(school, form), token, status=status)


def _start_context(school, form):
    kinds = [{"value": v, "text": label, "checked": form.is_bound and form.shown("kind") == v}
             for v, label in PupilKind.choices]
    return {"school": school, "form": form, "kinds": kinds}


@login_not_required
def check(request, school_code):
    """P4: with their receipt code, a pupil sees whether their report was read, reads the reply and adds more.
    A wrong code, another school's code and no code at all give the same answer; tries are limited (P5)."""
    school = _school(school_code)
    token = limits.device_token(request)
    sources = limits.sources(request, token)
    if request.method != "POST":
        return _render(request, "tell/check.html", {"school": school, "form": ReceiptCodeForm()}, token)
    adding = "more" in request.POST
    form = (TellMoreForm if adding else ReceiptCodeForm)(request.POST)
    if limits.over("code", sources):
        return _limited(request, school, token)
    code = _posted_code(request)
    report = pupils.find(school=school, code=code)
    if report is None:
        if pupils.normalise_code(code) is not None:  # a code-shaped guess counts (P4)
            limits.hit("code", sources)
        form = ReceiptCodeForm(request.POST)
        form.is_valid()
        form.errors.clear()
        form.add_error("code", "We could not find that code. Check it and try again.")
        return _render(request, "tell/check.html", {"school": school, "form": form}, token)
    added = False
    if not adding:
        form = None
    elif form.is_valid():
        if limits.over("more", sources):
            return _limited(request, school, token)
        try:
            pupils.add_more(report=report, words=form.cleaned_data["more"])
        except ActionError as exc:
            _refusal(form, exc)
        else:
            limits.hit("more", sources)
            added, form = True, None
    record(actor=None, action=Action.VIEW, object_type="pupil_report", object_id=report.concern_id,
           school=school, detail={"rule": "P4", "by": "receipt code"})
    status = 422 if form is not None and getattr(form, "without_imagery", None) else 200
    return _render(request, "tell/receipt.html", {
        "school": school, "report": report, "status_words": pupils.status_words(report.concern),
        "code": pupils.normalise_code(code), "form": form, "added": added,
    }, token, status=status)


def _posted_code(request):
    """The receipt code posted, read through its form (empty if there is none or it cannot be a code)."""
    form = ReceiptCodeForm(request.POST)
    return form.cleaned_data["code"] if form.is_valid() else ""


# -- The safeguarding team's side ----------------------------------------------------------------------------------


@require_POST
def reply(request, concern_id):
    """P4: the team's short reply to the pupil, written on the concern's page. Audited."""
    concern = CONCERNS.get(request.user, CONCERNS.Verb.ACKNOWLEDGE, concern_id)
    if not hasattr(concern, "pupil_report"):
        raise Http404("No such concern")
    form = PupilReplyForm(request.POST)
    if form.is_valid():
        try:
            pupils.reply(user=request.user, concern=concern, text=form.cleaned_data["reply"])
        except ActionError as exc:
            form.refuse(exc, field="reply")
        else:
            messages.success(request, gettext("Reply saved. The pupil will see it when they use their code."))
            return redirect("concerns:detail", concern.id)
    from concerns.views import concern_page

    return concern_page(request, concern, reply_form=form)


@require_POST
def close(request, concern_id):
    """P5, B10: close a pupil's report as needing no action, only with the reason."""
    concern = CONCERNS.get(request.user, CONCERNS.Verb.OPEN_CASE, concern_id)
    if not hasattr(concern, "pupil_report"):
        raise Http404("No such concern")
    form = PupilCloseForm(request.POST)
    if form.is_valid():
        try:
            pupils.close_no_action(user=request.user, concern=concern, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, gettext("Concern %(reference)s closed as needing no action, with your reason.")
                             % {"reference": concern.reference})
            return redirect("concerns:inbox")
    from concerns.views import concern_page

    return concern_page(request, concern, close_form=form)


def poster_qr(link):
    """The QR code holding `link`, as SVG: the same on the printable page and in the PDF."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    return qrcode.make(link, image_factory=SvgPathImage, box_size=12).to_string(encoding="unicode")


def _poster(request):
    school = current_school(request)
    require(request.user, Capability.MANAGE_CASES, school)
    link = request.build_absolute_uri(f"/tell/{school.tell_code}/")
    return school, link, poster_qr(link)


def poster(request):
    """P1: the school's pupils' page address and its QR code, on an A4 poster to print."""
    school, link, qr_svg = _poster(request)
    return render(request, "tell/poster.html", {"school": school, "link": link, "qr_svg": qr_svg})


@require_GET
def poster_pdf(request):
    """P1: the same poster as an A4 PDF, with a few kind words for a child about the page (in the reader's
    language, J8). It names no one but the school."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    from lib.i18n import html_lang
    from lib.pdf import render_pdf

    school, link, qr_svg = _poster(request)
    html = render_to_string("tell/print/poster.html", {
        "school_name": school.name, "link": link, "qr_svg": qr_svg, "lang": html_lang()})
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="pupils-page-poster.pdf"'
    return response


@require_POST
def new_code(request):
    """P1: a new address for the pupils' page; the old one, and the posters with it, stop working at once."""
    school = current_school(request)
    require(request.user, Capability.MANAGE_CASES, school)
    pupils.regenerate_code(user=request.user, school=school)
    messages.success(request, "The pupils’ page has a new address. Print the new poster: the old one no longer works.")
    return redirect("concerns:pupil_poster")

from datetime import date
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.capabilities import Capability
from accounts.decorators import mfa_not_required
from harbour.health import report as health_checks
from harbour.version import version
from harbour.waiting import waiting_for
from schools import nations
from schools.current import current_school

C = Capability

# What a person can do next, by capability. Links to pages that do not exist yet are
# left out rather than shown broken; each later feature adds its own line here.
NEXT_STEPS = [
    (C.VIEW_SCHOOL_DASHBOARD, _("Dashboard"), "reports:dashboard",
     _("Start here: what needs attention now, trends, and the termly review pack.")),
    (C.REPORT_CONCERN, _("Report a concern"), "concerns:report",
     _("Worried about a child online? Record what you were told or saw. It reaches the right people at once.")),
    (C.REPORT_CONCERN, _("My reports"), "concerns:mine",
     _("What you have reported, and whether it has been received.")),
    # The concerns inbox is in the navigation of everyone who receives concerns (base.html), and what waits in it
    # starts the home page ("Waiting for you", harbour/waiting.py).
    (C.READ_CASES, _("Cases"), "cases:list",
     _("Open cases: the clocks, what is overdue, and what each case needs next.")),
    (C.RECEIVE_STAFF_ALLEGATIONS, _("Cases"), "cases:list",
     _("Cases you run, and decisions waiting for your sign-off.")),
    (C.RECEIVE_HEADTEACHER_ALLEGATIONS, _("Cases"), "cases:list",
     _("Cases you run, and decisions waiting for your sign-off.")),
    (C.MANAGE_PROCEDURES, _("Procedures"), "procedures:list",
     _("The procedure for each kind of incident: read it, and adapt it for your school or trust.")),
    # Procedures and Records are here rather than in the navigation, so it fits one row at 1280 px (base.html).
    (C.READ_CASES, _("Procedures"), "procedures:list",
     _("The procedure for each kind of incident, and the steps and clocks it sets for a case.")),
    (C.MANAGE_RECORDS, _("Records due for disposal"), "records:queue",
     _("Closed cases past their keeping date, or close to it: ask for their disposal, or approve it.")),
    (C.MANAGE_PROCEDURES, _("Email digest times"), "schools:digest_times",
     _("When staff get one email of what can wait, on school days. What cannot wait is emailed at once.")),
    (C.READ_CASES, _("Advice for children and families"), "advice:list",
     _("What to say to a child and their family, by what happened to the child, and letters to print.")),
    (C.READ_CASES, _("Messages to staff, parents and pupils"), "communications:templates",
     _("Prepared messages for an incident that affects many: read them, and reword them for your school.")),
    (C.REPORT_CONCERN, _("National services"), "advice:resources",
     _("Where to report, get images taken down, and find support and advice.")),
    (C.VIEW_GOVERNOR_REPORT, _("Governor report"), "reports:governor",
     _("Online-safety incidents this term, in numbers: no names, and small numbers hidden.")),
    (C.VIEW_PUPIL_RECORDS, _("Look up a pupil"), "schools:pupil_list",
     _("Find a child's record, their year group, needs and the adults who care for them.")),
    (C.RECEIVE_CONCERNS, _("Monitoring users"), "integrations:monitoring_users",
     _("Logins your monitoring service named that Harbour could not match to a pupil: match each one once.")),
    # P1: the pupils' page is reached from its printed poster; the poster itself is reached from here.
    (C.MANAGE_CASES, _("Pupils’ page and its poster"), "concerns:pupil_poster",
     _("Where pupils can tell you about an online worry without an account: print the poster to put up.")),
    (C.MANAGE_CASES, _("Child protection file transfers"), "transfers:overview",
     _("Send a child's file to their new school within 5 school days, and receive files sent to you.")),
    (C.MANAGE_PEOPLE, _("Import pupils, contacts or staff"), "imports:upload",
     _("Bring in a CSV export from your MIS. Importing the same file again changes nothing.")),
    (C.MANAGE_PEOPLE, _("People and sign-in"), "schools:people",
     _("Send staff a link to choose their own password. Imported staff have none until they do.")),
    (C.MANAGE_PEOPLE, _("Sign-in with school accounts"), "schools:school_accounts",
     _("Let staff sign in with their Microsoft or Google school account instead of a Harbour password.")),
    (C.MANAGE_PEOPLE, _("API tokens"), "integrations:tokens",
     _("Let a filtering or monitoring service, or your MIS, use Harbour's API for this school.")),
    (C.MANAGE_SCHOOL_DETAILS, _("School details"), "schools:details",
     _("The address, telephone and safeguarding contact that letters to families print.")),
    (C.ADD_SCHOOLS, _("Add a school"), "schools:add", _("Add another school of your trust to Harbour.")),
]


def urgent_advice(roles, school=None):
    """What to do about a child at risk right now, in words right for the reader's role and the school's nation: the
    safeguarding lead is never told to tell themselves (A1, A4), and the role is called what the nation calls it
    (J8), each sentence whole."""
    if "dsl" in roles:
        return _("If a child is in immediate danger, call 999. Concerns reported in Harbour come to you and your "
                 "deputies at once; concerns about a member of staff go to the headteacher.")
    said = nations.words(school)
    if "deputy_dsl" in roles:
        return said.home_for_deputy
    if "headteacher" in roles:
        return said.home_for_headteacher
    return said.home_for_staff


def home(request):
    school = current_school(request)
    caps = request.user.access.capabilities_in(school) if school else frozenset()
    steps, seen = [], set()
    for cap, title, link, hint in NEXT_STEPS:
        if cap in caps and link not in seen:
            seen.add(link)
            steps.append((title, link, hint))
    roles = request.user.access.roles_in(school) if school else set()
    return render(request, "home.html", {
        "school": school,
        "waiting": waiting_for(request.user, school) if school else None,
        "urgent_advice": urgent_advice(roles, school),
        "steps": steps,
        "roles": sorted(roles),
        "can_report": C.REPORT_CONCERN in caps,
        # A trust administrator whose trust has no school yet starts by adding one (issue 21.2).
        "can_add_school": bool(request.user.access.trust_ids_with(C.ADD_SCHOOLS)),
    })


@login_not_required
@mfa_not_required
@never_cache
def health(request):
    """For monitoring: is Harbour working? No sign-in. 200 when every check passes, else 503, with a JSON body
    that says nothing else (no names, no counts of people or records)::

        {"status": "ok",                    # "ok" (200) or "fail" (503): every check below passed, or not
         "checks": {
           "database":   {"ok": true},      # the database answered a query
           "migrations": {"ok": true},      # every migration this code has is applied (`manage.py migrate`)
           "worker":     {"ok": true,       # a worker (`manage.py worker`) was seen within
                          "seen_seconds_ago": 12},  # HARBOUR_HEALTH_WORKER_SECONDS (300); null: none running
           "queue":      {"ok": true,       # no job due to run has waited longer than
                          "oldest_waiting_seconds": 0}}}  # HARBOUR_HEALTH_QUEUE_SECONDS (600); null: none waiting

    A worker beats every HARBOUR_WORKER_HEARTBEAT_SECONDS (30) and is forgotten at once when stopped cleanly, so
    a stopped worker shows as "ok": false straight away, a killed one after HARBOUR_HEALTH_WORKER_SECONDS. When the
    database is away the other checks are "ok": false with null figures.
    """
    return _health_response(web_only=False)


# When the accessibility statement was written and the service last tested for it (GOV.UK's model asks for both).
# Whoever re-tests the service changes these dates and the statement's lists in the same commit.
STATEMENT_PREPARED = date(2026, 12, 6)
STATEMENT_TESTED = date(2026, 12, 6)


@login_not_required
@mfa_not_required
def accessibility(request):
    """The accessibility statement: public, so that someone who cannot sign in can still find how to say so."""
    contact = settings.HARBOUR_ACCESSIBILITY_CONTACT
    name, address = parseaddr(contact)
    email = address if "@" in address and " " not in address else ""
    return render(request, "accessibility.html", {
        "operator": settings.HARBOUR_OPERATOR_NAME,
        "contact_email": email,
        "contact_text": "" if email else contact,
        "site_url": settings.SITE_URL,
        "idle_minutes": settings.HARBOUR_IDLE_TIMEOUT_MINUTES,
        "version": version(),
        "prepared": STATEMENT_PREPARED,
        "tested": STATEMENT_TESTED,
    })


@login_not_required
@mfa_not_required
@never_cache
def health_web(request):
    """For the reverse proxy's health check of one web server: the same answer as /healthz with only "database"
    and "migrations" (a web server can serve while the worker is down; /healthz says when it is)."""
    return _health_response(web_only=True)


def _health_response(*, web_only):
    ok, checks = health_checks(web_only=web_only)
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.capabilities import Capability
from accounts.decorators import mfa_not_required
from schools.current import current_school

C = Capability

# What a person can do next, by capability. Links to pages that do not exist yet are
# left out rather than shown broken; each later feature adds its own line here.
NEXT_STEPS = [
    (C.VIEW_SCHOOL_DASHBOARD, "Dashboard", "reports:dashboard",
     "Start here: what needs attention now, trends, and the termly review pack."),
    (C.REPORT_CONCERN, "Report a concern", "concerns:report",
     "Worried about a child online? Record what you were told or saw. It reaches the right people at once."),
    (C.REPORT_CONCERN, "My reports", "concerns:mine", "What you have reported, and whether it has been received."),
    (C.RECEIVE_CONCERNS, "Concerns inbox", "concerns:inbox", "New concerns waiting to be acknowledged."),
    (C.RECEIVE_STAFF_ALLEGATIONS, "Concerns inbox", "concerns:inbox", "Concerns about members of staff."),
    (C.RECEIVE_HEADTEACHER_ALLEGATIONS, "Concerns inbox", "concerns:inbox", "Concerns about the headteacher."),
    (C.RECEIVE_FILTERING_ALERTS, "Concerns inbox", "concerns:inbox", "Filtering and monitoring breaches."),
    (C.READ_CASES, "Cases", "cases:list", "Open cases: the clocks, what is overdue, and what each case needs next."),
    (C.RECEIVE_STAFF_ALLEGATIONS, "Cases", "cases:list", "Cases you run, and decisions waiting for your sign-off."),
    (C.RECEIVE_HEADTEACHER_ALLEGATIONS, "Cases", "cases:list",
     "Cases you run, and decisions waiting for your sign-off."),
    (C.MANAGE_PROCEDURES, "Procedures", "procedures:list",
     "The procedure for each kind of incident: read it, and adapt it for your school or trust."),
    (C.READ_CASES, "Advice for children and families", "advice:list",
     "What to say to a child and their family, by what happened to the child, and letters to print."),
    (C.REPORT_CONCERN, "National services", "advice:resources",
     "Where to report, get images taken down, and find support and advice."),
    (C.VIEW_GOVERNOR_REPORT, "Governor report", "reports:governor",
     "Online-safety incidents this term, in numbers: no names, and small numbers hidden."),
    (C.VIEW_PUPIL_RECORDS, "Look up a pupil", "schools:pupil_list",
     "Find a child's record, their year group, needs and the adults who care for them."),
    (C.MANAGE_CASES, "Child protection file transfers", "transfers:overview",
     "Send a child's file to their new school within 5 school days, and receive files sent to you (H5)."),
    (C.MANAGE_PEOPLE, "Import pupils, contacts or staff", "imports:upload",
     "Bring in a CSV export from your MIS. Importing the same file again changes nothing."),
    (C.MANAGE_PEOPLE, "People and sign-in", "schools:people",
     "Send staff a link to choose their own password. Imported staff have none until they do."),
    (C.MANAGE_PEOPLE, "API tokens", "integrations:tokens",
     "Let a filtering or monitoring service, or your MIS, use Harbour's API for this school."),
    (C.MANAGE_SCHOOL_DETAILS, "School details", "schools:details",
     "The address, telephone and safeguarding contact that letters to families print."),
]


def home(request):
    school = current_school(request)
    caps = request.user.access.capabilities_in(school) if school else frozenset()
    steps, seen = [], set()
    for cap, title, link, hint in NEXT_STEPS:
        if cap in caps and link not in seen:
            seen.add(link)
            steps.append((title, link, hint))
    return render(request, "home.html", {
        "school": school,
        "steps": steps,
        "roles": sorted(request.user.access.roles_in(school)) if school else [],
        "can_report": C.REPORT_CONCERN in caps,
    })


@login_not_required
@mfa_not_required
def health(request):
    """For load balancers: the process is up. Says nothing else."""
    return HttpResponse("ok", content_type="text/plain")

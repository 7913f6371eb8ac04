"""Issue 8, part 1: the access matrix, derived from the URL resolver (a new URL cannot escape it).

Every named URL × every kind of person (anonymous; each role at Riverside; the trust's safeguarding lead and
administrator; the DSL of another school of the same trust; the DSL and the safeguarding lead of another trust;
a DSL deactivated mid-session) × Riverside's object, a missing object × GET and POST, checked against the declared
table in `tests/security/policy.py`. Rules: H3 (a stranger sees the same 404 as a missing record), S1, G4.
The API (namespace "api") answers to tokens, not sessions: its own matrix is in api/tests.
"""

import pytest
from django.test import Client

from tests.figures import report
from tests.security import world as W
from tests.security.matrix import all_url_names, missing_url, normalise, objects_of, url_for
from tests.security.policy import POLICY, ROLES

pytestmark = pytest.mark.django_db
OUTSIDERS = ["other_school_dsl", "other_trust_dsl", "other_trust_lead"]


def _pages():
    return [(n, p) for n, p in sorted(all_url_names()) if not n.startswith("api:")]


def test_every_url_has_a_declared_policy():
    missing = [name for name, _ in _pages() if name not in POLICY]
    stale = sorted(set(POLICY) - {name for name, _ in _pages()})
    assert missing == [] and stale == [], (missing, stale)


def test_r_h3_access_matrix():
    people, riverside = W.build()
    ids, children = objects_of(riverside)
    client = Client(raise_request_exception=False)
    from cases.models import Case
    from schools.models import Pupil

    # What would give Riverside's records away on an outsider's page: a child's name, a case reference. (Its name
    # may appear: Oakfield is told that a child protection file from Riverside is waiting for it.)
    pupil = Pupil.objects.filter(school=riverside).order_by("id").first()
    markers = [f"{pupil.legal_first_name} {pupil.legal_last_name}"] + [
        c.reference for c in Case.objects.filter(school=riverside)]
    tuples = unauthorised = mismatches = leaks = 0
    reads, headers = ReadAudit(), HeaderSweep()
    problems = []
    object_urls = 0
    for name, pattern in _pages():
        expected = dict(zip(ROLES, POLICY[name], strict=True))
        url = url_for(name, pattern, ids, children)
        has_object = bool(pattern.pattern.converters) and name != "accounts:welcome"
        object_urls += has_object
        missing = missing_url(name, pattern) if has_object else None
        for role in ROLES:
            W.sign_in(client, people[role])
            before = _last_seq()
            got = client.get(url)
            tuples += 1
            reads.check(name, pattern, role, got, before)
            headers.check(name, role, "GET", got)
            if got.status_code >= 500 or got.status_code != expected[role]:
                mismatches += 1
                problems.append((name, role, "GET", got.status_code, expected[role]))
            if expected[role] == 404 and 200 <= got.status_code < 300:
                unauthorised += 1
            if role in OUTSIDERS and got.status_code == 200:
                body = got.content.decode(errors="replace")
                found = [m for m in markers if m in body]
                if found:
                    leaks += 1
                    problems.append((name, role, "leak", found[:2]))
            if has_object and expected[role] == 404 and role != "anonymous":
                tuples += 1
                gone = client.get(missing)
                if gone.status_code != 404 or normalise(gone.content) != normalise(got.content):
                    import difflib

                    diff = [
                        d
                        for d in difflib.unified_diff(
                            normalise(got.content).decode(errors="replace").splitlines(),
                            normalise(gone.content).decode(errors="replace").splitlines(),
                            lineterm="",
                            n=0,
                        )
                    ][2:6]
                    problems.append((name, role, "404 differs from a missing record", gone.status_code, diff))
                    mismatches += 1
            # POST with an empty form: whoever is refused a GET is refused a POST; nothing fails.
            posted = client.post(url, {})
            tuples += 1
            headers.check(name, role, "POST", posted)
            if posted.status_code >= 500:
                problems.append((name, role, "POST", posted.status_code))
                mismatches += 1
            if expected[role] in (404, 302) and name not in ("accounts:login", "accounts:welcome", "health"):
                if role == "anonymous":
                    ok = posted.status_code == 302 and "/account/sign-in/" in posted["Location"]
                else:
                    ok = posted.status_code in (404, 405) or (posted.status_code == 302 and expected[role] == 302)
                if not ok:
                    unauthorised += 1
                    problems.append((name, role, "POST", posted.status_code))
    # A DSL deactivated while signed in is stopped at once, everywhere.
    W.sign_in(client, people["deactivated_dsl"])
    people["_deactivate"]()
    for name, pattern in _pages():
        if name in ("accounts:login", "accounts:welcome", "health"):
            continue
        got = client.get(url_for(name, pattern, ids, children))
        tuples += 1
        if got.status_code != 302 or "/account/sign-in/" not in got["Location"]:
            unauthorised += 1
            problems.append((name, "deactivated_dsl", got.status_code))
    unwalked = sorted(k for k, v in ids.items() if v == 987654 and not (
        k in children and children[k][0].objects.filter(case__school=riverside).exists()))
    report("access matrix", f"{tuples} tuples checked over {len(_pages())} URLs ({object_urls} with a record) and "
           f"{len(ROLES) + 1} kinds of person; unauthorised 2xx: {unauthorised}; differences from the policy: "
           f"{mismatches}; Riverside details on outsiders' pages: {leaks}; URLs missing from the policy: "
           f"{len([n for n, _ in _pages() if n not in POLICY])}; record kinds with no example to walk: "
           f"{', '.join(unwalked) or 'none'}")
    report("audit of reads", reads.figure())
    report("headers", headers.figure())
    import os
    if os.environ.get("MATRIX_DUMP"):
        open(os.environ["MATRIX_DUMP"], "w").write("\n".join(map(str, problems)))
    assert problems == [] and unauthorised == 0 and leaks == 0, problems[:40]
    assert reads.problems == [], reads.problems[:40]
    assert headers.problems == [], headers.problems[:40]


def _last_seq():
    from audit.models import AuditEvent

    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# Pages that show a list drawn from case records, and the single event each writes when it is read.
LIST_READS = {
    "cases:list": "case_list", "cases:search": "case_search", "concerns:inbox": "concern_inbox",
    "schools:pupil_list": "pupil_list",
    "records:queue": "disposal_queue", "records:subject_access": "subject_access_search",
    "registers:agreement": "register_agreement_signatures", "registers:agreement_unsigned":
    "register_agreement_unsigned", "registers:filtering": "register_filtering_breaches",
    "registers:leavers": "register_leaver_images", "registers:training": "register_training",
    "reports:dashboard": "dashboard", "reports:governor": "governor_report", "reports:governor_pdf":
    "governor_report", "reports:list": "dashboard_list", "reports:pack": "termly_pack", "reports:pack_pdf":
    "termly_pack", "reports:trends": "trends", "reports:trust": "trust_dashboard",
    "registers:training_csv": "register_training",
    "integrations:tokens": "api_token_list",
}


class ReadAudit:
    """Issue 8.2 and H2: every allowed read of a record writes exactly one view (or export) event, before the
    response leaves; a refused read writes none; and no GET writes anything else."""

    def __init__(self):
        self.reads = self.record_reads = self.list_reads = self.quiet = 0
        self.problems = []

    def check(self, name, pattern, role, response, before):
        from audit.middleware import RECORD_KWARGS
        from audit.models import AuditEvent

        events = list(AuditEvent.objects.filter(seq__gt=before).values_list("action", "object_type", "object_id"))
        shown = [e for e in events if e[0] in ("view", "export")]
        writes = [e for e in events if e[0] not in ("view", "export", "denied")]
        if writes:
            self.problems.append((name, role, "a GET wrote", writes))
        if response.status_code != 200:
            if shown:
                self.problems.append((name, role, response.status_code, "refused, yet logged as read", shown))
            return
        self.reads += 1
        keyword = next((k for k in RECORD_KWARGS if k in pattern.pattern.converters), None)
        if keyword is not None:
            self.record_reads += 1
            if len(shown) != 1:
                self.problems.append((name, role, "record read events", shown))
        elif name in LIST_READS:
            self.list_reads += 1
            if [e[1] for e in shown] != [LIST_READS[name]]:
                self.problems.append((name, role, "list read events", shown))
        else:
            self.quiet += 1
            if shown:
                self.problems.append((name, role, "a page with no record logged a read", shown))

    def figure(self):
        return (f"{self.reads} allowed reads: {self.record_reads} of a record and {self.list_reads} of a list, "
                f"each with exactly one view event ({len(self.problems)} not); {self.quiet} pages with no record, "
                f"none logged as a read")


CSP_MUST = ["default-src 'none'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]


class HeaderSweep:
    """Issue 8.7: every response of the matrix, allowed or refused, GET or POST, carries the protections."""

    def __init__(self):
        self.html = self.other = 0
        self.problems = []

    def check(self, name, role, method, response):
        import re

        wrong = []
        if response.get("X-Content-Type-Options") != "nosniff":
            wrong.append("nosniff")
        if response.get("Referrer-Policy") != "same-origin":
            wrong.append("referrer policy")
        if response.get("Cache-Control") != "no-store":
            wrong.append(f"cache-control {response.get('Cache-Control')}")
        if response.get("X-Frame-Options") != "DENY":
            wrong.append("x-frame-options")
        if response.get("Content-Type", "").startswith("text/html"):
            self.html += 1
            csp = response.get("Content-Security-Policy", "")
            wrong += [f"csp lacks {d}" for d in CSP_MUST if d not in csp]
            if "unsafe-inline" in csp or "unsafe-eval" in csp:
                wrong.append("csp allows unsafe-inline or unsafe-eval")
            nonce = re.search(r"'nonce-([^']+)'", csp)
            for tag in re.findall(r"<script[^>]*>", response.content.decode(errors="replace")):
                if "src=\"/static/" not in tag and not (nonce and f'nonce="{nonce.group(1)}"' in tag):
                    wrong.append(f"inline script without the nonce: {tag[:60]}")
        else:
            self.other += 1
        if wrong:
            self.problems.append((name, role, method, response.status_code, wrong))

    def figure(self):
        return (f"{self.html} HTML and {self.other} other responses checked for CSP with nonces (no unsafe-inline; "
                f"object-src, base-uri, frame-ancestors 'none'), nosniff, referrer policy, no-store, DENY framing: "
                f"{len(self.problems)} without")

"""Issue 8, part 1, and issue 17: the access matrix, derived from the URL resolver (a new URL cannot escape it).

Every named URL × every kind of person (anonymous; each role at Riverside; the trust's safeguarding lead and
administrator; the DSL of another school of the same trust; the DSL and the safeguarding lead of another trust;
a DSL deactivated mid-session) × Riverside's object, a missing object × GET and POST, checked against the declared
tables in `tests/security/policy.py`: `POLICY` for a GET, `POST_POLICY` for a POST with an empty form, POST-only
URLs included. URLs that take a concern or a device are walked again with the variants of `world.py` (a filtering
breach, an escalated concern, a concern about a member of staff, a quarantined staff device), so that a role who
is only told of a record is seen to be unable to act on it; the pages of a deepfake case (who the image shows,
each child's takedown) are walked with one (J3, J5). Rules: H3 (a stranger sees the same 404 as a missing
record, for a GET and for a POST), A1, A4, A5, S1, G4. Every page a person is allowed to see is read for rule
numbers outside "Why is this asked?" too (issue 20.4, tests/test_plain_words.py). The API (namespace "api")
answers to tokens, not sessions: its own matrix is in api/tests.
"""

import difflib
import os

import pytest
from django.test import Client

from tests.figures import report, sweep, sweep_note
from tests.security import world as W
from tests.security.matrix import all_url_names, entries, missing_url, normalise, objects_of, url_for
from tests.security.policy import POLICY, POST_POLICY, ROLES, TOLD_ONLY

pytestmark = pytest.mark.django_db
OUTSIDERS = ["other_school_dsl", "other_trust_dsl", "other_trust_lead"]
PUBLIC = ("accounts:login", "accounts:welcome", "accounts:forgotten_password", "health", "health_web",  # no sign-in
          "accessibility", "accounts:school_account", "accounts:school_account_return",  # needed, even deactivated
          "tell:start", "tell:check")  # P1: the pupils' pages, for pupils with no account


def _pages():
    return [(n, p) for n, p in sorted(all_url_names()) if not n.startswith("api:")]


def _variant_keys():
    """The policy keys of the variant rows, without building the world: a variant is named by its keyword."""
    kinds = {"breach": "concern_id", "escalated": "concern_id", "about staff": "concern_id",
             "police notice": "concern_id", "quarantine": "device_id"}
    return {f"{name} [{variant}]" for name, pattern in _pages() for variant, key in kinds.items()
            if key in pattern.pattern.converters} | {
        f"{name} [{variant}]" for variant, names in W.VARIANT_URLS.items() for name in names}


def test_every_url_has_a_declared_policy_for_get_and_post():
    keys = {name for name, _ in _pages()} | _variant_keys()
    for table in (POLICY, POST_POLICY):
        assert sorted(keys - set(table)) == [] and sorted(set(table) - keys) == []
        assert all(len(row) == len(ROLES) for row in table.values())


def _differs(a, b):
    lines = difflib.unified_diff(normalise(a.content).decode(errors="replace").splitlines(),
                                 normalise(b.content).decode(errors="replace").splitlines(), lineterm="", n=0)
    return list(lines)[2:6]


def test_r_h3_a1_a4_a5_access_matrix(matrix_world):
    people, riverside = matrix_world
    ids, children = objects_of(riverside)
    variants = W.variants_of(riverside)
    rows = entries(_pages(), variants)
    client = Client(raise_request_exception=False)
    from cases.models import Case
    from schools.models import Pupil

    # What would give Riverside's records away on an outsider's page: a child's name, a case reference. (Its name
    # may appear: Oakfield is told that a child protection file from Riverside is waiting for it.)
    pupil = Pupil.objects.filter(school=riverside).order_by("id").first()
    markers = [f"{pupil.legal_first_name} {pupil.legal_last_name}"] + [
        c.reference for c in Case.objects.filter(school=riverside)]
    count = {"GET": 0, "POST": 0, "refusals compared": 0, "told pages": 0, "deactivated": 0}
    unauthorised = mismatches = leaks = told_leaks = 0
    reads, headers, plain = ReadAudit(), HeaderSweep(), PlainWords()
    problems, observed = [], {"GET": {}, "POST": {}}
    object_urls = 0
    for r, (key, name, pattern, overrides) in enumerate(rows):
        got_row, posted_row = [], []
        url = url_for(name, pattern, ids, children, overrides)
        has_object = bool(pattern.pattern.converters) and name != "accounts:welcome"
        object_urls += has_object and not overrides
        missing = missing_url(name, pattern) if has_object else None
        told = _told_markers(key, overrides)
        # sampled (the PostgreSQL run): each URL for a third of the people, turning, so each person meets a third
        for i, role in sweep(enumerate(ROLES), keep=lambda index, _: (index + r) % 3 == 0):
            expected, expected_post = POLICY[key][i], POST_POLICY[key][i]
            # GET
            W.sign_in(client, people[role])
            before = _last_seq()
            got = client.get(url)
            count["GET"] += 1
            got_row.append(got.status_code)
            reads.check(name, pattern, role, got, before)
            headers.check(key, role, "GET", got)
            plain.check(key, role, got)
            if got.status_code != expected:
                mismatches += 1
                problems.append((key, role, "GET", got.status_code, expected))
            if expected == 404 and 200 <= got.status_code < 300:
                unauthorised += 1
            if role in OUTSIDERS and got.status_code == 200:
                body = got.content.decode(errors="replace")
                found = [m for m in markers if m in body]
                if found:
                    leaks += 1
                    problems.append((key, role, "leak", found[:2]))
            if role in TOLD_ONLY.get(key, ()) and got.status_code == 200:
                count["told pages"] += 1
                body = got.content.decode(errors="replace")
                shown = [m for m in told if m in body]
                if shown:
                    told_leaks += 1
                    problems.append((key, role, "told, yet shown", shown))
            if has_object and expected == got.status_code == 404 and role != "anonymous":
                count["refusals compared"] += 1
                gone = client.get(missing)
                if gone.status_code != 404 or normalise(gone.content) != normalise(got.content):
                    problems.append((key, role, "GET 404 differs from a missing record", gone.status_code,
                                     _differs(got, gone)))
                    mismatches += 1
            # POST with an empty form, as the declared table says; a refusal is the POST of a missing record.
            W.sign_in(client, people[role])
            posted = client.post(url, {})
            count["POST"] += 1
            posted_row.append(posted.status_code)
            headers.check(key, role, "POST", posted)
            if posted.status_code != expected_post:
                mismatches += 1
                problems.append((key, role, "POST", posted.status_code, expected_post))
                if expected_post == 404 and role != "anonymous":
                    unauthorised += 1  # refused by the policy, yet it went through
            if role == "anonymous" and key.split(" ")[0] not in PUBLIC and (
                    posted.status_code != 302 or "/account/sign-in/" not in posted["Location"]):
                unauthorised += 1
                problems.append((key, role, "POST", "anonymous not sent to sign in", posted.status_code))
            if has_object and expected_post == posted.status_code == 404 and role != "anonymous":
                count["refusals compared"] += 1
                gone = client.post(missing, {})
                if gone.status_code != 404 or normalise(gone.content) != normalise(posted.content):
                    problems.append((key, role, "POST 404 differs from a missing record", gone.status_code,
                                     _differs(posted, gone)))
                    mismatches += 1
        observed["GET"][key], observed["POST"][key] = tuple(got_row), tuple(posted_row)
    # A DSL deactivated while signed in is stopped at once, everywhere, by GET and by POST.
    W.sign_in(client, people["deactivated_dsl"])
    people["_deactivate"]()
    for key, name, pattern, overrides in sweep(rows, keep=lambda index, _: index % 3 == 0):
        if name in PUBLIC:
            continue
        url = url_for(name, pattern, ids, children, overrides)
        for method in (client.get, client.post):
            got = method(url)
            count["deactivated"] += 1
            if got.status_code != 302 or "/account/sign-in/" not in got["Location"]:
                unauthorised += 1
                problems.append((key, "deactivated_dsl", method.__name__, got.status_code))
    unwalked = sorted(k for k, v in ids.items() if v == 987654 and not (
        k in children and children[k][0].objects.filter(case__school=riverside).exists()))
    tuples = sum(count.values()) - count["told pages"]
    missing_policy = len([n for n, _ in _pages() if n not in POLICY or n not in POST_POLICY])
    report("access matrix", f"{tuples} tuples checked ({count['GET']} GET, {count['POST']} POST, "
           f"{count['deactivated']} by a DSL deactivated mid-session, {count['refusals compared']} refusals compared "
           f"byte for byte with a missing record) over {len(_pages())} URLs ({object_urls} with a record) and "
           f"{len(rows) - len(_pages())} more rows for {len(variants)} variant records, by {len(ROLES) + 1} kinds "
           f"of person; unauthorised 2xx or 3xx: {unauthorised}; differences from the policy: {mismatches}; "
           f"Riverside details on outsiders' pages: {leaks}; pages of those only told of a concern showing what was "
           f"said, a child's name or a form to act on it: {told_leaks} of {count['told pages']}; URLs missing from "
           f"the policy: {missing_policy}; record kinds with no example to walk: {', '.join(unwalked) or 'none'}"
           f"{sweep_note()}")
    report("audit of reads", reads.figure())
    report("headers", headers.figure())
    report("plain words, pages", plain.figure())
    if os.environ.get("MATRIX_DUMP"):
        with open(os.environ["MATRIX_DUMP"], "w") as dump:
            dump.write("\n".join(map(str, problems)))
            for method, table in observed.items():
                dump.write(f"\n\n# observed {method}\n")
                dump.write("".join(f"    {k!r}: {v},\n" for k, v in table.items()))
    assert problems == [] and unauthorised == 0 and leaks == told_leaks == 0, problems[:40]
    assert reads.problems == [], reads.problems[:40]
    assert headers.problems == [], headers.problems[:40]
    assert plain.pages > (100 if os.environ.get("HARBOUR_RUN_SHARE") else 300)  # a share: a third or two thirds
    assert plain.found == [], plain.found[:40]


def _told_markers(key, overrides):
    """What a page shown to someone only told of this variant's concern must not contain: what was said, the
    children's names, and the forms that act on it (A1, A5)."""
    from django.urls import reverse

    from concerns.models import Concern

    if key not in TOLD_ONLY:
        return []
    concern = Concern.objects.get(id=overrides["concern_id"])
    names = [f"{c.pupil.legal_first_name} {c.pupil.legal_last_name}" for c in concern.children.select_related("pupil")]
    names += [c.pupil.display_name for c in concern.children.select_related("pupil")]
    return [concern.account, *names, reverse("concerns:acknowledge", args=[concern.id]),
            reverse("concerns:open_case", args=[concern.id]), reverse("concerns:add_to_case", args=[concern.id])]


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
    "integrations:monitoring_users": "monitoring_user_list", "integrations:match_monitoring_user": "monitoring_user",
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


class PlainWords:
    """Issue 20.4: no page anyone may open shows a rule number outside "Why is this asked?" (each page the matrix is
    allowed to see, as it was served to that person)."""

    def __init__(self):
        self.pages = 0
        self.found = []

    def check(self, key, role, response):
        from tests.plain_words import rule_numbers_in

        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            self.pages += 1
            self.found += [(role, key, words) for words in rule_numbers_in(response.content.decode())]

    def figure(self):
        return f"{self.pages} pages rendered for {len(ROLES)} kinds of person: rule numbers found {len(self.found)}"

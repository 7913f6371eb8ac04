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
            got = client.get(url)
            tuples += 1
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
    import os
    if os.environ.get("MATRIX_DUMP"):
        open(os.environ["MATRIX_DUMP"], "w").write("\n".join(map(str, problems)))
    assert problems == [] and unauthorised == 0 and leaks == 0, problems[:40]

"""Issue 8.3: bad input never breaks Harbour. Every form a person can reach is found by walking the pages of the
access matrix as the people allowed to see them; then hypothesis fills each form's fields with hostile values
(Unicode, control characters, NUL, very long text, script payloads, spreadsheet formulas, impossible dates and
numbers, and each field's own valid options) and posts it. Figure: forms and posts; server errors must be 0."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.figures import report, sweep, sweep_note
from tests.security import world as W
from tests.security.matrix import all_url_names, entries, objects_of, url_for
from tests.security.policy import POLICY, ROLES

pytestmark = pytest.mark.django_db
EXAMPLES = 8
# Who looks for forms, in order; a form is fuzzed as the first person seen to be given it.
SEEKERS = ["dsl", "headteacher", "trust_safeguarding_lead", "trust_administrator", "staff", "chair_of_governors",
           "online_safety_coordinator", "technical", "senco", "governor", "deputy_dsl"]
HOSTILE = [
    "<script>document.title='pwned'</script>", '"><svg onload=alert(1)>', "javascript:alert(1)",
    '=HYPERLINK("https://evil.example","open")', "+44 1234", "-2+3", "@SUM(A1:A9)", "\t=1+1",
    "\x00", "a\x00b", "\x1b[31m", "\u202eevil", "\ud7ff", "𝕳𝖆𝖗𝖇𝖔𝖚𝖗 👩🏽‍🏫", "' OR 1=1 --", "../../etc/passwd",
    "2026-02-30", "0001-01-01", "9999-12-31T23:59", "-1", "0", "99999999999999999999999", "1e309", "NaN",
    "yes", "no", "on", "", " ", "x" * 100_000,
]


class Forms(HTMLParser):
    """The forms on a page: action, method, and each field's name with the values it offers."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                            "fields": {}, "htmx": a.get("data-hx-post") or a.get("hx-post")}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            if a.get("type") == "file":
                return
            options = self.current["fields"].setdefault(a["name"], [])
            if a.get("value") is not None:
                options.append(a["value"])
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self.current is not None and getattr(self, "_select", None):
            self.current["fields"][self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def find_forms(client, people, ids, children, variants=None):
    """{action path: (url name, role, fields)} for every form on every page someone is allowed to see, for this
    school's records and the matrix's variants (the release of a quarantined device…)."""
    found = {}
    pages = [(n, p) for n, p in all_url_names() if not n.startswith("api:") and n != "accounts:logout"]
    for key, name, pattern, overrides in entries(pages, variants or {}):
        expected = dict(zip(ROLES, POLICY[key], strict=True))
        url = url_for(name, pattern, ids, children, overrides)
        for role in [r for r in SEEKERS if expected.get(r) == 200][:2]:
            W.sign_in(client, people[role])
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            parser = Forms()
            parser.feed(response.content.decode(errors="replace"))
            for form in parser.forms:
                action = form["htmx"] or form["action"] or url
                action = action.split("#")[0]
                try:
                    target = resolve(action.split("?")[0]).view_name
                except Resolver404:
                    continue
                if target in ("accounts:logout", "schools:switch"):
                    continue  # ends the session / changes school: not input handling
                key = (action, form["method"])
                if key not in found:
                    found[key] = (target, role, form["fields"])
    return found


def test_hostile_input_never_causes_a_server_error(matrix_world):
    people, riverside = matrix_world
    ids, children = objects_of(riverside)
    client = Client(raise_request_exception=False)
    forms = find_forms(client, people, ids, children, W.variants_of(riverside))
    failures, posts = [], [0]

    def fuzz(action, method, role, fields):
        W.sign_in(client, people[role])
        names = sorted(fields)
        strategies = {n: st.one_of(st.sampled_from(fields[n] or [""]), st.sampled_from(HOSTILE),
                                   st.text(max_size=300)) for n in names}

        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.fixed_dictionaries(strategies))
        def one(data):
            posts[0] += 1
            if method == "post":
                response = client.post(action, data)
            else:
                response = client.get(action, data)
            assert response.status_code < 500, (action, role, {k: v[:80] for k, v in data.items()})

        try:
            one()
        except AssertionError as exc:
            failures.append(str(exc)[:600])
        except Exception as exc:  # noqa: BLE001 - a crash inside the request is the finding itself
            failures.append(f"{action} {role}: {type(exc).__name__}: {str(exc)[:400]}")

    for (action, method), (target, role, fields) in sweep(sorted(forms.items()), keep=lambda index, _: index % 2 == 0):
        fuzz(action, method, role, fields)
    targets = {t for t, _, _ in forms.values()}
    posted_names = {n for n, p in all_url_names() if not n.startswith("api:")}
    report("bad input", f"{len(forms)} forms on {len(targets)} URLs (of {len(posted_names)}) fuzzed with "
           f"{posts[0]} hostile submissions; server errors: {len(failures)}{sweep_note()}")
    assert failures == [], "\n".join(failures)

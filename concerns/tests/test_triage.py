"""Triage lives with the concern (A1, issue 19.1): acknowledging it, opening a case from it and adding it to an
open case are the concern page's own buttons and views. Following a concern from the report to the case crosses
from concerns to cases once, when the case exists; a refusal comes back to the concern's page. Cases tells the
concern what became of it through concerns.actions: closing the case closes its concerns, reopening it reopens
them (A7)."""

import ast
from pathlib import Path

import pytest
from django.urls import get_resolver, resolve, reverse

from audit.models import AuditEvent
from cases.models import Case
from cases.tests.helpers import make_case
from cases.tests.test_open_case import report
from concerns import actions
from concerns.models import Concern, IncidentType
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def test_r_a1_from_the_report_to_the_case_every_step_is_the_concerns_until_the_case_opens(client, world):
    concern = report(client, world, world.tom)
    assert resolve(reverse("concerns:submitted", args=[concern.id])).func.__module__ == "concerns.views"
    sign_in(client, world.diana)
    steps = [reverse("concerns:inbox"), reverse("concerns:detail", args=[concern.id])]
    for url in steps:
        assert client.get(url).status_code == 200 and resolve(url).func.__module__ == "concerns.views"
    page = client.get(steps[-1]).content.decode()
    opening = reverse("concerns:open_case", args=[concern.id])
    assert opening in page and resolve(opening).func.__module__ == "concerns.views"
    response = client.post(opening)
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.id])
    assert resolve(response["Location"]).func.__module__.startswith("cases.views")


def test_no_page_of_cases_takes_a_concern():
    """Cases' URLs are about cases: the concern's triage is not hidden among them."""
    cases_urls = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "cases"]
    assert cases_urls and not any("concern_id" in str(p.pattern) for ns in cases_urls for p in ns.url_patterns)


def test_r_a1_a_refused_opening_comes_back_to_the_concern_saying_why(client, world):
    concern = report(client, world, world.tom, incident_type=IncidentType.OTHER)
    sign_in(client, world.diana)
    response = client.post(reverse("concerns:open_case", args=[concern.id]))
    assert response.status_code == 200  # the concern's page itself, with the reason beside the list
    assert "Choose which procedure fits this concern." in response.content.decode()
    assert not Case.objects.exists()


def test_r_a1_adding_to_a_case_needs_a_case_chosen(client, world):
    concern = report(client, world, world.tom)
    sign_in(client, world.diana)
    response = client.post(reverse("concerns:add_to_case", args=[concern.id]), {"case": ""})
    assert response.status_code == 200  # the concern's page itself, saying so
    assert "Choose the case this concern belongs to." in response.content.decode()


def test_r_a7_closing_and_reopening_the_case_are_told_to_its_concerns_and_audited(world):
    """cases/tests/test_case_rules.py closes and reopens a real case; here, what concerns does when told."""
    case = make_case(world)
    concern = case.concerns.get()
    actions.mark_closed(user=world.diana, case=case)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    actions.mark_reopened(user=world.diana, case=case)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ACKNOWLEDGED
    updates = AuditEvent.objects.filter(object_type="concern", object_id=str(concern.id), changed_fields=["status"])
    assert [e.detail for e in updates.order_by("seq")] == [{"case": case.id}, {"case": case.id}]


def test_no_app_but_concerns_writes_a_concerns_status_or_case():
    """Cases (and every other app) tell concerns through concerns.actions, never by setting its fields."""
    root = Path(__file__).resolve().parents[2]
    writes = []
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in ("concerns", ".venv", "tests", "bench") or "tests" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            for target in getattr(node, "targets", [getattr(node, "target", None)]):
                if (isinstance(target, ast.Attribute) and target.attr in ("status", "case")
                        and isinstance(target.value, ast.Name) and target.value.id == "concern"):
                    writes.append(f"{relative}:{node.lineno}")
    assert writes == []

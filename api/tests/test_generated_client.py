"""A client generated from the API's own OpenAPI schema (openapi-python-client, pinned in requirements-test.in) drives
a live server through report → status → alert → evaluate, so the contract cannot drift from the code (issue 26).

The client is generated once per module, offline, from the schema the API serves; the calls go over HTTP to
pytest-django's live server, on the database of the run (it uses the database, so both runs of `make test` take
it: tests/runs.py).
"""

import importlib
import json
import subprocess  # nosec B404 - runs the pinned generator on a file this test wrote
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from api.endpoints import api
from api.scopes import Scope
from cases.actions import open_case
from concerns.models import Concern

PACKAGE = "harbour_generated_client"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    """Generate the client from the schema into a temporary folder, once, and import it."""
    where = tmp_path_factory.mktemp("generated")
    (where / "openapi.json").write_text(json.dumps(api.get_openapi_schema()))
    # No post hooks: the generator would otherwise run ruff over its output, which proves nothing here.
    (where / "config.yml").write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n")
    generator = Path(sys.executable).parent / "openapi-python-client"
    done = subprocess.run(  # nosec B603 - a fixed command line, no shell
        [str(generator), "generate", "--path", str(where / "openapi.json"), "--config", str(where / "config.yml"),
         "--meta", "none", "--output-path", str(where / PACKAGE)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr  # every schema was understood
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_r_a1_a5_a_generated_client_reports_reads_sends_an_alert_and_evaluates(client_package, live_server, world,
                                                                             make_token):
    operations = {name.rsplit(".", 1)[1]: importlib.import_module(f"{PACKAGE}.api.{name}") for name in (
        "concerns.report_concern", "concerns.get_concern_status", "cases.get_case_status", "pupils.get_pupil_by_upn",
        "alerts.send_alert", "procedures.evaluate_procedure")}
    report_concern, get_concern_status, get_case_status, get_pupil_by_upn, send_alert, evaluate_procedure = (
        operations.values())
    models = importlib.import_module(f"{PACKAGE}.models")
    _, secret = make_token()
    client = client_package.AuthenticatedClient(base_url=live_server.url, token=secret, raise_on_unexpected_status=True)
    an_hour_ago = timezone.now() - timedelta(hours=1)

    # Report a concern (A1): the enums and the answer are the generated types.
    created = report_concern.sync_detailed(client=client, body=models.ConcernIn(
        incident_type=models.IncidentType.SEXTORTION, account="He said someone online wants money or they post his "
        "photo.", children=[models.ChildIn(upn=world.pupil.upn.lower(), role=models.ChildRole.PICTURED)],
        dsl_told_in_person=False, occurred_at=an_hour_ago))
    assert created.status_code == 201 and isinstance(created.parsed, models.ConcernCreated)
    assert created.parsed.status is models.ConcernState.RECEIVED and created.parsed.created is True

    # Its status: typed, with the acknowledgement deadline, and no case yet.
    status = get_concern_status.sync(client=client, concern_id=created.parsed.id)
    assert isinstance(status, models.ConcernStatus) and status.incident_type is models.IncidentType.SEXTORTION
    assert status.status is models.ConcernState.RECEIVED and status.case is None
    assert status.acknowledge_by > status.created_at

    # Once the DSL opens a case, its status too: phases, and no outcome yet.
    case = open_case(user=world.diana, concern=Concern.objects.get(id=created.parsed.id))
    case_status = get_case_status.sync(client=client, case_id=case.id)
    assert isinstance(case_status, models.CaseStatus) and case_status.status is models.CaseState.OPEN
    assert case_status.outcome is None and case_status.tasks_outstanding > 0
    assert isinstance(case_status.phase_deadlines, models.PhaseDeadlines)

    # The pupil, by a lower-case UPN: the year group as a number and in words.
    pupil = get_pupil_by_upn.sync(client=client, upn=world.pupil.upn.lower())
    assert (pupil.upn, pupil.year_group, pupil.year_group_name) == (world.pupil.upn, 5, models.YearGroupName.YEAR_5)

    # An alert without who or what (A5) is refused with the typed error, naming the field.
    alert = dict(source="Smoothwall", alert_id="SW-1", occurred_at=an_hour_ago, category="Self-harm",
                 severity="high")
    refused = send_alert.sync_detailed(client=client, body=models.AlertIn(**alert, url="https://example.com/"))
    assert refused.status_code == 422 and isinstance(refused.parsed, models.Error)
    assert [(e.field, isinstance(e, models.ErrorItem)) for e in refused.parsed.errors] == [("user", True)]
    sent = send_alert.sync_detailed(client=client, body=models.AlertIn(**alert, device="LAPTOP-042",
                                                                       matched_text="words"))
    again = send_alert.sync_detailed(client=client, body=models.AlertIn(**alert, device="LAPTOP-042",
                                                                        matched_text="words"))
    assert (sent.status_code, again.status_code) == (201, 200) and again.parsed.id == sent.parsed.id
    assert again.parsed.created is False

    # Evaluate the procedure (B14, B15): typed tasks, guidance, reasons and referrals.
    evaluation = evaluate_procedure.sync(client=client, procedure_id=models.ProcedureName.SEXTORTION,
                                         body=models.Facts.from_dict({"B2.1": False}))
    assert isinstance(evaluation, models.Evaluation) and evaluation.referral_required is True
    assert evaluation.blocked_outcomes == [models.CaseOutcome.MANAGED_IN_SCHOOL]
    assert all(isinstance(r.code, models.BlockedCode) for r in evaluation.blocked_reasons.managed_in_school)
    assert [(r.agency, r.satisfied) for r in evaluation.required_referrals] == [("police", False)]
    assert evaluation.tasks and all(isinstance(t, models.Task) and isinstance(t.phase, models.TaskPhase)
                                    for t in evaluation.tasks)
    assert all(isinstance(g, models.Guidance) and g.text for g in evaluation.guidance)

    # A token without the scope gets the typed 403.
    _, reader = make_token(Scope.PUPILS_READ, name="Pupils only")
    narrow = client_package.AuthenticatedClient(base_url=live_server.url, token=reader)
    forbidden = evaluate_procedure.sync_detailed(client=narrow, procedure_id=models.ProcedureName.SEXTORTION,
                                                 body=models.Facts())
    assert forbidden.status_code == 403 and "procedures:evaluate" in forbidden.parsed.detail

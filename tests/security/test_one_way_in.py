"""Issue 19.3: Harbour takes input one way. A page reads what was posted only through a form (which cleans and
converts it, refuses a value too long for its column and a picture written as text beside its box); an action
refuses with `lib.errors.ActionError`; nothing checks input in a pre_save signal but the last guard for A3."""

import ast
import weakref
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models.signals import pre_save

ROOT = Path(settings.BASE_DIR).resolve()
# Where reading request.POST itself is the job: the forms, and the two middlewares that look at every posted
# value before any form does (NUL characters removed; a body too large for the form it was sent to).
READ_HERE = {"lib/forms.py", "harbour/input.py", "harbour/limits.py", "lib/limits.py"}
READS = {"get", "getlist", "dict", "items", "lists", "keys", "values", "copy", "pop", "setlist", "urlencode"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or "tests" in parts or "migrations" in parts or parts[0] == "bench":
            continue
        if path.name == "forms.py" or relative in READ_HERE:
            continue
        yield relative, path


def _is_request_post(node):
    """`request.POST` or `self.request.POST`."""
    if not (isinstance(node, ast.Attribute) and node.attr == "POST"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "request") or (
        isinstance(owner, ast.Attribute) and owner.attr == "request")


def test_no_view_reads_what_was_posted_outside_a_form():
    """request.POST may be handed to a form (or a helper in a forms module), or asked whether a button was
    pressed; reading a value from it by hand (.get, .getlist, [...], .dict() ...) is what forms are for."""
    found = []
    for relative, path in _modules():
        tree = ast.parse(path.read_text(), filename=relative)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in READS and _is_request_post(node.value):
                found.append(f"{relative}:{node.lineno} request.POST.{node.attr}")
            elif isinstance(node, ast.Subscript) and _is_request_post(node.value):
                found.append(f"{relative}:{node.lineno} request.POST[...]")
    assert found == [], "Read these through a form:\n" + "\n".join(found)


def test_the_check_finds_a_hand_read_value(tmp_path):
    """The walk above is not vacuous: the shapes it looks for are found in a view that reads by hand."""
    tree = ast.parse("def view(request):\n    a = request.POST.get('a')\n    b = self.request.POST['b']\n"
                     "    c = request.POST.getlist('c')\n    form = Form(request.POST)\n    'x' in request.POST\n")
    hits = [n for n in ast.walk(tree) if (isinstance(n, ast.Attribute) and n.attr in READS
                                         and _is_request_post(n.value))
            or (isinstance(n, ast.Subscript) and _is_request_post(n.value))]
    assert len(hits) == 3


def _our_apps():
    return {config.label for config in apps.get_app_configs() if Path(config.path).resolve().parent == ROOT}


def test_r_a3_the_only_pre_save_receiver_of_harbours_own_is_the_last_guard_for_pictures():
    """The length check (check_lengths, with its error that inherited four apps' errors) is gone: a form refuses
    a value too long for its column beside its box. What is left is the A3 guard (harbour/imagery.py)."""
    from harbour.imagery import refuse_imagery

    ours = _our_apps()
    receivers = []
    for _key, receiver, *_rest in pre_save.receivers:
        function = receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
        if function is not None and function.__module__.split(".")[0] in ours:
            receivers.append(function)
    assert receivers == [refuse_imagery]


def test_r_a3_the_last_guard_judges_every_harbour_app_that_keeps_records_but_the_audit_trail():
    """A new app, or one that moves (transfers, from api), is judged without being listed anywhere. The audit
    trail is not: it records refusals, and must never be refused itself."""
    from harbour.imagery import _judged

    with_models = {m._meta.app_label for m in apps.get_models()} & _our_apps()
    assert {label for label in with_models if _judged(label)} == with_models - {"audit"}
    assert not _judged("auth") and not _judged("sessions")


def test_r_a3_the_guards_refusal_is_an_action_error_every_view_shows_beside_its_box():
    from lib.errors import ActionError
    from lib.imagery import ImageryRefused

    assert issubclass(ImageryRefused, ActionError)


def test_every_apps_refusal_is_an_action_error():
    from advice.versions import AdviceError
    from api.actions import TokenError
    from transfers.actions import TransferError
    from cases.actions import CaseError
    from lib.errors import ActionError
    from procedures.versions import ProcedureError
    from records.actions import RecordsError, SignatureError
    from registers.actions import RegisterError

    for error in (AdviceError, CaseError, ProcedureError, RecordsError, RegisterError, SignatureError, TokenError,
                  TransferError):
        assert issubclass(error, ActionError), error


API_COLUMNS = [  # (schema, field, model, column): input that comes by the API, not a form
    ("ConcernIn", "location", "concerns.Concern", "location"),
    ("ConcernIn", "disclosed_to", "concerns.Concern", "disclosed_to"),
    ("ConcernIn", "device_location", "concerns.Concern", "device_location"),
    ("ConcernIn", "breach_url", "concerns.Concern", "breach_url"),
    ("ConcernIn", "breach_device_or_user", "concerns.Concern", "breach_device_or_user"),
    ("AlertIn", "source", "api.MonitoringAlert", "source"),
    ("AlertIn", "alert_id", "api.MonitoringAlert", "alert_id"),
]


MINIMAL = {
    "ConcernIn": {"incident_type": "other", "account": "Seen in the corridor.", "dsl_told_in_person": False},
    "AlertIn": {"source": "Smoothwall", "alert_id": "42", "occurred_at": "2026-03-02T10:15:00Z",
                "category": "Self-harm", "severity": "high", "user": "jbloggs", "url": "https://example.com"},
}


@pytest.mark.parametrize("schema, name, model, column", API_COLUMNS)
def test_what_the_api_takes_fits_its_column_as_a_forms_box_would(schema, name, model, column):
    """With no form in front of it, the API's schema is what refuses a value too long for its column (SQLite
    would keep it; PostgreSQL would fail the request)."""
    import pydantic

    from api import schemas

    limit = apps.get_model(model)._meta.get_field(column).max_length
    model_in = getattr(schemas, schema)
    assert getattr(model_in.model_validate({**MINIMAL[schema], name: "x" * limit}), name) == "x" * limit
    with pytest.raises(pydantic.ValidationError) as refused:
        model_in.model_validate({**MINIMAL[schema], name: "x" * (limit + 1)})
    assert [e["loc"] for e in refused.value.errors()] == [(name,)]

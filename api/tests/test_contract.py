"""The API's OpenAPI schema is a contract a generated client can trust (issue 26): it validates; every closed set is
an enum; every error an operation can answer with is declared, with the typed error; each operation has a readable
name, the scope it needs and, for a body, an example that the schema itself accepts; descriptions are plain words.

The checks walk the schema, so a field added later as a bare string, or an error left undeclared, fails here. Each
check is also run on a schema spoilt on purpose, to show that it would catch what it is for.
"""

import copy
import json
import re

import jsonschema
import pytest
from django.test import override_settings
from openapi_spec_validator import validate

from api.endpoints import api
from api.schemas import UPN_PATTERN
from api.scopes import Scope

# The strings that are free text or open ids by nature, each with why. Any other string needs an enum, a format or
# a pattern: a closed set left as a bare string fails `test_every_closed_set_is_an_enum`.
OPEN_TEXT = {
    ("*", "reference"): "a concern's or case's reference, such as K000123",
    ("ConcernIn", "account"): "what the child said, in their words",
    ("ConcernIn", "subject_staff_email"): "an email address, checked against the school's staff",
    ("ConcernIn", "location"): "free text", ("ConcernIn", "disclosed_to"): "free text",
    ("ConcernIn", "actions_taken"): "free text", ("ConcernIn", "device_location"): "free text",
    ("ConcernIn", "breach_url"): "an address as the reporter wrote it",
    ("ConcernIn", "breach_device_or_user"): "free text", ("ConcernIn", "breach_seen"): "free text",
    ("AlertIn", "source"): "the monitoring service's name", ("AlertIn", "alert_id"): "the service's own id",
    ("AlertIn", "category"): "each service has its own categories",
    ("AlertIn", "severity"): "each service has its own scale",
    ("AlertIn", "user"): "as the service names them", ("AlertIn", "device"): "as the service names it",
    ("AlertIn", "url"): "as the service reports it", ("AlertIn", "matched_text"): "the text the service matched",
    ("PoliceNoticeIn", "police_reference"): "as written on the notice",
    ("Facts", "implied_changes"): "a reason, in words",
    ("CaseStatus", "procedure"): "the procedure's name and version",
    ("Evaluation", "procedure"): "the procedure's name and version",
    ("Evaluation", "criteria_met"): "question ids of the procedure (data, overridable per school)",
    ("Evaluation", "criteria_unknown"): "question ids of the procedure",
    ("Evaluation", "escalation_factors"): "question ids of the procedure",
    ("PupilOut", "legal_first_name"): "a name", ("PupilOut", "legal_last_name"): "a name",
    ("PupilOut", "preferred_first_name"): "a name", ("PupilOut", "preferred_last_name"): "a name",
    ("Error", "detail"): "a sentence", ("ErrorItem", "field"): "a path into the body", ("ErrorItem", "message"): "a "
    "sentence",
    ("Blocked", "text"): "a sentence", ("Blocked", "items"): "question ids, agencies or roles",
    ("ImpliedAnswer", "question"): "a question id of the procedure", ("ImpliedAnswer", "text"): "a sentence",
    ("ImpliedAnswer", "reason"): "a sentence", ("ImpliedAnswer", "change_reason"): "a sentence",
    ("*", "rules"): "the procedure's own references",
    ("RequiredReferral", "to"): "in words", ("RequiredReferral", "reason"): "a sentence",
    ("RequiredReferral", "condition"): "questions in words", ("RequiredReferral", "tasks"): "task ids of the procedure",
    ("Task", "id"): "a task id of the procedure", ("Task", "title"): "in words", ("Guidance", "text"): "in words",
}
# Every error the API answers with, and when an operation can meet it.
ALWAYS = {401, 403, 422}  # no valid token; the token lacks the scope; what was sent is not valid
WITH_A_BODY = {400, 413, 415}  # not JSON; too large; not sent as JSON
WITH_AN_ID_IN_THE_PATH = {404}  # nothing with that id at the token's school
WITH_AN_IDEMPOTENCY_KEY = {409}  # the key was used for another concern
RULE_NUMBER = re.compile(r"\b(?:[A-J][0-9]{1,2}(?:\.[0-9]+)?|R-[A-Z0-9.]+|rule [A-Z]?[0-9]+)\b")


@pytest.fixture(scope="module")
def document():
    """The schema as a client reads it (JSON: the responses' status codes are strings)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _strings(document, schema):
    """The string schemas a value of `schema` can be, past nullability, arrays and dict values."""
    schema = _resolve(document, schema)
    if "enum" in schema:
        return []
    for combined in ("anyOf", "oneOf"):
        if combined in schema and "properties" not in schema:
            return [s for branch in schema[combined] for s in _strings(document, branch)]
    if schema.get("type") == "array":
        return _strings(document, schema["items"])
    if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        return _strings(document, schema["additionalProperties"])
    return [schema] if schema.get("type") == "string" else []


def bare_strings(document):
    """(schema, property) of each string that is neither an enum, nor formatted, nor patterned, nor known to be open
    text: a closed set left as a bare string shows up here."""
    found = []
    for name, schema in document["components"]["schemas"].items():
        for prop, value in schema.get("properties", {}).items():
            for string in _strings(document, value):
                if "format" in string or "pattern" in string:
                    continue
                if (name, prop) not in OPEN_TEXT and ("*", prop) not in OPEN_TEXT:
                    found.append((name, prop))
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for string in _strings(document, parameter["schema"]):
                    if "format" not in string and "pattern" not in string:
                        found.append((f"{method.upper()} {path}", parameter["name"]))
    return found


def undeclared_errors(document):
    """(operation, status) of each error the operation can meet that its responses do not declare with the Error
    schema, and the Error schema's own shape."""
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = set(ALWAYS)
            body = operation.get("requestBody")
            if body:
                expected |= WITH_A_BODY
                properties = _resolve(document, body["content"]["application/json"]["schema"]).get("properties", {})
                if "idempotency_key" in properties:
                    expected |= WITH_AN_IDEMPOTENCY_KEY
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                expected |= WITH_AN_ID_IN_THE_PATH
            for status in sorted(expected):
                response = operation["responses"].get(str(status))
                schema = (response or {}).get("content", {}).get("application/json", {}).get("schema")
                if schema != {"$ref": "#/components/schemas/Error"} or not response.get("description"):
                    found.append((operation["operationId"], status))
    error = document["components"]["schemas"]["Error"]
    if error["properties"]["errors"].get("items") != {"$ref": "#/components/schemas/ErrorItem"}:
        found.append(("Error", "errors items"))
    item = document["components"]["schemas"].get("ErrorItem", {})
    if set(item.get("required", [])) != {"field", "message"}:
        found.append(("ErrorItem", "field, message"))
    return found


def test_the_openapi_document_validates(document):
    validate(document)


def test_every_closed_set_is_an_enum(document):
    assert bare_strings(document) == []


def test_a_closed_set_left_as_a_bare_string_would_fail(document):
    spoilt = copy.deepcopy(document)
    spoilt["components"]["schemas"]["ConcernStatus"]["properties"]["status"] = {"type": "string"}
    spoilt["components"]["schemas"]["Task"]["properties"]["phase"] = {"type": "string"}
    assert bare_strings(spoilt) == [("ConcernStatus", "status"), ("Task", "phase")]


def test_the_enums_come_from_the_code(document):
    from cases.models import Case
    from concerns.models import Concern, IncidentType
    from procedures import engine, schema

    enums = {name: s["enum"] for name, s in document["components"]["schemas"].items() if "enum" in s}
    assert enums["ConcernState"] == Concern.Status.values and enums["CaseState"] == Case.Status.values
    assert enums["CaseOutcome"] == Case.Outcome.values and enums["IncidentType"] == IncidentType.values
    assert enums["BlockedCode"] == list(engine.BLOCKED_CODES)
    assert enums["Classification"] == list(engine.CLASSIFICATIONS) and enums["TaskPhase"] == list(schema.PHASES)
    assert enums["ProcedureName"] == sorted(schema.load_all())
    assert enums["YearGroupName"] == ["nursery", "reception", *(f"year_{n}" for n in range(1, 15))]


def test_every_error_an_operation_can_meet_is_declared_with_the_typed_error(document):
    assert undeclared_errors(document) == []


def test_an_undeclared_error_would_fail(document):
    spoilt = copy.deepcopy(document)
    del spoilt["paths"]["/api/v1/alerts"]["post"]["responses"]["415"]
    spoilt["paths"]["/api/v1/pupils/{upn}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"] = {
        "type": "object"}
    spoilt["components"]["schemas"]["Error"]["properties"]["errors"]["items"] = {"type": "object"}
    assert sorted(undeclared_errors(spoilt)) == [("Error", "errors items"), ("getPupilByUpn", 404), ("sendAlert", 415)]


def test_operations_have_readable_names_and_say_which_scope_they_need(document):
    names, scopes = [], []
    for operations in document["paths"].values():
        for operation in operations.values():
            names.append(operation["operationId"])
            [scope] = operation["x-scopes"]
            assert operation["security"] == [{"TokenAuth": [scope]}]
            assert f"Needs a token with the `{scope}` scope" in operation["description"]
            scopes.append(scope)
    assert sorted(names) == ["evaluateProcedure", "getCaseStatus", "getConcernStatus", "getPupilByUpn",
                             "reportConcern", "sendAlert", "sendPoliceNotice"]
    assert sorted(scopes) == sorted(Scope.values)  # each scope is used, by one operation
    assert not [n for n in document["components"]["schemas"] if "api" in n.lower() or "endpoint" in n.lower()]


def test_the_server_is_the_sites_own_address():
    with override_settings(SITE_URL="https://harbour.example.org"):
        assert api.get_openapi_schema()["servers"] == [{"url": "https://harbour.example.org",
                                                        "description": "This Harbour"}]


def test_each_request_body_has_an_example_that_the_schema_accepts(document):
    bodies = 0
    for operations in document["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                content = operation["requestBody"]["content"]["application/json"]
                schema = {**content["schema"], "components": document["components"]}
                jsonschema.Draft202012Validator(schema).validate(content["example"])
                bodies += 1
    assert bodies == 4


def test_the_alerts_either_or_rule_is_in_the_schema(document):
    """A5: the user or the device, and the web address or the matched text."""
    alert = document["components"]["schemas"]["AlertIn"]
    validator = jsonschema.Draft202012Validator({**alert, "components": document["components"]})
    base = {"source": "Smoothwall", "alert_id": "1", "occurred_at": "2026-03-02T10:15:00Z", "category": "c",
            "severity": "high"}
    assert validator.is_valid({**base, "device": "LAPTOP-1", "matched_text": "words"})
    assert not validator.is_valid({**base, "url": "https://example.com"})
    assert not validator.is_valid({**base, "user": "j.smith", "url": " ", "matched_text": ""})


def test_the_upn_pattern_is_the_dfe_format(document):
    """A letter, 11 digits, then a digit (or a letter for a temporary UPN); lower case is read as upper case."""
    upn = re.compile(UPN_PATTERN)
    for good in ("A999000000001", "a999000000001", "T12345678901A"):
        assert upn.match(good), good
    for bad in ("999000000001", "A99900000000", "A9990000000012", "AB99000000001", "A99900000000-"):
        assert not upn.match(bad), bad
    [parameter] = document["paths"]["/api/v1/pupils/{upn}"]["get"]["parameters"]
    assert parameter["schema"]["pattern"] == UPN_PATTERN and "a letter, 11 digits" in parameter["description"]
    assert document["components"]["schemas"]["PupilOut"]["properties"]["upn"]["pattern"] == r"^[A-Z][0-9]{11}[0-9A-Z]$"


def test_descriptions_are_plain_words_without_rule_numbers(document):
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary", "title") and isinstance(value, str) and RULE_NUMBER.search(value):
                    found.append((where, value))
                elif key not in ("example", "examples"):
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{where}/{n}")

    walk(document, "")
    assert found == []
    assert RULE_NUMBER.search("Screenshots are refused (A3)") and RULE_NUMBER.search("as rule B15 says")

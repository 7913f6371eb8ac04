"""Property-based testing of the whole API from its own OpenAPI schema (schemathesis): whatever is sent, in JSON
or in any other media type, the answer is never a server error, every answer is one the schema declares (status code,
body and content type)."""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from api.endpoints import api
from tests.figures import report

pytestmark = pytest.mark.django_db
EXAMPLES = 25  # per operation: six operations finish in well under a minute
# What the API does not take: a form (as a browser or `curl -F` sends), and JSON labelled as text.
NOT_JSON = ("multipart/form-data", "application/x-www-form-urlencoded", "text/plain")


@pytest.fixture
def keep_the_test_connection():
    """The WSGI app is called directly, so Django's request signals would close the database connection after
    each call, ending the test's transaction (PostgreSQL then answers "the connection is closed"). Django's own
    test client disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_input_makes_the_api_fail(world, make_token, keep_the_test_connection):
    token, secret = make_token()  # every scope, so each operation goes past the token check
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    seen = {}
    recently = (timezone.now() - timedelta(hours=3)).isoformat()

    def steer(case):
        """Half the examples get a real pupil and a recent time, so they reach past the first checks."""
        if isinstance(case.body, dict) and "occurred_at" in case.body:
            case.body["occurred_at"] = recently
        if isinstance(case.body, dict) and "received_at" in case.body:  # a police notice (J4)
            case.body["received_at"], case.body["children"] = recently, [world.pupil.upn]
        if "upn" in (case.path_parameters or {}):
            case.path_parameters["upn"] = world.pupil.upn
        return case

    for operation in operations:

        @given(case=st.one_of(operation.as_strategy(), operation.as_strategy().map(steer)))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(app=app, headers={"Authorization": f"Bearer {secret}"})
            seen.setdefault(operation.label, set()).add(response.status_code)
            case.validate_response(response, checks=[checks.not_a_server_error, checks.response_schema_conformance,
                                                     checks.status_code_conformance,
                                                     checks.content_type_conformance])

        run()
    # Each operation was reached, not stopped at the door.
    assert len(seen) == 7
    for label in ("POST /api/v1/concerns", "POST /api/v1/alerts", "POST /api/v1/police-notices",
                  "GET /api/v1/pupils/{upn}",
                  "POST /api/v1/procedures/{procedure_id}/evaluate"):
        assert seen[label] & {200, 201}, (label, seen[label])


def test_a_body_that_is_not_json_is_refused_as_such_never_with_a_server_error(world, make_token,
                                                                               keep_the_test_connection):
    """The same generated bodies, sent as a form or as text: each is refused with 415 and the API's JSON error
    (documented in the schema), never read as something else, never a server error or an HTML page."""
    _, secret = make_token()
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    operations = [r.ok() for r in schema.get_all_operations() if r.ok().method.upper() == "POST"]
    assert len(operations) == 4
    refused, calls = {}, [0]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES // 2, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            for media_type in NOT_JSON:
                case.media_type = media_type
                response = case.call(app=app, headers={"Authorization": f"Bearer {secret}"})
                calls[0] += 1
                refused.setdefault((operation.label, media_type), set()).add(response.status_code)
                assert response.headers["content-type"][0].startswith("application/json"), response.text[:200]
                assert set(response.json()) == {"detail", "errors"}, response.text[:200]
                case.validate_response(response, checks=[checks.not_a_server_error,
                                                         checks.response_schema_conformance])

        run()
    # Every body was refused for what it is (415); only an empty one is a missing body (422).
    assert len(refused) == len(operations) * len(NOT_JSON)
    for (label, media_type), statuses in refused.items():
        assert 415 in statuses and statuses <= {415, 422}, (label, media_type, statuses)
    report("API non-JSON bodies", f"{calls[0]} calls over {len(refused)} operation × media type pairs "
           f"({', '.join(NOT_JSON)}): answers {sorted(set().union(*refused.values()))}, each the API's JSON error; "
           f"server errors 0")

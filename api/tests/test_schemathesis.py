"""Property-based testing of the whole API from its own OpenAPI schema (schemathesis): whatever is sent,
the answer is never a server error, and documented answers match the schema."""

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

pytestmark = pytest.mark.django_db
EXAMPLES = 25  # per operation: six operations finish in well under a minute


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
    assert len(operations) == 6
    seen = {}
    recently = (timezone.now() - timedelta(hours=3)).isoformat()

    def steer(case):
        """Half the examples get a real pupil and a recent time, so they reach past the first checks."""
        if isinstance(case.body, dict) and "occurred_at" in case.body:
            case.body["occurred_at"] = recently
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
                                                     checks.content_type_conformance])

        run()
    # Each operation was reached, not stopped at the door.
    assert len(seen) == 6
    for label in ("POST /api/v1/concerns", "POST /api/v1/alerts", "GET /api/v1/pupils/{upn}",
                  "POST /api/v1/procedures/{procedure_id}/evaluate"):
        assert seen[label] & {200, 201}, (label, seen[label])

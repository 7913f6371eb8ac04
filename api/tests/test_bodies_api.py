"""The API answers JSON to everything it is sent: a form or text body is refused with 415, a body too large with
413, a call without a valid token with 401 and how to authenticate (RFC 6750), never a server error or an HTML
page. The API reads its own body: the middleware that cleans form input leaves it alone."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.test import Client, RequestFactory

from api.scopes import Scope
from api.tests.test_alerts_api import alert
from audit.models import AuditEvent
from concerns.models import Concern
from harbour.errors import bad_request

pytestmark = pytest.mark.django_db
PATHS = ["/alerts", "/concerns", "/procedures/cyberbullying/evaluate"]


def _post(client, path, secret, body, content_type):
    return client.post(f"/api/v1{path}", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {secret}")


def _refused(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["errors"] == []
    return body["detail"]


@pytest.mark.parametrize("path", PATHS)
def test_a_form_body_is_refused_with_415_and_json_not_a_server_error(world, make_token, path):
    _, secret = make_token()
    client = Client(raise_request_exception=False)
    # As `curl -F` or a browser form sends it (the tester's 500): multipart, then urlencoded.
    multipart = client.post(f"/api/v1{path}", {"source": "Smoothwall", "B2.1": "true"},
                            HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert "Send the body as JSON" in _refused(multipart, 415)
    urlencoded = _post(client, path, secret, "source=Smoothwall&alert_id=1", "application/x-www-form-urlencoded")
    assert "Content-Type: application/json" in _refused(urlencoded, 415)
    assert AuditEvent.objects.filter(action="denied", object_type="api_call", detail__reason="body",
                                     detail__status=415).count() == 2


def test_json_sent_as_text_is_refused_with_415(client, world, make_token):
    _, secret = make_token(Scope.ALERTS_CREATE)
    response = _post(client, "/alerts", secret, json.dumps(alert()), "text/plain")
    assert "(this was text/plain)" in _refused(response, 415)
    assert Concern.objects.count() == 0
    # The same JSON, labelled as JSON (with a charset), is taken.
    taken = _post(client, "/alerts", secret, json.dumps(alert()), "application/json; charset=utf-8")
    assert taken.status_code == 201 and Concern.objects.count() == 1


def test_a_body_over_the_limit_is_refused_with_413(client, world, make_token):
    _, secret = make_token(Scope.ALERTS_CREATE)
    over = settings.HARBOUR_MAX_TEXT_BYTES + 1
    response = _post(client, "/alerts", secret, json.dumps(alert(matched_text="x" * over)), "application/json")
    assert "Send at most 2.5 MB of JSON" in _refused(response, 413)
    # Beyond what Django reads at all (its hard cap), the same answer, not its "Bad Request" page.
    huge = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = _post(client, "/alerts", secret, json.dumps(alert(matched_text="x" * huge)), "application/json")
    assert "Send at most 2.5 MB of JSON" in _refused(response, 413)
    assert Concern.objects.count() == 0


def test_the_token_is_checked_before_the_body(client, world, make_token):
    """Whatever is sent, no token gets 401 and a token without the scope 403 (the body is not read)."""
    _, secret = make_token(Scope.PUPILS_READ)
    anonymous = client.post("/api/v1/alerts", {"source": "Smoothwall"})
    assert anonymous.status_code == 401 and anonymous.json()["detail"].startswith("Send a valid")
    assert _post(client, "/alerts", secret, "source=x", "application/x-www-form-urlencoded").status_code == 403


@pytest.mark.parametrize("header, expected", [
    ({}, 'Bearer realm="Harbour API"'),
    ({"HTTP_AUTHORIZATION": "Bearer hbr_not-a-real-token"}, 'Bearer realm="Harbour API", error="invalid_token"'),
])
def test_a_401_says_how_to_authenticate(client, world, header, expected):
    response = client.get(f"/api/v1/pupils/{world.pupil.upn}", **header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == expected


def test_the_input_cleaning_middleware_leaves_the_api_body_alone(client, world, make_token):
    """A NUL character in JSON is refused by the API's own schema (422), with the body read once, by the API."""
    _, secret = make_token(Scope.ALERTS_CREATE)
    response = _post(client, "/alerts", secret, json.dumps(alert(category="Self\x00harm")), "application/json")
    assert response.status_code == 422
    assert "NUL" in response.json()["errors"][0]["message"]


def test_a_request_django_itself_refuses_is_answered_in_json_too(client, world, make_token, settings):
    """Django's own refusals (here: too many query parameters) reach the API's address as JSON, not a page."""
    _, secret = make_token(Scope.PUPILS_READ)
    query = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = Client(raise_request_exception=False).get(f"/api/v1/pupils/{world.pupil.upn}?{query}",
                                                         HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200  # the API reads no query string: nothing to refuse
    # Were one to reach Django's error handler at an API address, it is answered in the API's JSON.
    refused = bad_request(RequestFactory().get("/api/v1/alerts"), TooManyFieldsSent("too many"))
    assert refused.status_code == 413 and refused["Content-Type"] == "application/json"
    assert json.loads(refused.content) == {"detail": "The request is too large.", "errors": []}

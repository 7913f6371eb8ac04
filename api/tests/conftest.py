import pytest

from api import actions
from api.scopes import Scope


@pytest.fixture
def make_token(world):
    """make_token(*scopes, school=oakfield) → (token, secret), made by Adam the trust administrator."""

    def make(*scopes, school=None, name="Test service"):
        return actions.create_token(user=world.adam, school=school or world.oakfield, name=name,
                                    scopes=[str(s) for s in (scopes or Scope.values)])

    return make


@pytest.fixture
def call(client):
    """call(method, path, secret, json=None) → response, with the token as a bearer header."""

    def do(method, path, secret=None, json=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
        kwargs = {"data": json, "content_type": "application/json"} if json is not None else {}
        return getattr(client, method)(f"/api/v1{path}", **kwargs, **headers, **extra)

    return do

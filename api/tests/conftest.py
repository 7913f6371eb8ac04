import pytest

from api import actions
from api.scopes import Scope
from tests.people import make_user


@pytest.fixture
def make_token(world):
    """make_token(*scopes, school=oakfield) → (token, secret), made by Adam the trust administrator."""

    admins = {world.trust.id: world.adam}

    def make(*scopes, school=None, name="Test service"):
        school = school or world.oakfield
        if school.trust_id not in admins:
            admins[school.trust_id] = make_user(f"admin@{school.slug}.example", "Other Admin", trust=school.trust,
                                                trust_role="trust_administrator")
        return actions.create_token(user=admins[school.trust_id], school=school, name=name,
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

"""Rule S1: a password-only session reaches nothing but enrolment and the code check."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.capabilities import CAPABILITIES, NEEDS_SECOND_FACTOR, Role, TrustRole
from audit.models import AuditEvent
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db

# The only views a password-only session may reach.
# Signing in with a school account is a way of signing in: open before it (accounts/tests/test_school_account_sign_in).
SCHOOL_ACCOUNT_SIGN_IN = {"accounts:school_account", "accounts:school_account_return"}
# P1: the pupils' pages are for pupils, who have no account (concerns/tests/test_tell_access.py).
PUPILS_PAGES = {"tell:start", "tell:check"}
OPEN_TO_PASSWORD_ONLY = {"accounts:login", "accounts:logout", "accounts:setup", "accounts:verify", "accounts:welcome",
                         "accounts:forgotten_password", "health", "health_web",
                         "accessibility"} | SCHOOL_ACCOUNT_SIGN_IN | PUPILS_PAGES


def token_url(name):
    """The API's operations (namespace "api", see api/urls.py) authenticate each call by its token, not the
    session. Its root, which only serves a 404, stays behind the gates like any page."""
    return name.startswith("api:") and name != "api:api-root"


def api_status(name):
    """Any session, verified or not, gets 401 from the API. Only its OpenAPI schema is public (it holds no data)."""
    return 200 if name == "api:openapi-json" else 401


def all_url_names(resolver=None, prefix=""):
    """Every named URL in the project, from the resolver itself, so a new URL cannot escape."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from all_url_names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, p


def url_for(name, pattern, world):
    kwargs = {key: world.pupil.id for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def test_r_s1_every_url_sends_an_unverified_dsl_to_the_code_check(client, world):
    sign_in(client, world.diana, verified=False)
    checked = 0
    for name, pattern in all_url_names():
        if name in OPEN_TO_PASSWORD_ONLY:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url_for(name, pattern, world))
            checked += 1
            if token_url(name):
                assert response.status_code in (api_status(name), 405), (name, method)
                continue
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("accounts:verify")), (name, method)
    assert checked >= 8


def test_r_s1_every_url_sends_an_unenrolled_dsl_to_enrolment(client, world):
    newcomer = make_user("nia@oakfield.example", "Nia New", school=world.oakfield, role="dsl", with_device=False)
    sign_in(client, newcomer, verified=False)
    for name, pattern in all_url_names():
        if name in OPEN_TO_PASSWORD_ONLY:
            continue
        response = client.get(url_for(name, pattern, world))
        if token_url(name):
            assert response.status_code in (api_status(name), 405), name
            continue
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:setup")), name


def test_r_s1_roles_that_read_case_records_require_a_second_factor():
    for role in [Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS, TrustRole.SAFEGUARDING_LEAD,
                 TrustRole.ADMINISTRATOR]:
        assert CAPABILITIES[role] & NEEDS_SECOND_FACTOR, role


def test_a_teacher_who_only_reports_may_work_without_enrolling(client, world):
    sign_in(client, world.tom, verified=False)
    assert client.get(reverse("home")).status_code == 200


def test_r_s1_enrolment_confirms_the_app_and_issues_recovery_codes(client, world):
    newcomer = make_user("nia@oakfield.example", "Nia New", school=world.oakfield, role="dsl", with_device=False)
    sign_in(client, newcomer, verified=False)
    page = client.get(reverse("accounts:setup"))
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)

    wrong = client.post(reverse("accounts:setup"), {"code": "000000" if TOTP(device.bin_key).token() else "111111"})
    assert wrong.status_code == 200 and b"That code did not work" in wrong.content

    # After a wrong code django-otp makes the next try wait a moment (throttling).
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        code = f"{TOTP(device.bin_key).token():06d}"
        response = client.post(reverse("accounts:setup"), {"code": code})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:recovery_codes"))
    codes_page = client.get(response["Location"]).content.decode()
    assert len(re.findall(r"<li>\d{4} \d{4}</li>", codes_page)) == 10
    # Shown once only.
    assert "<li>" not in client.get(reverse("accounts:recovery_codes")).content.decode().split("Recovery codes</h1>")[1]
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(actor=newcomer, object_type="second_factor", action="create").count() == 1


def test_r_s1_a_recovery_code_works_once(client, world):
    from accounts.mfa import replace_recovery_codes

    codes = replace_recovery_codes(user=world.diana)
    sign_in(client, world.diana, verified=False)
    assert client.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200

    client.logout()
    sign_in(client, world.diana, verified=False)
    again = client.post(reverse("accounts:verify"), {"code": codes[0]})
    assert again.status_code == 200 and b"That code did not work" in again.content


def test_every_url_but_sign_in_and_health_sends_anonymous_visitors_to_sign_in(client, world):
    """Deny by default (LoginRequiredMiddleware): the anonymous rung of every view's ladder."""
    # The link from an invitation email must open before sign-in; with a wrong token it shows nothing but advice.
    public = {"accounts:login", "health", "health_web", "accounts:welcome",  # the statement: anyone may read it;
              "accessibility", "accounts:forgotten_password"} | SCHOOL_ACCOUNT_SIGN_IN | PUPILS_PAGES
    for name, pattern in all_url_names():
        if name == "accounts:welcome":
            page = client.get(url_for(name, pattern, world))
            assert page.status_code == 200 and "This link no longer works" in page.content.decode()
        if name in public:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url_for(name, pattern, world))
            if token_url(name):
                assert response.status_code in (api_status(name), 405), (name, method)
                continue
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("accounts:login")), (name, method)

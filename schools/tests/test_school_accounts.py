"""The trust administrator connects the trust's Microsoft or Google accounts for signing in (issue 22.1): who may,
what is checked, and that the client secret is kept sealed and never shown or audited."""

import pytest
from django.urls import reverse

from accounts.models import SchoolAccountProvider
from audit.models import AuditEvent
from lib.sealed import unseal
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db
TENANT = "https://login.microsoftonline.com/0f0e0d0c-1234-4abc-9def-0123456789ab/v2.0"
FILLED = {"issuer": TENANT, "client_id": "11111111-2222-3333-4444-555555555555",
          "client_secret": "a-very-secret-value-from-entra", "domains": "Oakfield.example\r\n@brightwater.example",
          "accept_provider_mfa": "on", "enabled": "on"}


def connect(client, kind="microsoft", **changes):
    return client.post(reverse("schools:school_account", args=[kind]), {**FILLED, **changes})


def test_school_accounts_access_ladder(client, world):
    """Anonymous: to sign in. Staff, the DSL, the headteacher, the trust's safeguarding lead, another trust's lead:
    the same 404 as a missing page, for both pages, GET and POST. The trust administrator: the pages."""
    for name, args in (("schools:school_accounts", []), ("schools:school_account", ["microsoft"])):
        client.logout()
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "sign-in" in response["Location"]
        for person in (world.tom, world.diana, world.hana, world.lena, world.otto, world.eve):
            client.logout()
            sign_in(client, person)
            assert client.get(reverse(name, args=args)).status_code == 404, person
            assert client.post(reverse(name, args=args), FILLED).status_code == 404, person
        client.logout()
        sign_in(client, world.adam)
        assert client.get(reverse(name, args=args)).status_code == 200
    assert client.get(reverse("schools:school_account", args=["yahoo"])).status_code == 404
    assert not SchoolAccountProvider.objects.exists()


def test_the_trust_administrators_home_links_to_the_page(client, world):
    sign_in(client, world.adam)
    assert reverse("schools:school_accounts") in client.get(reverse("home")).content.decode()


def test_the_redirect_address_to_register_is_shown_as_an_address_not_as_markup(client, world):
    """Found by looking at the page: the inset's markup was escaped and shown as text."""
    sign_in(client, world.adam)
    page = client.get(reverse("schools:school_accounts")).content.decode()
    assert '<code class="govuk-!-text-break-word">http' in page and "&lt;code" not in page


def test_connecting_keeps_the_secret_sealed_and_audits_without_it(client, world):
    sign_in(client, world.adam)
    response = connect(client)
    assert response.status_code == 302 and response["Location"].endswith("?saved=microsoft")
    provider = SchoolAccountProvider.objects.get(trust=world.trust, kind="microsoft")
    assert provider.domain_list == ["brightwater.example", "oakfield.example"]
    assert provider.accept_provider_mfa and provider.enabled and provider.issuer == TENANT
    assert b"a-very-secret-value" not in bytes(provider.secret_sealed)
    assert unseal(provider.secret_sealed, provider.secret_key_id) == FILLED["client_secret"]
    event = AuditEvent.objects.get(object_type="school_account_provider")
    assert event.action == "create" and "client_secret" in event.changed_fields
    assert "a-very-secret-value" not in str(event.detail)
    page = client.get(response["Location"]).content.decode()
    assert "Microsoft sign-in is saved" in page and "brightwater.example, oakfield.example" in page
    form = client.get(reverse("schools:school_account", args=["microsoft"])).content.decode()
    assert "a-very-secret-value" not in form


def test_a_change_without_a_secret_keeps_the_one_saved(client, world):
    sign_in(client, world.adam)
    connect(client)
    assert connect(client, client_secret="", accept_provider_mfa="").status_code == 302
    provider = SchoolAccountProvider.objects.get(trust=world.trust, kind="microsoft")
    assert not provider.accept_provider_mfa
    assert unseal(provider.secret_sealed, provider.secret_key_id) == FILLED["client_secret"]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"issuer": "https://login.microsoftonline.com/common/v2.0"}, "issuer", "your own tenant"),
    ({"issuer": "http://login.example/tenant"}, "issuer", "starts with https://"),
    ({"client_id": ""}, "client_id", "Enter the client ID"),
    ({"client_secret": ""}, "client_secret", "Enter the client secret"),
    ({"domains": ""}, "domains", "Enter at least one email domain"),
    ({"domains": "oakfield"}, "domains", "is not an email domain"),
])
def test_what_is_missing_or_wrong_is_said_beside_its_box_and_nothing_is_saved(client, world, changes, field, words):
    sign_in(client, world.adam)
    response = connect(client, **changes)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not SchoolAccountProvider.objects.exists()


def test_a_domain_belongs_to_one_trust(client, world):
    make_user("ada@elmtree.example", "Ada Admin", trust=world.other_trust, trust_role="trust_administrator")
    sign_in(client, world.adam)
    connect(client)
    client.logout()
    from accounts.models import User
    sign_in(client, User.objects.get(email="ada@elmtree.example"))
    response = connect(client, domains="oakfield.example")
    assert response.status_code == 422 and "already connected by another trust" in response.content.decode()


def test_without_a_secrets_key_no_secret_is_taken_and_the_page_says_whom_to_ask(client, world, settings):
    settings.HARBOUR_SECRETS_KEY = None
    sign_in(client, world.adam)
    assert "HARBOUR_SECRETS_KEY" in client.get(reverse("schools:school_account", args=["microsoft"])).content.decode()
    response = connect(client)
    assert response.status_code == 422 and "cannot keep a secret" in response.content.decode()


def test_google_never_counts_as_a_second_factor(client, world):
    """S1: Google's ID tokens do not say whether 2-Step Verification was used."""
    sign_in(client, world.adam)
    connect(client, "google", issuer="https://accounts.google.com", accept_provider_mfa="on")
    assert not SchoolAccountProvider.objects.get(kind="google").accept_provider_mfa

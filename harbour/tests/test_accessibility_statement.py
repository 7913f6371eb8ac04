"""The accessibility statement (issue 21.5): public, reachable from the footer of every page, and names where to
report a problem (the contact from settings) and who enforces the regulations."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from audit.models import AuditEvent
from harbour.version import version
from tests.people import sign_in

pytestmark = pytest.mark.django_db

URL = "/accessibility/"


def test_the_statement_lives_at_accessibility():
    assert reverse("accessibility") == URL


@pytest.mark.parametrize("person", [None, "tom", "gina", "diana", "eve"])
def test_r_s1_anyone_reads_the_statement_signed_in_or_not(client, world, person):
    """Access ladder: anonymous, staff, a governor, the DSL, another trust's DSL all read the same public page; it
    is about no record, so reading it writes nothing to the audit trail."""
    if person:
        sign_in(client, getattr(world, person))
    before = AuditEvent.objects.count()
    response = client.get(URL)
    assert response.status_code == 200
    assert "Accessibility statement for Harbour" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_r_s1_a_password_only_session_reads_it_too(client, world):
    """Someone stuck at the second factor is exactly who may need to report a problem."""
    sign_in(client, world.diana, verified=False)
    assert client.get(URL).status_code == 200


def test_the_footer_of_every_kind_of_page_links_to_it(client, world):
    pages = [client.get(reverse("accounts:login")), client.get("/no-such-page/")]
    sign_in(client, world.diana)
    pages += [client.get(reverse("home")), client.get(f"/pupils/{world.elm_pupil.id}/")]
    assert [p.status_code for p in pages] == [200, 404, 200, 404]
    for page in pages:
        assert f'href="{URL}">Accessibility statement</a>' in page.content.decode()
    assert f'href="{URL}">Accessibility statement</a>' in render_to_string("errors/500.html")


def test_an_email_contact_from_settings_is_a_mail_link(client, db, settings):
    settings.HARBOUR_ACCESSIBILITY_CONTACT = "Brightwater IT <it@brightwater.example>"
    settings.HARBOUR_OPERATOR_NAME = "Brightwater Learning Trust"
    page = client.get(URL).content.decode()
    assert '<a class="govuk-link" href="mailto:it@brightwater.example">it@brightwater.example</a>' in page
    assert "run by Brightwater Learning Trust" in page


def test_a_contact_in_words_is_shown_as_written(client, db, settings):
    settings.HARBOUR_ACCESSIBILITY_CONTACT = "Ring the trust office on 01632 960000."
    assert "Ring the trust office on 01632 960000." in client.get(URL).content.decode()


def test_with_no_contact_set_it_says_whom_to_ask_rather_than_nothing(client, db, settings):
    settings.HARBOUR_ACCESSIBILITY_CONTACT = ""
    page = client.get(URL).content.decode().replace("&#39;", "'")
    # J8: in words right in every nation (the page is read signed out too).
    assert "Tell the person who leads on safeguarding at your school, or your IT team" in page
    assert "mailto:" not in page


def test_the_reply_to_address_is_the_contact_unless_another_is_set():
    from harbour import settings as harbour_settings
    import importlib
    import os

    saved = {k: os.environ.get(k) for k in ("HARBOUR_ACCESSIBILITY_CONTACT", "HARBOUR_EMAIL_REPLY_TO")}
    try:
        os.environ.pop("HARBOUR_ACCESSIBILITY_CONTACT", None)
        os.environ["HARBOUR_EMAIL_REPLY_TO"] = "safeguarding@brightwater.example"
        assert importlib.reload(harbour_settings).HARBOUR_ACCESSIBILITY_CONTACT == "safeguarding@brightwater.example"
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        importlib.reload(harbour_settings)


def test_it_says_what_was_tested_what_falls_short_and_who_enforces(client, db):
    page = client.get(URL).content.decode()
    for words in ("axe-core", "375 pixels", "320 pixels", "Nu HTML Checker", "keyboard alone",
                  "partially compliant", "2.2.1 (Timing Adjustable)", "3.3.8", "screen readers",
                  "PDF", "Equality and Human Rights Commission", "Equality Advisory and Support Service",
                  "Equality Commission for Northern Ireland", f"at version {version()}"):
        assert words in page, words


def test_the_time_limit_it_owns_up_to_is_the_one_set(client, db, settings):
    settings.HARBOUR_IDLE_TIMEOUT_MINUTES = 45
    assert "signed out after 45 minutes without activity" in client.get(URL).content.decode()

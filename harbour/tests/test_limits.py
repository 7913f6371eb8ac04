"""A form over the request limits is refused kindly, never with Django's bare "Bad Request (400)", and what was
typed is kept (rule A3: "keep everything else the user typed"; the brief's "a page never loses what someone
typed"). The report page comes back with everything typed, saying what was too large; past Django's hard caps,
where nothing sent can be read, the page says when the report's draft was last saved and links back to it."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.models import Entry
from cases.tests.helpers import make_case
from concerns.models import Concern, Draft
from concerns.tests.test_report import REPORT, report_data
from tests.people import sign_in

pytestmark = pytest.mark.django_db
OVER = settings.HARBOUR_MAX_TEXT_BYTES + 400_000  # over the limit, under Django's hard cap
BEYOND = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1  # past the hard cap: Django stops reading


def _statements(n):
    return [SimpleUploadedFile(f"statement-{i}.txt", b"What I saw, in my own words.", "text/plain") for i in range(n)]


def _unescaped(response):
    return response.content.decode().replace("&#39;", "'").replace("&#34;", '"').replace("&quot;", '"')


def _assert_protected(response):
    assert response["Cache-Control"] == "no-store" and response["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_r_a3_a_report_over_the_text_limit_comes_back_with_everything_typed(client, world):
    sign_in(client, world.tom)
    pasted = "The messages said: " + "x" * OVER + " END-OF-PASTE"
    data, milo = report_data(world, account=pasted, actions_taken="Took the phone and told the DSL.")
    response = client.post(REPORT, data)
    page = _unescaped(response)
    assert response.status_code == 413 and Concern.objects.count() == 0
    assert "There is a problem" in page and "The writing came to 2.9 MB. Harbour takes up to 2.5 MB at a time." in page
    assert '<a href="#account">The writing came to' in page  # the summary points at the field that is too long
    assert "END-OF-PASTE" in page and page.count("x" * 1000) > OVER // 1000 - 2  # every character typed
    assert "Took the phone and told the DSL." in page and "Locked drawer in the DSL's office" in page
    assert "What happened to Milo Bramblecott" in page
    assert f'name="role_{milo.id}" type="radio" value="shared_onward" checked' in page
    # The draft is not replaced by megabytes: it stays as last saved.
    assert not Draft.objects.filter(user=world.tom).exists()
    _assert_protected(response)


def test_r_a3_a_report_with_too_many_files_comes_back_with_everything_typed(client, world):
    sign_in(client, world.tom)
    data, milo = report_data(world)
    data["statement"] = _statements(settings.HARBOUR_MAX_FILES + 1)
    response = client.post(REPORT, data)
    page = _unescaped(response)
    assert response.status_code == 413 and Concern.objects.count() == 0
    assert "6 files were attached. Harbour takes up to 5 at a time. Attach them again, up to 5." in page
    assert '<a href="#statement">6 files were attached' in page
    assert "Quentin said: 'Milo sent my photo to the group chat last night.'" in page
    assert "What happened to Milo Bramblecott" in page
    # Within the limit, the same report is sent.
    data["statement"] = _statements(settings.HARBOUR_MAX_FILES)
    assert client.post(REPORT, data).status_code == 302
    assert Concern.objects.get().statements.count() == settings.HARBOUR_MAX_FILES


def test_r_a3_past_the_hard_cap_the_page_says_when_the_draft_was_saved_and_the_text_survives(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    assert client.post(reverse("concerns:draft"), data).status_code == 200  # the autosave, as the person typed
    data["account"] = "y" * BEYOND
    response = client.post(REPORT, data)
    page = _unescaped(response)
    assert response.status_code == 413 and "Bad Request" not in page
    assert "Your report was not sent: it was too large" in page
    assert "The writing came to more than 10 MB. Harbour takes up to 2.5 MB at a time." in page
    saved = re.search(r"Your report is kept as a draft, last saved at (\d+:\d\d[ap]m) today", page)
    assert saved, page[-3000:]
    assert f'href="{REPORT}"' in page and "Go back to your report" in page
    _assert_protected(response)
    # Back on the report page, what was typed is there.
    again = _unescaped(client.get(REPORT))
    assert "Quentin said: 'Milo sent my photo to the group chat last night.'" in again
    assert "Locked drawer in the DSL's office" in again and "What happened to Milo Bramblecott" in again


def test_past_the_hard_cap_on_files_the_same_page_not_a_bare_400(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    data["statement"] = _statements(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    response = client.post(REPORT, data)
    page = _unescaped(response)
    assert response.status_code == 413 and "Bad Request" not in page
    assert "More than 20 files were attached. Harbour takes up to 5 at a time." in page
    assert "No draft of your report was saved" in page


def test_too_many_answers_get_the_same_page(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    data.update({f"extra_{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    response = client.post(REPORT, data)
    assert response.status_code == 413
    assert "The form sent more than 1,000 answers." in response.content.decode()


def test_the_autosave_over_the_limit_says_not_saved_in_words_and_keeps_the_last_draft(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    client.post(reverse("concerns:draft"), data)
    data["account"] = "z" * OVER
    response = client.post(reverse("concerns:draft"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 413 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == ("Not saved. The writing came to 2.9 MB. Harbour takes up to 2.5 MB at a "
                                         "time. Make it shorter.")
    assert Draft.objects.get(user=world.tom).data["account"].startswith("Quentin said")


def test_any_other_form_over_the_limit_gets_the_page_and_is_not_run(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    detail = reverse("cases:detail", args=[case.id])
    response = client.post(reverse("cases:note", args=[case.id]), {"text": "n" * OVER},
                           HTTP_REFERER=f"http://testserver{detail}")
    page = _unescaped(response)
    assert response.status_code == 413 and "What you sent was too large" in page
    assert "The writing came to 2.9 MB" in page and "Nothing was saved" in page
    assert f'href="http://testserver{detail}">Go back to the page' in page
    assert not Entry.objects.filter(case=case, text__startswith="nnn").exists()
    _assert_protected(response)


def test_the_limits_are_checked_after_sign_in(client, world):
    """Someone signed out is sent to sign in, whatever they post; past the hard cap (nothing read) they get the
    page, which shows nothing of anyone's."""
    response = client.post(REPORT, {"account": "x" * OVER})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    response = client.post(REPORT, {"account": "x" * BEYOND})
    assert response.status_code == 413 and b"No draft of your report was saved" in response.content


def test_a_request_django_cannot_read_gets_a_page_not_a_bare_400(client, world):
    sign_in(client, world.tom)
    response = Client(raise_request_exception=False).generic(
        "POST", REPORT, b"--broken\r\nnot a multipart body", content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert b"Sorry, that did not work" in response.content and b"Bad Request (400)" not in response.content
    _assert_protected(response)

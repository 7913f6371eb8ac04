"""J8: the words for the safeguarding lead follow the school's nation beyond the report and case pages too: the error
pages (not found, a refused form, the CSRF failure, too large), and the refusals of a picture written in a box or
attached as a file. Where no school can be known (someone signed out, the "problem with Harbour" page) the words are
right in every nation: "the person who leads on safeguarding at your school"."""

import base64

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client

from concerns.tests.test_report import REPORT, report_data
from harbour.errors import forbidden, not_found
from lib.i18n import lead_sentence
from lib.imagery import message
from lib.sniff import classify, explanation
from lib.tests import samples
from schools import nations
from tests.people import sign_in

pytestmark = pytest.mark.django_db
NATIONS = ("england", "wales", "scotland", "northern_ireland")
ROLE = {"england": "designated safeguarding lead", "wales": "designated safeguarding person",
        "scotland": "child protection coordinator", "northern_ireland": "designated teacher"}
NEUTRAL = "the person who leads on safeguarding at your school"


@pytest.fixture(params=NATIONS)
def nation(request, world):
    world.oakfield.nation = request.param
    world.oakfield.save(update_fields=["nation"])
    return request.param


def others(nation):
    return [ROLE[n] for n in NATIONS if n != nation and ROLE[n] not in ROLE[nation]]


def _text(response):
    return response.content.decode().replace("&#39;", "'").replace("&#x27;", "'")


def test_r_j8_the_neutral_sentences_name_no_nations_role_and_are_marked_for_translation():
    for field in nations.Neutral.model_fields:
        said = str(getattr(nations.NEUTRAL, field))
        assert NEUTRAL in said and not any(role in said for role in ROLE.values()), field
        # Every neutral sentence has its counterpart for each nation (the 500 page's aside), so a page with a school
        # and one without say the same thing.
        if field != "at_risk_tell_lead":
            assert all(ROLE[n] in str(getattr(nations.for_nation(n), field)) for n in NATIONS), field
    assert nations.words_or_neutral(None) is nations.NEUTRAL


def test_r_j8_page_not_found_names_the_role_as_the_school_s_nation_does(client, world, nation):
    sign_in(client, world.tom)
    response = client.get("/no-such-page/")
    page = _text(response)
    assert response.status_code == 404
    assert str(nations.for_nation(nation).not_found_ask_lead) in page
    assert not any(other in page for other in others(nation)) and NEUTRAL not in page


def test_r_j8_a_failed_csrf_check_gets_harbour_s_page_in_the_school_s_words(world, nation):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.tom)
    data, _ = report_data(world)
    response = client.post(REPORT, data)
    page = _text(response)
    assert response.status_code == 403
    assert "Sorry, that did not work" in page and "CSRF" not in page  # Harbour's page, not Django's
    assert str(nations.for_nation(nation).danger_tell_lead) in page
    assert not any(other in page for other in others(nation))


def test_r_j8_error_pages_without_a_school_use_words_right_in_every_nation(rf, world):
    page = render_to_string("errors/500.html")
    assert NEUTRAL in page and not any(role in page for role in ROLE.values())
    request = rf.get("/no-such-page/")
    request.user = AnonymousUser()
    for response in (not_found(request), forbidden(request)):
        page = _text(response)
        assert NEUTRAL in page and not any(role in page for role in ROLE.values())


def test_r_j8_a_picture_written_in_a_box_is_refused_in_the_school_s_words(client, world, nation):
    """A3 with J8: the refusal beside the box tells the reader to tell their school's lead, by its nation's name."""
    sign_in(client, world.tom)
    data, _ = report_data(world)
    data["account"] = "Here it is: data:image/png;base64," + base64.b64encode(samples.png()).decode()
    response = client.post(REPORT, data)
    page = _text(response)
    assert response.status_code == 200
    assert str(nations.for_nation(nation).imagery_keep_original) in page
    assert not any(other in page for other in others(nation))


def test_r_j8_a_picture_file_is_refused_in_the_school_s_words(client, world, settings, tmp_path, nation):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(client, world.tom)
    data, _ = report_data(world)
    data["statement"] = SimpleUploadedFile("statement.pdf", samples.jpeg(), content_type="application/pdf")
    page = _text(client.post(REPORT, data))
    assert str(nations.for_nation(nation).picture_file_instead) in page
    assert not any(other in page for other in others(nation))


def test_r_j8_outside_a_request_the_refusals_use_the_neutral_words():
    finding = __import__("lib.imagery", fromlist=["find_imagery"]).find_imagery(
        "data:image/png;base64," + base64.b64encode(samples.png()).decode())
    assert NEUTRAL in message("What happened", finding)
    for make, field in ((samples.jpeg, "picture_file_instead"), (samples.zip_with_photo, "archive_tell_lead")):
        said = explanation(classify(make()))
        assert str(getattr(nations.NEUTRAL, field)) in said
    assert lead_sentence("danger_tell_lead") == str(nations.NEUTRAL.danger_tell_lead)


def test_r_j8_the_registers_name_the_lead_and_their_training_as_the_nation_does(world, nation):
    from registers.models import FilteringRole, TrainingRecord

    said = nations.for_nation(nation)
    roles = dict(nations.in_nation_words(FilteringRole.Role.choices, world.oakfield))
    kinds = dict(nations.in_nation_words(TrainingRecord.Kind.choices, world.oakfield, "training_label"))
    assert roles["dsl"] == said.lead_label and kinds["dsl"] == said.training_label
    assert ROLE[nation] in str(kinds["dsl"]).lower()
    assert roles["technical_lead"] == "Technical lead"  # the other roles keep their own names

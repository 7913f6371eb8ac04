"""J7: the case shows where each element of its procedure comes from, in words, inside "Why is this asked?"."""

import html
import re

import pytest
from django.urls import reverse

from cases.tests.helpers import make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def whys(response):
    """The text inside each "Why …?" details element of a page, spaces squeezed."""
    page = response.content.decode()
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", m)))
            for m in re.findall(r'<details class="govuk-details harbour-why".*?</details>', page, flags=re.S)]


def test_each_step_of_the_case_shows_its_source_document_edition_and_section_J7(client, world):
    case = make_case(world, "staff-allegation", subject_staff=world.tom, reporter=world.dev)
    sign_in(client, world.hana)
    found = whys(client.get(reverse("cases:detail", args=[case.id])))
    lado = next(w for w in found if "Why is this a step?" in w and "Keeping children safe in education (2025)" in w)
    assert "Part four, section one: Allegations that may meet the harm threshold" in lado
    retention = [w for w in found if "Part four, section one: Record keeping" in w]
    assert len(retention) == 1


def test_the_referral_questions_show_the_source_of_the_criteria_and_the_risk_questions_J7(client, world):
    case = make_case(world, "cyberbullying")
    sign_in(client, world.diana)
    found = whys(client.get(reverse("cases:assess", args=[case.id])))
    assert any("serious harm" in w and "This comes from Keeping children safe in education (2025), Part one: "
               "What school and college staff should do if they have concerns about a child." in w for w in found)
    assert any("This comes from Youth-Produced Sexual Imagery (YPSI) Policy (March 2025), Assessment of risk." in w
               for w in found)


def test_the_review_meeting_lists_the_sources_of_its_questions_J7(client, world):
    case = make_case(world, "radicalisation")
    sign_in(client, world.diana)
    found = whys(client.get(reverse("cases:review", args=[case.id])))
    assert len(found) == 1 and "These come from:" in found[0]
    assert "The initial review meeting" in found[0] and "Roles and responsibilities" in found[0]


def test_a_case_pinned_before_sources_existed_shows_no_source_and_still_opens_J7(client, world):
    case = make_case(world, "cyberbullying")
    for task in case.procedure["tasks"]:
        task.pop("source", None)
    case.save(update_fields=["procedure"])
    sign_in(client, world.diana)
    response = client.get(reverse("cases:detail", args=[case.id]))
    assert response.status_code == 200
    assert not any("Why is this a step?" in w for w in whys(response))

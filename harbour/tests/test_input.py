"""Issue 8.3: input that the database would refuse is dealt with calmly, never as a server error."""

import pytest
from django.urls import reverse

from cases.models import Decision, Entry
from cases.tests.helpers import make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def test_nul_characters_are_removed_and_everything_else_is_kept(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    response = client.post(reverse("cases:note", args=[case.id]), {"text": "Spoke\x00 to the child's carer."})
    assert response.status_code == 302
    assert Entry.objects.filter(case=case, text="Spoke to the child's carer.").exists()


def test_r_b10_a_reason_longer_than_its_column_is_refused_and_what_was_typed_stays(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    choice = "Not to tell the parents yet. " * 29 + "Agreed."  # 848 characters, for a 500-character column
    response = client.post(reverse("cases:decision", args=[case.id]),
                           {"taken": "no", "choice": choice, "reason": "The child asked us to wait a day."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is too long: keep it to 500 characters (it has 848)" in page
    assert "The child asked us to wait a day." in page and "Not to tell the parents yet" in page
    assert not Decision.objects.filter(case=case).exists()

"""Issue 20.5, people pickers: each person as "name — role"; governors (who see numbers, never names: G4) are not
offered as the witness to a viewing (C2) or as an attendee of the initial review (B1) unless the school says so; the
witness list puts the safeguarding team first, then senior staff (C2)."""

import html
import re

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.pickers import people_at
from cases.tests.helpers import make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def _options(page, name):
    """The visible labels of a select's options, or of a group of checkboxes, named `name`, in order."""
    page = html.unescape(page)
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    if select:
        return [t.strip() for t in re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.S)]
    return [t.strip() for t in re.findall(
        rf'<input[^>]*name="{name}"[^>]*>\s*<label[^>]*>(.*?)</label>', page, re.S)]


def test_each_person_is_shown_with_their_roles_at_the_school(world):
    Membership.objects.create(user=world.dev, school=world.oakfield, role="senco")
    labels = [u.picker_label for u in people_at(world.oakfield)]
    assert "Dev Deputy — Deputy designated safeguarding lead, SENCO" in labels
    assert "Gina Governor — Governor" in labels
    assert "Eve Elsewhere — Designated safeguarding lead" not in labels  # another school's


def test_r_c2_the_witness_list_offers_the_safeguarding_team_then_senior_staff_and_no_governors(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    page = client.get(reverse("evidence:viewing_new", args=[case.id])).content.decode()
    assert _options(page, "witness") == [
        "Choose the witness",
        "Dev Deputy — Deputy designated safeguarding lead",
        "Hana Head — Headteacher",
        "Terry Tech — Technical staff",
        "Tom Teacher — Member of staff",
    ]


def test_r_c2_governors_are_offered_as_witness_when_the_school_says_so(client, world):
    world.oakfield.governors_in_case_pickers = True
    world.oakfield.save(update_fields=["governors_in_case_pickers"])
    case = make_case(world)
    sign_in(client, world.diana)
    options = _options(client.get(reverse("evidence:viewing_new", args=[case.id])).content.decode(), "witness")
    assert "Carol Chair — Chair of governors" in options and "Gina Governor — Governor" in options
    assert options.index("Hana Head — Headteacher") < options.index("Carol Chair — Chair of governors")


def test_r_c2_a_governor_posted_as_witness_is_refused(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    response = client.post(reverse("evidence:viewing_new", args=[case.id]), {"witness": str(world.gina.id)})
    assert "Another member of staff at the school must be present as witness" in html.unescape(
        response.content.decode())
    assert not case.viewings.exists()


def test_r_b1_review_attendees_show_roles_and_leave_out_governors(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    options = _options(client.get(reverse("cases:review", args=[case.id])).content.decode(), "attendees")
    assert "Diana Dsl — Designated safeguarding lead" in options and "Hana Head — Headteacher" in options
    assert not any("Governor" in o or "governors" in o for o in options)


def test_r_a4_reporting_a_concern_about_staff_shows_each_person_with_their_role(client, world):
    sign_in(client, world.tom)
    options = _options(client.get(reverse("concerns:report")).content.decode(), "subject_staff")
    assert "Hana Head — Headteacher" in options and "Diana Dsl — Designated safeguarding lead" in options
    assert not any(o.startswith("Tom Teacher") for o in options)  # not the reporter


def test_adding_someone_to_a_case_shows_roles(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    options = _options(client.get(reverse("cases:people", args=[case.id])).content.decode(), "user")
    assert "Tom Teacher — Member of staff" in options


def test_r_i1_a_register_picker_shows_roles(client, world):
    sign_in(client, world.diana)
    options = _options(client.get(reverse("registers:policy_new")).content.decode(), "owner")
    assert "Hana Head — Headteacher" in options

"""The home page tells a signed-in person what they can do next, by their capabilities."""

import pytest
from django.urls import reverse

from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == "/account/sign-in/?next=/"


def test_a_dsl_is_offered_the_pupil_records(client, world):
    sign_in(client, world.diana)
    page = client.get(reverse("home")).content.decode()
    assert "Look up a pupil" in page and "Designated safeguarding lead" in page and "Oakfield Primary" in page


def test_r_p1_a_dsl_finds_the_pupils_page_poster_from_the_home_page(client, world):
    """The poster is how pupils find their page: the team reaches it without typing an address."""
    sign_in(client, world.diana)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("concerns:pupil_poster")}"' in page


@pytest.mark.parametrize("person", ["tom", "gina"])
def test_staff_and_governors_are_not_offered_pupil_records(client, world, person):
    sign_in(client, getattr(world, person))
    page = client.get(reverse("home")).content.decode()
    assert "Look up a pupil" not in page and "What you can do" in page
    assert reverse("concerns:pupil_poster") not in page


def test_someone_with_no_school_yet_is_told_what_to_do(client, world):
    sign_in(client, make_user("new@oakfield.example", "New Person", with_device=False))
    assert b"not linked to a school yet" in client.get(reverse("home")).content


def test_footer_has_no_crown_and_no_crown_copyright(client, world):
    from django.urls import reverse

    from tests.people import sign_in

    sign_in(client, world.diana)
    html = client.get(reverse("home")).content.decode()
    assert "govuk-footer__crown" not in html and "Crown copyright" not in html and "©" not in html
    assert "Open-source software for schools and trusts." in html


@pytest.mark.parametrize("person, pages", [("diana", ["procedures:list", "records:queue"]),
                                           ("hana", ["records:queue"]),
                                           ("dev", ["procedures:list"])])
def test_procedures_and_records_left_the_navigation_for_the_home_page(client, world, person, pages):
    """So the navigation fits one row at 1280 px, pages opened rarely are linked from "What you can do" only, and a
    page reached from nowhere else stays one click from home."""
    sign_in(client, getattr(world, person))
    page = client.get(reverse("home")).content.decode()
    menu = page[page.index('aria-label="Menu"'):page.index("</nav>")]
    offered = page[page.index("What you can do"):]
    for name in pages:
        assert f'href="{reverse(name)}"' not in menu
        assert f'href="{reverse(name)}"' in offered

"""Issue 24: the menu's items are worked out once per request from the roles read with the person
(harbour/context_processors.py), and each role sees exactly the items its capabilities give, as before.
Rules H3 (what each role may open), A1 (the DSL's way to the concerns inbox), I1 (governors see numbers only)."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from harbour.context_processors import _menu
from schools.models import School
from tests.people import sign_in

pytestmark = pytest.mark.django_db

PEOPLE = ["diana", "dev", "hana", "tom", "gina", "terry", "carol", "lena", "adam", "otto"]


def _expected(user, school):
    """The menu as base.html wrote it before: one `access.can` per capability."""
    def can(capability):
        return user.access.can(capability, school)

    items = [reverse("home"), reverse("notifications:list")]
    if can("receive_concerns") or can("receive_staff_allegations") or can("receive_headteacher_allegations") \
            or can("receive_filtering_alerts"):
        items.append(reverse("concerns:inbox"))
    if can("read_cases") or can("receive_staff_allegations"):
        items.append(reverse("cases:list"))
    if can("view_school_dashboard"):
        items.append(reverse("reports:dashboard"))
    elif can("view_governor_report"):
        items.append(reverse("reports:governor"))
    if can("manage_registers"):
        items.append(reverse("registers:overview"))
    return items


@pytest.mark.parametrize("person", PEOPLE)
def test_h3_each_role_sees_the_menu_its_capabilities_give(client, world, person):
    user = getattr(world, person)
    sign_in(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    # The current school: the first by name of those the person holds a role in (schools.current).
    user = User.objects.get(pk=user.pk)
    school = School.objects.filter(id__in=user.access.school_ids()).first()
    menu = re.search(r'<ul class="govuk-service-navigation__list"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    links = re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)"', menu.group(1))
    assert links == _expected(user, school)
    menu = _menu(user, school)
    assert menu["governor_report"] == user.access.can("view_governor_report", school)
    assert {k: v for k, v in menu.items() if k != "governor_report"} == {
        "inbox": reverse("concerns:inbox") in links, "cases": reverse("cases:list") in links,
        "dashboard": reverse("reports:dashboard") in links, "registers": reverse("registers:overview") in links}


def test_i1_a_governor_is_shown_the_governor_report_and_no_case_work(world):
    assert _menu(world.gina, world.oakfield) == {"inbox": False, "cases": False, "dashboard": False,
                                                 "governor_report": True, "registers": False}


def test_h3_a_changed_role_changes_the_menu_on_the_next_request(client, world):
    from accounts.models import Membership

    sign_in(client, world.diana)
    assert f'href="{reverse("cases:list")}"' in client.get(reverse("home")).content.decode()
    Membership.objects.filter(user=world.diana, school=world.oakfield).update(role="governor")
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("cases:list")}"' not in page and f'href="{reverse("reports:governor")}"' in page


def test_h3_nobody_signed_in_and_no_school_show_no_items(world):
    assert not any(_menu(None, None).values())

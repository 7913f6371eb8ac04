"""J8: the national services follow the school's nation: the directory, a case's advice page and the referral page show
a school the services for its own nation and those that serve the whole UK, never another nation's alone (an English
school is not sent to a Welsh helpline, nor a Scottish one to England's LADO)."""

import html

import pytest
from django.urls import reverse

from advice import resources
from cases.tests.helpers import make_case
from tests.people import sign_in

pytestmark = pytest.mark.django_db
NATIONS = ("england", "wales", "scotland", "northern_ireland")
# Each nation's own services, and services the others must not be shown.
OWN = {"england": {"childrens-social-care", "lado", "dfe-counter-extremism-helpline"},
       "wales": {"wales-social-services", "meic"},
       "scotland": {"scotland-social-work"},
       "northern_ireland": {"ni-gateway", "ea-cpss", "psni"}}
UK_WIDE = {"childline", "ceop", "report-remove", "iwf"}


def _ids(page):
    return {r["id"] for r in resources.all_resources() if f'id="resource-{r["id"]}"' in page}


@pytest.fixture(params=NATIONS)
def nation(request, world):
    world.oakfield.nation = request.param
    world.oakfield.save(update_fields=["nation"])
    return request.param


def test_r_j8_every_service_names_known_nations_and_each_nation_has_somewhere_to_refer():
    for r in resources.all_resources():
        assert set(r["nations"]) <= set(NATIONS), r["id"]
    for nation in NATIONS:
        shown = {r["id"] for r in resources.all_resources(nation)}
        assert OWN[nation] | UK_WIDE <= shown
        assert not shown & set().union(*(OWN[n] for n in NATIONS if n != nation)), nation
        # B2: somewhere to refer and somewhere to call in an emergency, in every nation.
        assert resources.resources_for("referral", nation) and resources.resources_for("emergency", nation)
    assert {r["id"] for r in resources.all_resources()} >= set().union(*OWN.values())  # no nation: all of them


def test_r_j8_the_services_page_shows_the_school_s_nation_s_services(client, world, nation):
    sign_in(client, world.tom)
    page = client.get(reverse("advice:resources")).content.decode()
    shown = _ids(page)
    assert OWN[nation] | UK_WIDE <= shown
    assert not shown & set().union(*(OWN[n] for n in NATIONS if n != nation))
    assert {"england": "England", "wales": "Wales", "scotland": "Scotland",
            "northern_ireland": "Northern Ireland"}[nation] in page


def test_r_j8_a_scottish_case_s_advice_and_referral_pages_list_scotland_s_services(client, world):
    world.oakfield.nation = "scotland"
    world.oakfield.save(update_fields=["nation"])
    case = make_case(world)
    sign_in(client, world.diana)
    for url in (reverse("advice:case", args=[case.id]), reverse("cases:referral", args=[case.id])):
        page = html.unescape(client.get(url).content.decode())
        assert "Council social work (child protection, Scotland)" in page, url
        assert "Local authority children's social care (MASH or front door)" not in page, url
        assert "Local authority designated officer (LADO)" not in page, url

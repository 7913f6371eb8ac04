"""Finding a child on the report page (rule A1) without a child's name ever reaching a URL: search as you type is
posted (htmx), and without JavaScript the search and "Add" buttons send the report form back to its own page,
which shows the results or adds the child and keeps everything typed (the draft is saved too)."""

import re

import pytest
from django.urls import reverse

from concerns.models import Concern, ConcernChild, Draft
from tests.people import sign_in

from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db
SEARCH = reverse("concerns:pupil_search")


def test_the_search_as_you_type_is_posted_never_a_query_string(client, world):
    sign_in(client, world.tom)
    page = client.get(REPORT).content.decode()
    search = re.search(r'<input[^>]*id="child-search"[^>]*>', page).group(0)
    assert f'data-hx-post="{SEARCH}"' in search and "hx-get" not in search
    assert 'data-hx-params="child_search,csrfmiddlewaretoken"' in search  # not the whole report
    assert client.get(SEARCH, {"child_search": "Quen"}).status_code == 405  # a name in a URL is not read
    found = client.post(SEARCH, {"child_search": "Quen"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Add Quentin Puddlewick" in found
    # The result adds the child by id only.
    assert f'data-hx-get="{reverse("concerns:child_row", args=[world.pupil.id])}"' in found


def test_search_access_ladder(client, world):
    """H3: anonymous to sign-in; a governor (who may report, not search) and an outsider find no one here."""
    assert client.post(SEARCH, {"child_search": "Quen"})["Location"].startswith(reverse("accounts:login"))
    sign_in(client, world.gina)
    assert client.post(SEARCH, {"child_search": "Quen"}).status_code == 404
    sign_in(client, world.eve)  # Elmtree's DSL: her own school's children only
    assert b"Quentin" not in client.post(SEARCH, {"child_search": "Quen"}).content
    assert b"Add Rosa Thistledown" in client.post(SEARCH, {"child_search": "Thist"}).content
    sign_in(client, world.tom)
    assert b"Add Quentin Puddlewick" in client.post(SEARCH, {"child_search": "Puddle"}).content


def test_r_a1_without_javascript_find_child_shows_the_results_and_keeps_what_was_typed(client, world):
    sign_in(client, world.tom)
    data, milo = report_data(world, child=[str(world.pupil.id)], find_child="yes", child_search="Bramb")
    response = client.post(REPORT, data)
    page = response.content.decode().replace("&#39;", "'")
    assert response.status_code == 200 and Concern.objects.count() == 0
    assert f'name="add_child" value="{milo.id}"' in page and "Add Milo Bramblecott" in page
    assert "Quentin said: 'Milo sent my photo to the group chat last night.'" in page
    assert "What happened to Quentin Puddlewick" in page  # the child already added stays
    assert 'value="Bramb"' in page  # the search box keeps its words
    assert Draft.objects.get(user=world.tom).data["account"].startswith("Quentin said")


def test_r_a1_without_javascript_add_puts_the_child_on_the_report_which_can_then_be_sent(client, world):
    sign_in(client, world.tom)
    data, milo = report_data(world, child=[str(world.pupil.id)], add_child=str(world.pupil.id))
    data["add_child"] = str(milo.id)
    page = client.post(REPORT, data).content.decode().replace("&#39;", "'")
    assert "What happened to Milo Bramblecott" in page and "What happened to Quentin Puddlewick" in page
    assert "Quentin said: 'Milo sent my photo" in page
    assert Draft.objects.get(user=world.tom).data["child"] == [str(world.pupil.id), str(milo.id)]
    del data["add_child"]
    data["child"] = [str(world.pupil.id), str(milo.id)]
    assert client.post(REPORT, data).status_code == 302
    assert set(ConcernChild.objects.values_list("pupil_id", "role")) == {(world.pupil.id, "pictured"),
                                                                       (milo.id, "shared_onward")}


def test_h3_without_javascript_another_schools_child_cannot_be_added(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world, child=[], add_child=str(world.elm_pupil.id))
    page = client.post(REPORT, data).content.decode()
    assert "Thistledown" not in page and f'name="child" value="{world.elm_pupil.id}"' not in page
    data, _ = report_data(world, child=[], find_child="yes", child_search="Thist")
    assert "Thistledown" not in client.post(REPORT, data).content.decode()


def test_a_governor_who_may_report_but_not_search_gets_the_page_back_not_a_refusal(client, world):
    sign_in(client, world.gina)
    data, _ = report_data(world, child=[], find_child="yes", child_search="Quen")
    response = client.post(REPORT, data)
    assert response.status_code == 200 and b"Add Quentin" not in response.content
    assert b"Milo sent my photo" in response.content

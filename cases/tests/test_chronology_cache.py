"""Issue 24.1: each chronology entry's HTML is rendered once and kept (cases/chronology.py). An entry never changes
(B9: the chronology is append-only, its triggers refuse UPDATE and DELETE), so what is kept cannot go stale; these
tests prove the four ways it could go wrong do not: a new entry, a disposal (H4), a changed template, and a viewer
who may not read the case (H2, least privilege)."""

import pytest
from django.core.cache import caches
from django.template import engines
from django.urls import reverse
from jinja2 import ChoiceLoader, DictLoader

from cases import actions, chronology
from cases.tests.helpers import code_for, make_case
from tests.people import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    caches[chronology.CACHE].clear()
    yield
    caches[chronology.CACHE].clear()


def page(client, case):
    response = client.get(reverse("cases:detail", args=[case.id]))
    assert response.status_code == 200
    return response.content.decode()


def held(case):
    return chronology._cache().get(chronology._key(case.id)) or {}


def test_b9_the_page_keeps_each_entry_and_serves_it_from_the_cache_on_the_next_request(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    first = page(client, case)
    kept = held(case)
    assert sorted(key[3] for key in kept) == sorted(case.entries.values_list("id", flat=True))
    # What is served is what was kept: mark one kept fragment and the next page shows the mark.
    key = next(iter(kept))
    chronology._cache().set(chronology._key(case.id), {**kept, key: kept[key] + "<!-- kept -->"})
    assert "<!-- kept -->" not in first and "<!-- kept -->" in page(client, case)


def test_b9_a_new_entry_appears_on_the_very_next_request(client, world):
    case = make_case(world)
    sign_in(client, world.diana)
    assert "Rang the form tutor" not in page(client, case)
    actions.add_note(user=world.diana, case=case, text="Rang the form tutor about the group chat.")
    shown = page(client, case).split('id="chronology"')[1]
    assert "Rang the form tutor about the group chat." in shown
    assert shown.index("Rang the form tutor") < shown.index("Case opened")  # newest first, as before


def test_b9_a_renamed_author_is_shown_by_their_new_name(client, world):
    case = make_case(world)
    actions.add_note(user=world.diana, case=case, text="Spoke to the head of year.")
    sign_in(client, world.diana)
    assert f"by {world.diana.full_name}" in page(client, case)
    world.diana.full_name = "Diana Renamed-Person"
    world.diana.save(update_fields=["full_name"])
    assert "by Diana Renamed-Person" in page(client, case)


def test_h4_disposal_removes_the_cached_fragments_with_the_case(client, world):
    from records import actions as records_actions
    from records.tests.helpers import closed_case, grown_up

    case = closed_case(world, children=[(grown_up(world), "harmed")])
    sign_in(client, world.diana)
    page(client, case)
    assert held(case)
    request = records_actions.request_disposal(user=world.diana, case=case, reason="Past its retention date.")
    records_actions.approve_disposal(user=world.hana, request=request, password=PASSWORD, code=code_for(world.hana))
    assert held(case) == {}


@pytest.fixture
def changed_template():
    """The entry template with one word changed, as a release would change it."""
    env = engines["jinja2"].env
    original = env.loader
    source = original.get_source(env, chronology.TEMPLATE)[0]
    source = source.replace("moj-timeline__byline", "moj-timeline__byline changed")
    env.loader = ChoiceLoader([DictLoader({chronology.TEMPLATE: source}), original])
    env.cache.clear()
    chronology._stable_version.cache_clear()
    yield
    env.loader = original
    env.cache.clear()
    chronology._stable_version.cache_clear()


def test_a_changed_template_renders_afresh_by_its_version(client, world, request):
    case = make_case(world)
    sign_in(client, world.diana)
    before = chronology.version()
    assert "byline changed" not in page(client, case)
    request.getfixturevalue("changed_template")
    assert chronology.version() != before  # from the template's source, not a constant
    shown = page(client, case)
    assert shown.count("moj-timeline__byline changed") == case.entries.count()
    assert {key[0] for key in held(case)} == {chronology.version()}  # the old version's fragments are dropped


@pytest.mark.parametrize("stranger", ["eve", "otto", "tom", "gina", "terry", "adam", "carol"])
def test_h2_a_viewer_who_may_not_read_the_case_never_reaches_the_cache(client, world, stranger, monkeypatch):
    case = make_case(world)
    sign_in(client, world.diana)
    page(client, case)  # the fragments are there to be reached
    reached = []
    monkeypatch.setattr(chronology, "_cache", lambda: reached.append(True))
    sign_in(client, getattr(world, stranger))
    assert client.get(reverse("cases:detail", args=[case.id])).status_code == 404
    assert reached == []

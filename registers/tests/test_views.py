"""Register pages: the access ladder for every view (H3), lists within a query bound, and no other
school's records on a list."""

import pytest
from django.urls import reverse

from registers.tests.helpers import build_registers, coordinator
from tests.people import sign_in

pytestmark = pytest.mark.django_db

LISTS = ["overview", "policies", "policy_new", "agreements", "agreement_new", "agreement_unsigned", "photo_search",
         "leavers", "leavers_keeper", "training", "training_new", "filtering", "filtering_role", "filtering_review"]


def object_urls(world, made):
    return [reverse("registers:policy", args=[made["policy"].id]),
            reverse("registers:policy_review", args=[made["policy"].id]),
            reverse("registers:policy_bring_forward", args=[made["policy"].id]),
            reverse("registers:agreement", args=[made["version"].id]),
            reverse("registers:agreement_sign", args=[made["version"].id]),
            reverse("registers:agreement_sign", args=[made["pupil_version"].id]),
            reverse("registers:photo_pupil", args=[world.pupil.id]),
            reverse("registers:photo_record", args=[world.pupil.id]),
            reverse("registers:leavers_deleted", args=[made["leaver"].id])]


def test_h3_access_ladder_for_every_register_page(client, world):
    made = build_registers(world)
    lists = [reverse(f"registers:{name}") for name in LISTS]
    objects = object_urls(world, made)
    for url in lists + objects:
        assert client.get(url)["Location"].startswith(reverse("accounts:login")), url
    # Wrong role at Oakfield: the same 404 as a page that does not exist.
    for stranger in (world.tom, world.gina, world.terry, world.carol, world.adam):
        sign_in(client, stranger)
        for url in lists + objects:
            assert client.get(url).status_code == 404, (stranger, url)
            assert client.post(url, {"title": "x"}).status_code == 404, (stranger, url)
    # Another school's DSL: Oakfield's records are 404s, and her own registers show none of Oakfield's.
    sign_in(client, world.eve)
    for url in objects:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"notes": "x"}).status_code == 404, url
    page = client.get(reverse("registers:policies")).content.decode()
    assert "Elmtree High" in page and "Online safety policy" not in page
    # The people who manage registers (rule I1–I6 brief: DSL, deputy, head, online-safety coordinator).
    for manager in (world.diana, world.dev, world.hana, coordinator(world), world.lena):
        sign_in(client, manager)
        for url in lists + objects:
            assert client.get(url).status_code == 200, (manager, url)


def test_registers_appear_in_the_menu_only_for_those_who_manage_them(client, world):
    sign_in(client, world.diana)
    assert 'href="/registers/"' in client.get(reverse("home")).content.decode()
    sign_in(client, world.tom)
    assert 'href="/registers/"' not in client.get(reverse("home")).content.decode()

"""The page that ends a staff device's quarantine once the police have advised (C9): its access ladder, what it
records, and what it keeps when something is missing (H3)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.tests.helpers import make_case
from evidence import actions
from evidence.models import QuarantineRelease
from lib.dates import DATETIME_LOCAL
from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world)


@pytest.fixture
def device(world, case):
    return actions.record_device(user=world.diana, case=case, owner="Mr Smith (teacher)", make="School laptop 12",
                                 isolation="switched_off", holder="secure_place", where_or_who="Head's safe",
                                 staff_device=True)


def url(case, device):
    return reverse("evidence:device_release", args=[case.id, device.id])


def advice(**changes):
    return {"adviser": "PC Amir Shah, Thames Valley Police", "police_reference": "TVP-2026-0042",
            "advised_at": timezone.localtime(timezone.now() - timedelta(hours=2)).strftime(DATETIME_LOCAL),
            "advice": "Examined; nothing found. It can go back to its owner.",
            "reason": "The police need nothing more from it.", **changes}


def test_r_h3_access_ladder(client, world, case, device):
    assert client.get(url(case, device))["Location"].startswith(reverse("accounts:login"))
    missing = client.get(reverse("evidence:device_release", args=[case.id, 987654]))
    # Another school's DSL, another trust's lead, and people at the school who do not run the case.
    for stranger in (world.eve, world.otto, world.tom, world.terry, world.gina, world.hana, world.carol):
        sign_in(client, stranger)
        for response in (client.get(url(case, device)), client.post(url(case, device), advice())):
            assert response.status_code == 404, stranger
        assert client.get(reverse("evidence:device_release", args=[case.id, 987654])).status_code == 404
    device.refresh_from_db()
    assert device.quarantined and not QuarantineRelease.objects.exists()
    assert missing.status_code == 302  # anonymous: to sign-in, like every page
    for owner in (world.diana, world.dev, world.lena):
        sign_in(client, owner)
        page = client.get(url(case, device))
        assert page.status_code == 200 and b"End the quarantine of School laptop 12" in page.content


def test_r_c9_the_dsl_records_the_police_advice_and_the_device_is_released(client, world, case, device):
    sign_in(client, world.diana)
    case_page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert url(case, device) in case_page
    response = client.post(url(case, device), advice())
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    device.refresh_from_db()
    release = device.release
    assert not device.quarantined
    assert (release.adviser, release.police_reference, release.advice, release.reason) == (
        "PC Amir Shah, Thames Valley Police", "TVP-2026-0042", "Examined; nothing found. It can go back to its owner.",
        "The police need nothing more from it.")
    case_page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert url(case, device) not in case_page and "Quarantine ended on police advice (PC Amir Shah" in case_page
    # Released once: the page now sends the DSL back to the case.
    again = client.get(url(case, device))
    assert again.status_code == 302 and QuarantineRelease.objects.count() == 1


def test_r_c9_a_missing_answer_is_shown_beside_its_field_and_everything_typed_is_kept(client, world, case, device):
    sign_in(client, world.diana)
    page = client.post(url(case, device), advice(adviser="", reason="")).content.decode()
    assert 'href="#adviser"' in page and 'href="#reason"' in page
    assert "Say who at the police gave the advice" in page and "Say why the device can now be released." in page
    assert "TVP-2026-0042" in page and "Examined; nothing found." in page
    device.refresh_from_db()
    assert device.quarantined


def test_a_device_that_is_not_quarantined_has_nothing_to_release(client, world, case):
    phone = actions.record_device(user=world.diana, case=case, owner="A pupil", make="Phone", isolation="flight_mode",
                                  holder="secure_place", where_or_who="Safe")
    sign_in(client, world.diana)
    response = client.post(url(case, phone), advice())
    assert response.status_code == 302 and not QuarantineRelease.objects.exists()

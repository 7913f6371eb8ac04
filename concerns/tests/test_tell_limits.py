"""P5: misuse is absorbed, not punished blindly. A device and a network are limited (a school's network is one
address for hundreds of pupils, so its limits are wider), receipt codes cannot be tried one after another, and the
same words sent again from the same device or network are gathered onto the first report instead of a new one."""

import pytest
from django.test import Client
from django.urls import reverse

from concerns import limits
from concerns.models import Concern, PupilLimitHit, PupilNote, PupilReceipt
from tests.people import sign_in

from .tell_helpers import check, code_from, tell

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setitem(limits.LIMITS, "report", (2, 3))
    monkeypatch.setitem(limits.LIMITS, "code", (3, 5))


def _device(address):
    return Client(REMOTE_ADDR=address)


def test_r_p5_a_device_is_limited_then_told_calmly_what_to_do(world, small_limits):
    pupil = _device("10.0.0.1")
    assert [tell(pupil, world.oakfield, words=f"Worry {n} about a chat.").status_code for n in range(3)] == [
        200, 200, 429]
    assert Concern.objects.count() == 2
    limited = tell(pupil, world.oakfield, words="Another worry.")
    assert "Please wait a while" in limited.content.decode() and "tell an adult you trust" in limited.content.decode()
    # Another device on the same network is not stopped by the first one's limit.
    assert tell(_device("10.0.0.1"), world.oakfield, words="A different pupil's worry.").status_code == 200


def test_r_p5_a_network_is_limited_across_its_devices(world, small_limits):
    codes = [tell(_device("10.0.0.2"), world.oakfield, words=f"Worry {n}.").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert tell(_device("10.0.0.3"), world.oakfield, words="From another network.").status_code == 200


def test_r_p4_p5_receipt_codes_cannot_be_tried_one_after_another(world, small_limits):
    pupil = _device("10.0.0.4")
    code = code_from(tell(pupil, world.oakfield))
    wrong = [check(pupil, world.oakfield, f"AAAA-BBBB-CCCC-DDD{ch}").status_code for ch in "EFG"]
    assert wrong == [200, 200, 200]
    assert check(pupil, world.oakfield, code).status_code == 429  # even the right code, once the limit is reached
    assert check(_device("10.0.0.5"), world.oakfield, code).status_code == 200


def test_r_p5_the_limiter_keeps_no_address_or_device(world):
    pupil = _device("192.0.2.77")
    tell(pupil, world.oakfield)
    token = pupil.cookies[limits.DEVICE_COOKIE].value
    kept = str(list(PupilLimitHit.objects.values()))
    assert "192.0.2.77" not in kept and token not in kept and PupilLimitHit.objects.exists()


def test_r_p5_the_same_words_sent_again_are_gathered_onto_the_first_report(world):
    pupil = _device("10.0.0.6")
    first = code_from(tell(pupil, world.oakfield, words="Someone keeps messaging me at night."))
    again = code_from(tell(pupil, world.oakfield, words="  someone keeps messaging   me at night. "))
    assert Concern.objects.count() == 1 and PupilReceipt.objects.count() == 2 and first != again
    assert PupilNote.objects.get().repeated
    assert "Your message" in check(pupil, world.oakfield, again).content.decode()
    # Other words, or the same words from another device and network, are a report of their own.
    tell(pupil, world.oakfield, words="Something different happened.")
    tell(_device("10.0.0.7"), world.oakfield, words="Someone keeps messaging me at night.")
    assert Concern.objects.count() == 3


def test_r_p5_a_closed_report_gathers_nothing_more(client, world):
    pupil = _device("10.0.0.8")
    tell(pupil, world.oakfield, words="Someone keeps messaging me at night.")
    concern = Concern.objects.get()
    sign_in(client, world.diana)
    client.post(reverse("concerns:pupil_close", args=[concern.id]), {"reason": "Sent in a lesson to try the page."})
    tell(pupil, world.oakfield, words="Someone keeps messaging me at night.")
    assert Concern.objects.count() == 2


def test_r_p5_gathered_reports_are_shown_to_the_team_as_one_item(client, world):
    pupil = _device("10.0.0.9")
    for _ in range(3):
        tell(pupil, world.oakfield, words="Someone keeps messaging me at night.")
    concern = Concern.objects.get()
    sign_in(client, world.diana)
    inbox = client.get(reverse("concerns:inbox")).content.decode()
    assert inbox.count(reverse("concerns:detail", args=[concern.id])) == 1
    page = client.get(reverse("concerns:detail", args=[concern.id])).content.decode()
    assert page.count("the same words sent again") == 2

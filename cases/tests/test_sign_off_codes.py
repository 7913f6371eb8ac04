"""Issue 20.7, signing off: a code already used (to sign in, most often) is told apart from a wrong one, with the
seconds until the next; in demo mode the signing pages show the current code as sign-in does (B6, C3, H4, S1)."""

import html
from datetime import datetime, timezone as tz

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from cases import actions
from cases.actions import CaseError
from cases.tests.helpers import ALL_NO, code_for, make_case
from tests.people import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

# 10 seconds into a 30-second step: the next code comes 20 seconds later.
AT = datetime(2026, 12, 7, 10, 0, 10, tzinfo=tz.utc)


@pytest.fixture
def sign_off(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    return decision.sign_offs.get(role="headteacher")


def test_r_b6_s1_the_code_just_used_to_sign_in_is_refused_with_the_seconds_until_the_next(world, sign_off):
    with time_machine.travel(AT, tick=False):
        code = code_for(world.hana)
        assert mfa.match_token(world.hana, code) is not None  # signing in used it
        with pytest.raises(CaseError) as refused:
            actions.sign(user=world.hana, sign_off=sign_off, password=PASSWORD, code=code)
    assert refused.value.message_dict["password"] == [
        "That code has just been used; wait for the next one. Your app shows it in 20 seconds."]
    sign_off.refresh_from_db()
    assert sign_off.signed_at is None


def test_r_b6_the_next_code_signs(world, sign_off):
    with time_machine.travel(AT, tick=False):
        mfa.match_token(world.hana, code_for(world.hana))
    with time_machine.travel(AT.replace(second=45), tick=False):
        actions.sign(user=world.hana, sign_off=sign_off, password=PASSWORD, code=code_for(world.hana))
    sign_off.refresh_from_db()
    assert sign_off.signed_at is not None


def test_r_b6_a_wrong_code_or_password_is_still_not_right_and_says_nothing_of_the_code(world, sign_off):
    with time_machine.travel(AT, tick=False):
        code = code_for(world.hana)
        mfa.match_token(world.hana, code)
        with pytest.raises(CaseError, match="Your password or code was not right"):
            actions.sign(user=world.hana, sign_off=sign_off, password="not the password at all", code=code)
        with pytest.raises(CaseError, match="Your password or code was not right"):
            actions.sign(user=world.hana, sign_off=sign_off, password=PASSWORD,
                         code=f"{(int(code) + 1) % 10**6:06d}")


def test_r_c3_h4_the_other_signing_actions_tell_a_used_code_apart_too(world):
    with time_machine.travel(AT, tick=False):
        code = code_for(world.diana)
        mfa.match_token(world.diana, code)
        assert mfa.signature_refusal(world.diana, PASSWORD, code, to="approve").startswith(
            "That code has just been used; wait for the next one.")
        assert mfa.signature_refusal(world.diana, PASSWORD, "000000" if code != "000000" else "111111", to="approve") \
            == "Your password or code was not right. Enter both again to approve."


def _demo(world, user):
    world.trust.is_demo = True
    world.trust.save(update_fields=["is_demo"])
    TOTPDevice.objects.filter(user=user).update(key=mfa.demo_totp_key(user.email))


@override_settings(HARBOUR_DEMO_MODE=True)
def test_r_b6_demo_mode_shows_the_current_code_on_the_sign_off_page(client, world, sign_off):
    _demo(world, world.hana)
    url = reverse("cases:sign_off", args=[sign_off.decision.case_id, sign_off.decision_id])
    with time_machine.travel(AT, tick=False):
        sign_in(client, world.hana)
        page = html.unescape(client.get(url).content.decode())
        assert f'<span class="harbour-demo-code">{code_for(world.hana)}</span>' in page
        mfa.match_token(world.hana, code_for(world.hana))
        used = html.unescape(client.get(url).content.decode())
    assert "harbour-demo-code" not in used
    assert "has just been used. The next one comes in 20 seconds" in used


def test_r_s1_no_code_is_shown_outside_demo_mode(client, world, sign_off):
    url = reverse("cases:sign_off", args=[sign_off.decision.case_id, sign_off.decision_id])
    sign_in(client, world.hana)
    assert "Demo mode" not in client.get(url).content.decode()

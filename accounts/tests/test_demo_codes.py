"""Rule S1: demo mode shows a second-factor code only for the demo trust's own accounts, on this machine.

Before, with HARBOUR_DEMO_MODE on, the code page showed the current code to whoever had signed in with a
password, so demo mode turned every account's second factor off. Where demo mode may run at all is
harbour/tests/test_demo_mode_start.py.
"""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import demo_totp_key
from accounts.models import Membership, TrustMembership
from schools.models import School, Trust
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db
SHOWN = "harbour-demo-code"  # the span that holds a code shown on screen


@pytest.fixture(autouse=True)
def still():
    """The clock stands still, so the code on the page and the code worked out here are the same one."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


@pytest.fixture
def demo(world, settings):
    """A trust built by seed_demo (the flag), one of its accounts with the device seed_demo gives it."""
    settings.HARBOUR_DEMO_MODE = True
    trust = Trust.objects.create(name="Brightwater Learning Trust (demo)", slug="demo-trust", is_demo=True)
    school = School.objects.create(trust=trust, name="Demo Primary", slug="demo-primary", urn="990099",
                                   phase="primary")
    user = make_user("dsl@demo-primary.example", "Demo Dsl", school=school, role="dsl", with_device=False)
    TOTPDevice.objects.create(user=user, name="Demo authenticator", key=demo_totp_key(user.email), confirmed=True)
    return user


def code_of(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def code_page(client, user, **extra):
    sign_in(client, user, verified=False)
    return client.get(reverse("accounts:verify"), **extra).content.decode()


def test_r_s1_a_demo_account_sees_its_code_on_this_machine(client, demo):
    page = code_page(client, demo)
    assert "Demo mode: the current code" in page and code_of(demo) in page


def test_r_s1_a_real_account_never_sees_its_code_in_demo_mode(client, world, demo):
    for user in (world.diana, world.lena, world.adam):  # a school DSL, the trust's leads: a trust not built by the seed
        page = code_page(client, user)
        assert SHOWN not in page and code_of(user) not in page, user


def test_r_s1_a_trust_named_like_the_demo_is_not_the_demo(client, world, demo):
    """The demo trust is known by the flag seed_demo sets, not by its name or slug; and a key derived like a
    demo key on a real account still shows nothing."""
    world.trust.name, world.trust.slug = "Brightwater Learning Trust", "brightwater"
    world.trust.save()
    TOTPDevice.objects.filter(user=world.diana).update(key=demo_totp_key(world.diana.email))
    assert SHOWN not in code_page(client, world.diana)


def test_r_s1_a_demo_account_that_also_belongs_to_a_real_school_sees_nothing(client, world, demo):
    Membership.objects.create(user=demo, school=world.oakfield, role="staff")
    assert SHOWN not in code_page(client, demo)
    Membership.objects.filter(user=demo, school=world.oakfield).delete()
    TrustMembership.objects.create(user=demo, trust=world.trust, role="trust_safeguarding_lead")
    assert SHOWN not in code_page(client, demo)


def test_r_s1_an_app_enrolled_on_a_demo_account_is_never_shown(client, demo):
    TOTPDevice.objects.filter(user=demo).update(key="00" * 20)
    assert SHOWN not in code_page(client, demo)


def test_r_s1_no_code_through_a_proxy_or_from_another_machine(client, demo):
    assert SHOWN in code_page(client, demo)
    assert SHOWN not in code_page(client, demo, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert SHOWN not in code_page(client, demo, REMOTE_ADDR="192.0.2.10")


def test_r_s1_no_code_with_demo_mode_off(client, demo, settings):
    settings.HARBOUR_DEMO_MODE = False
    assert SHOWN not in code_page(client, demo)


def test_r_s1_enrolment_shows_the_code_only_to_a_demo_account(client, world, demo):
    newcomer = make_user("nia@oakfield.example", "Nia New", school=world.oakfield, role="dsl", with_device=False)
    sign_in(client, newcomer, verified=False)
    assert SHOWN not in client.get(reverse("accounts:setup")).content.decode()
    TOTPDevice.objects.filter(user=demo).delete()
    sign_in(client, demo, verified=False)
    page = client.get(reverse("accounts:setup")).content.decode()
    pending = TOTPDevice.objects.get(user=demo, confirmed=False)
    assert f"{TOTP(pending.bin_key).token():06d}" in page

"""Second factors: TOTP apps and one-time recovery codes (django-otp)."""

import hashlib
import hmac
import ipaddress
import math
import secrets
import time

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.log import Action, record

RECOVERY_CODE_COUNT = 10


def has_confirmed_device(user):
    """Whether `user` has enrolled a device Harbour can ask a code of: an app or recovery codes. The second factor
    passed at a school account's provider (accounts.models.ProviderSecondFactor) is not one."""
    from accounts.models import ProviderSecondFactor

    return any(not isinstance(d, ProviderSecondFactor) for d in devices_for_user(user, confirmed=True))


def totp_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user):
    """Return the unconfirmed TOTP device being set up, creating it on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def new_recovery_codes():
    return [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]


@transaction.atomic
def confirm_totp(*, user, device):
    """Confirm a TOTP device and issue fresh recovery codes. Return the codes to show once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = replace_recovery_codes(user=user, audit=False)
    record(actor=user, action=Action.CREATE, object_type="second_factor", object_id=device.persistent_id,
           changed_fields=["totp", "recovery_codes"])
    return codes


@transaction.atomic
def replace_recovery_codes(*, user, audit=True):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = new_recovery_codes()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    if audit:
        record(actor=user, action=Action.UPDATE, object_type="second_factor", object_id=device.persistent_id,
               changed_fields=["recovery_codes"])
    return codes


def match_token(user, token):
    """Return the device that accepts `token` (an app code or a recovery code), or None."""
    token = "".join(token.split())
    if not token.isdigit():
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def seconds_until_next_code(device):
    """Seconds until the app shows a code `device` has not accepted yet (each code is accepted once)."""
    next_at = device.t0 + (device.last_t + 1 - device.drift) * device.step
    return max(1, math.ceil(next_at - time.time()))


def just_used(user, token):
    """The seconds to wait for the next code, when `token` is the app code `user` has just used (to sign in, say):
    it is refused because a code is accepted only once, not because it is wrong. None for any other code."""
    token = "".join((token or "").split())
    device = totp_device(user)
    if not token.isdigit() or device is None or device.last_t < 0 or len(token) != device.digits:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    for t in range(now - device.tolerance, min(now + device.tolerance, device.last_t) + 1):
        totp.time = device.t0 + (t - device.drift) * device.step
        if totp.token() == int(token):
            return seconds_until_next_code(device)
    return None


def signature_refusal(user, password, code, *, to="sign"):
    """Re-entering the password and a code to sign (B6, C3, H4): None when both are right, else what to say.

    A code already used (most often the one just used to sign in) is told apart from a wrong one, with the seconds
    until the next (issue 20.7). The password is checked first: a wrong one says nothing about the code."""
    if not user.check_password(password or ""):
        return f"Your password or code was not right. Enter both again to {to}."
    used = just_used(user, code)
    if match_token(user, code or "") is not None:
        return None
    if used is not None:
        return (f"That code has just been used; wait for the next one. Your app shows it in {used} second"
                f"{'s' if used != 1 else ''}.")
    return f"Your password or code was not right. Enter both again to {to}."


def demo_totp_key(email):
    """Demo accounts' TOTP keys are derived from the secret key so demo mode can show codes."""
    return hmac.new(settings.SECRET_KEY.encode(), b"demo-totp:" + email.encode(), hashlib.sha256).hexdigest()[:40]


def _from_this_machine(request):
    """The request came straight from this machine, not through a proxy."""
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
    return loopback and not any(h in request.META for h in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED"))


def is_demo_account(user):
    """Whether every place `user` belongs to is in a trust that `seed_demo` built (Trust.is_demo)."""
    from accounts.models import Membership, TrustMembership

    trusts = set(Membership.objects.filter(user=user).values_list("school__trust__is_demo", flat=True))
    trusts |= set(TrustMembership.objects.filter(user=user).values_list("trust__is_demo", flat=True))
    return trusts == {True}


def demo_code(request, device):
    """The code to show on screen in demo mode, or None.

    Demo mode is for a laptop (harbour/checks.py refuses it anywhere else), and even there a code is shown only
    for an account of the demo trust, on a request from this machine. On the code check the device must also be
    the one `seed_demo` made (its key derived from SECRET_KEY), so an app someone enrolled is never given away;
    an app being enrolled is shown to the person enrolling it anyway.
    """
    user = request.user
    if not settings.HARBOUR_DEMO_MODE or device is None or not _from_this_machine(request):
        return None
    if not is_demo_account(user):
        return None
    if device.confirmed and not hmac.compare_digest(device.key, demo_totp_key(user.email)):
        return None
    return current_code(device)


def demo_signing_code(request):
    """Demo mode, on a page that asks for a code to sign: {"code", "wait"} as sign-in shows it, `wait` being the
    seconds until the next code when the current one has been used already; None outside demo mode."""
    if not settings.HARBOUR_DEMO_MODE or not request.user.is_authenticated:
        return None
    device = totp_device(request.user)
    code = demo_code(request, device)
    if code is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return {"code": code, "wait": seconds_until_next_code(device) if device.last_t >= totp.t() else None}


# Why a second factor is reset (B10: every decision has its reason). Chosen from a list, not written: the audit
# trail keeps small facts, never a narrative.
RESET_REASONS = {
    "lost_phone": "Their phone was lost, stolen or broken",
    "new_phone": "They have a new phone",
    "no_recovery_codes": "They have no recovery codes left",
}


@transaction.atomic
def reset_second_factor(*, user, by, reason, school):
    """Remove `user`'s authenticator app and recovery codes, so that the next time they sign in they set up a new
    one. A session verified with the old app is no longer verified, so it is asked again at once. Return how many
    devices were removed."""
    if reason not in RESET_REASONS:
        raise ValueError(f"Unknown reason {reason!r}")
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticToken.objects.filter(device__user=user).delete()
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    record(actor=by, action=Action.UPDATE, object_type="user", object_id=user.id, changed_fields=["second_factor"],
           school=school, detail={"reason": reason, "devices_removed": removed})
    from accounts.invitations import email_second_factor_reset

    transaction.on_commit(lambda: email_second_factor_reset.enqueue(user_id=user.id, school_name=school.name))
    return removed


def users_with_second_factor(school):
    """The ids of `school`'s staff who have set up an authenticator app or recovery codes (two queries)."""
    members = school.memberships.values("user_id")
    return (set(TOTPDevice.objects.filter(user__in=members, confirmed=True).values_list("user_id", flat=True))
            | set(StaticDevice.objects.filter(user__in=members, confirmed=True).values_list("user_id", flat=True)))

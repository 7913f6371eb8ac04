"""P5: a small limiter for the pupils' page, over the database (so every web process counts the same hits).

A source is a device (a random cookie the page sets, holding nothing else) or a network (the client's address,
`lib.client_ip`). Only keyed hashes of them are kept, with the time, and deleted after two days. A school's whole
network may be one address, so the network's limits are generous and the device's are tight.

The same hits remember which report a device or network sent (`recent_report`), so the same words sent again are
gathered onto it rather than making a second concern (P5).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from concerns.models import PupilLimitHit
from lib.client_ip import client_ip

DEVICE_COOKIE = "harbour_tell_device"
KEEP_FOR = timedelta(days=2)
WINDOW = timedelta(hours=1)
# {action: (per device, per network)} in WINDOW.
LIMITS = {
    "report": (5, 60),  # reports sent
    "more": (10, 120),  # more words added with a code
    "code": (10, 60),  # receipt codes tried that opened nothing: codes cannot be tried one after another
}


def _key(text):
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def device_token(request):
    """The device's cookie value, or a new one for the view to set (`set_device`)."""
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    if len(token) != 32 or not token.isalnum():
        token = secrets.token_hex(16)
    return token


def set_device(response, token):
    response.set_cookie(DEVICE_COOKIE, token, max_age=60 * 60 * 24 * 30, httponly=True, samesite="Strict",
                        secure=settings.SESSION_COOKIE_SECURE, path="/tell/")
    return response


def sources(request, token):
    """Keyed hashes of the device and the network a request came from."""
    return [_key(f"device:{token}"), _key(f"network:{client_ip(request)}")]


def _bucket(action, source):
    return _key(f"{action}:{source}")


def over(action, sources):
    """Whether either source has reached its limit for `action` in the last hour."""
    since = timezone.now() - WINDOW
    for source, limit in zip(sources, LIMITS[action], strict=True):
        if PupilLimitHit.objects.filter(bucket=_bucket(action, source), at__gte=since).count() >= limit:
            return True
    return False


def hit(action, sources):
    """Count one use of `action` by each source, and forget what is older than two days."""
    now = timezone.now()
    PupilLimitHit.objects.bulk_create([PupilLimitHit(bucket=_bucket(action, s), at=now) for s in sources])
    PupilLimitHit.objects.filter(at__lt=now - KEEP_FOR).delete()


def remember_report(source, words_hash, report_id):
    PupilLimitHit.objects.create(bucket=_bucket("sent", source), at=timezone.now(), report_id=report_id,
                                 words_hash=words_hash)


def recent_report(source, words_hash, *, since):
    """The id of the report this source sent with these words since `since`, or None."""
    return (PupilLimitHit.objects.filter(bucket=_bucket("sent", source), words_hash=words_hash, at__gte=since)
            .order_by("-at").values_list("report_id", flat=True).first())

"""The address a request came from, counting the reverse proxies in front of Harbour.

Behind N proxies, REMOTE_ADDR is the nearest proxy's address, and each proxy appends the address it was reached
from to X-Forwarded-For. So the client's address is the Nth entry from the right: anything further left was
written by the client and may be anything. With no proxy configured (HARBOUR_PROXY_COUNT=0) the header is
ignored. When there are fewer entries than proxies, or the entry is not an address, the request did not come
through every proxy as configured: REMOTE_ADDR is used, never the header.

django-axes uses this for lockouts (AXES_CLIENT_IP_CALLABLE), so a lockout is per account *and* per client.
"""

import ipaddress

from django.conf import settings


def _address(text):
    text = text.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request):
    """Return the client's address as text (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.HARBOUR_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _address(forwarded[-count]) or remote

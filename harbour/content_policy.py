"""django-csp's middleware, with the policy written once per process (issue 24).

The Content-Security-Policy header is a function of the settings and of the response's nonce. django-csp builds it
afresh on every response (copying the settings' directives into dataclasses and sorting, ~330 function calls);
this writes it once, with a marker where the nonce goes, and puts each response's own nonce in its place: the same
header, byte for byte (harbour/tests/test_content_policy.py), and a fresh nonce on every response as before. A response
that asks for its own policy (django-csp's decorators set `_csp_*` attributes) takes django-csp's path unchanged, as
does everything else the middleware does (the nonce on the request, the debug pages, the report-only header).
"""

import http.client

from csp import middleware
from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Set on a response by django-csp's decorators: such a response has a policy of its own.
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
               "_csp_exempt", "_csp_exempt_ro")
_MARKER = "harbour-csp-nonce-marker"
_policies = {}  # has a nonce → (the policy with the marker for it, where the marker is), from the settings alone


def _policy(nonce):
    has_nonce = bool(nonce)  # as build_policy: no nonce (or an empty one) and the nonce's place is left out
    try:
        written = _policies[has_nonce]
    except KeyError:
        written = _policies[has_nonce] = build_policy(nonce=_MARKER if has_nonce else None)
    return written.replace(_MARKER, nonce) if has_nonce else written


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()


class CSPMiddleware(middleware.CSPMiddleware):
    def process_response(self, request, response):
        if (getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
                or any(hasattr(response, name) for name in _OWN_POLICY)
                or (settings.DEBUG and response.status_code in (http.client.INTERNAL_SERVER_ERROR,
                                                                http.client.NOT_FOUND))):
            return super().process_response(request, response)
        csp = _policy(getattr(request, "_csp_nonce", None))
        if csp and HEADER not in response:
            prefixes = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[HEADER] = csp
        # As django-csp: once the header is written, asking for the nonce is an error, not a nonce the header lacks.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

"""What an API token may do: its scopes, chosen by the trust administrator.

A token is not a person and holds no role. Its scopes are the API's own vocabulary;
`CAPABILITIES` says which of the capability table's capabilities a scope lends the
token's account when an API call reuses an action written for people (for example
`submit_concern`, which asks for REPORT_CONCERN).
"""

from django.db import models

from accounts.capabilities import Capability


class Scope(models.TextChoices):
    CONCERNS_CREATE = "concerns:create", "Report concerns"
    CONCERNS_READ = "concerns:read", "Read the status of concerns"
    CASES_READ = "cases:read", "Read the status of cases (never what is in them)"
    PUPILS_READ = "pupils:read", "Look up pupils by UPN"
    PROCEDURES_EVALUATE = "procedures:evaluate", "Evaluate a procedure against answers"
    ALERTS_CREATE = "alerts:create", "Send filtering and monitoring alerts"
    POLICE_NOTICES_CREATE = "police-notices:create", "Send Operation Encompass police notices"


CAPABILITIES = {
    Scope.CONCERNS_CREATE: {Capability.REPORT_CONCERN},
    Scope.ALERTS_CREATE: {Capability.REPORT_CONCERN},
    # J4: a police notice is recorded as a concern, so the token reports one too.
    Scope.POLICE_NOTICES_CREATE: {Capability.RECORD_POLICE_NOTICES, Capability.REPORT_CONCERN},
}


def capabilities_of(scopes):
    caps = set()
    for scope in scopes:
        caps |= CAPABILITIES.get(scope, set())
    return frozenset(caps)

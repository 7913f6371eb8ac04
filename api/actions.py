"""Writes for the API: tokens (made and revoked by the trust administrator) and alerts in (A5).

Each checks access, saves and audits in one transaction (see audit.log.record).
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from accounts.capabilities import Capability
from accounts.models import User
from api import monitoring, tokens
from api.models import ApiToken, MonitoringAlert
from api.scopes import Scope
from audit.log import Action, record
from concerns import alert_groups
from concerns.actions import Report, submit_concern
from concerns.models import ChildRole, IncidentType
from lib.errors import ActionError

# Names the alerts' concerns by their service and alert id, so a repeat has the same key.
ALERT_NAMESPACE = uuid.UUID("6f1c2a4e-9d8b-4b7a-8f0e-3c5d7a9b1e20")


class TokenError(ActionError):
    """A token cannot be made as asked; each message is keyed by the field to change."""


def _require_manager(user, school):
    if school is None or not user.access.can(Capability.MANAGE_PEOPLE, school):
        raise Http404("Not found")


def create_token(*, user, school, name, scopes):
    """Make a token for `school`. Return (token, secret): the secret is never stored or shown again."""
    _require_manager(user, school)
    name = " ".join((name or "").replace("\x00", "").split())
    scopes = sorted(set(scopes or ()))
    errors = {}
    if not name:
        errors["name"] = "Give the token a name, such as the service that will use it."
    elif len(name) > 100:
        errors["name"] = "Keep the name to 100 characters."
    if not scopes:
        errors["scopes"] = "Choose at least one thing this token may do."
    elif not set(scopes) <= set(Scope.values):
        errors["scopes"] = "Choose from the list."
    if errors:
        raise TokenError(errors)
    secret = tokens.new_secret()
    now = timezone.now()
    with transaction.atomic():
        account = User.objects.create(email=f"api-token-{uuid.uuid4().hex}@api.harbour.invalid",
                                      full_name=f"{name} (API token, {school.name})"[:200],
                                      password=make_password(None))
        token = ApiToken.objects.create(school=school, name=name, prefix=secret[:len(tokens.PREFIX) + 6],
                                        token_hash=tokens.digest(secret), scopes=scopes, account=account,
                                        created_by=user, created_at=now)
        record(actor=user, action=Action.CREATE, object_type="api_token", object_id=token.id, school=school,
               changed_fields=["name", "scopes"], detail={"scopes": scopes})
    return token, secret


def get_token_to_manage(user, token_id):
    token = ApiToken.objects.select_related("school", "account").filter(id=token_id).first()
    if token is None:
        raise Http404("No such token")
    _require_manager(user, token.school)
    return token


@transaction.atomic
def revoke_token(*, user, token):
    """Stop a token working at once. Its history stays, and its account is closed."""
    _require_manager(user, token.school)
    token = ApiToken.objects.select_for_update().select_related("account").get(id=token.id)
    if not token.is_active:
        return token
    now = timezone.now()
    token.revoked_at, token.revoked_by = now, user
    token.save(update_fields=["revoked_at", "revoked_by"])
    account = token.account
    account.is_active, account.deactivated_at = False, now
    account.save(update_fields=["is_active", "deactivated_at"])
    record(actor=user, action=Action.UPDATE, object_type="api_token", object_id=token.id, school=token.school_id,
           changed_fields=["revoked_at", "revoked_by"])
    return token


@dataclass
class Alert:
    """A filtering or monitoring alert, already checked by the API's schema (no imagery)."""

    source: str
    alert_id: str
    occurred_at: object
    category: str
    severity: str
    user: str = ""
    device: str = ""
    url: str = ""
    matched_text: str = ""
    pupil: object = None


def _alert_report(alert: Alert) -> Report:
    who = "; ".join(part for part in (f"user {alert.user}" if alert.user else "",
                                      f"device {alert.device}" if alert.device else "") if part)
    seen = f"{alert.category} (severity: {alert.severity})"
    if alert.matched_text:
        seen += f". Matched text: {alert.matched_text}"
    account = (f"Alert {alert.alert_id} from {alert.source}: {alert.category}, severity {alert.severity}, "
               f"for {who}." + (f" Web address: {alert.url}." if alert.url else ""))
    return Report(
        incident_type=IncidentType.FILTERING_BREACH, account=account, occurred_at=alert.occurred_at,
        breach_url=alert.url, breach_device_or_user=who[:200], breach_seen=seen,
        children=[(alert.pupil, ChildRole.OTHER)] if alert.pupil else [],
    )


def receive_alert(*, token, alert: Alert):
    """A5: a monitoring alert becomes a filtering-or-monitoring concern in the DSL inbox.

    Return (concern, created). The same source and alert id at the same school return the
    concern made the first time, whichever token sends it again.
    """
    if not token.has_scope(Scope.ALERTS_CREATE):
        raise Http404("Not found")
    school, source = token.school, alert.source.lower()[:60]
    existing = _existing_alert(school, source, alert.alert_id)
    if existing is not None:
        return existing, False
    key = uuid.uuid5(ALERT_NAMESPACE, f"{school.id}\n{source}\n{alert.alert_id}")
    try:
        with transaction.atomic():
            if alert.pupil is None and alert.user:
                # The service names a login: the pupil it belongs to, or kept for the DSL team to match.
                alert.pupil = monitoring.pupil_for(school=school, login=alert.user)
            concern, created = submit_concern(user=token.account, school=school, report=_alert_report(alert),
                                              idempotency_key=key)
            if created:
                term = alert_groups.term_key(alert.matched_text)
                MonitoringAlert.objects.create(school=school, source=source, alert_id=alert.alert_id,
                                               concern=concern, token=token, received_at=timezone.now(),
                                               login=monitoring.key(alert.user), term=term)
                # P7: the same term for several pupils within the hour is one inbox item, with one notice.
                alert_groups.gather(concern=concern, term=term)
    except IntegrityError:
        # The same alert arrived twice at once: the other request won.
        existing = _existing_alert(school, source, alert.alert_id)
        if existing is None:
            raise
        return existing, False
    return concern, created


def _existing_alert(school, source, alert_id):
    row = MonitoringAlert.objects.filter(school=school, source=source, alert_id=alert_id).select_related(
        "concern").first()
    return row.concern if row else None



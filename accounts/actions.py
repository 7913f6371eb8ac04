"""Writes to accounts: each checks, saves, and audits in one transaction."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.log import Action, record


@transaction.atomic
def deactivate_user(*, user: User, by: User):
    """Close an account. Its sessions stop working at once; its history stays."""
    if not user.is_active:
        return user
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    record(actor=by, action=Action.UPDATE, object_type="user", object_id=user.id,
           changed_fields=["is_active", "deactivated_at"])
    return user

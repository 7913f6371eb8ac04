from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from audit import chain

        # The append-only triggers call this; the sqlite3 shell does not have it, so
        # an edit made there is refused too ("no such function").
        connection.connection.create_function(
            "harbour_audit_purge_allowed", 0, chain.purge_allowed, deterministic=False
        )


def head_is_recorded(app_configs, **kwargs):
    """Deployment: without a head file, events deleted from the end of the trail would go unnoticed."""
    from django.conf import settings
    from django.core.checks import Warning

    if settings.HARBOUR_AUDIT_HEAD_FILE:
        return []
    return [Warning("HARBOUR_AUDIT_HEAD_FILE is empty: the audit trail's head is written to the log only, and "
                    "verify_audit cannot tell if its newest events are deleted.",
                    hint="Set it to a file the database's users cannot write (audit/head.py).", id="audit.W001")]


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from django.core.checks import register

        connection_created.connect(_register_sqlite_functions, dispatch_uid="harbour_audit_sqlite_functions")
        register(head_is_recorded, "security", deploy=True)

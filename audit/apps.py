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


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        connection_created.connect(_register_sqlite_functions, dispatch_uid="harbour_audit_sqlite_functions")

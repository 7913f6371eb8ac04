"""Django's database sessions, with the one read every request makes written as plain SQL (issue 24).

`SessionStore.load()` reads the session's row by its key, only if it has not expired: the same row, the same
condition and the same handling of a key that is not there as Django's `db.SessionStore`; building that query through
the ORM cost about 750 function calls on every request, for a lookup by primary key. Everything else (saving, creating,
cycling, deleting, clearing expired sessions) is Django's, unchanged.
"""

from functools import lru_cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@lru_cache(maxsize=None)
def _sql(alias, model):
    q, meta = connections[alias].ops.quote_name, model._meta
    return (f"SELECT {q(meta.get_field('session_data').column)} FROM {q(meta.db_table)}"  # nosec B608 - names from the model
            f" WHERE {q(meta.pk.column)} = %s AND {q(meta.get_field('expire_date').column)} > %s")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The session's row (with only its data filled in: all that load() reads), or None as Django gives it."""
        model = self.model
        key = self.session_key
        if key is None:  # Django's query with a NULL key finds nothing
            self._session_key = None
            return None
        alias = router.db_for_read(model)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(_sql(alias, model), [key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does when the session is missing or has expired
            return None
        return model.from_db(alias, ["session_key", "session_data"], [key, row[0]])

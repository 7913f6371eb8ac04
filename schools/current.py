"""The school a signed-in person is working in now (they may belong to several)."""

from functools import lru_cache

from django.db import connections, router

from schools.models import School

SESSION_KEY = "harbour_school_id"
# What the layout and the school switcher read; any other field is read from the database if something asks for it.
# In the model's order of fields, which is the order Model.from_db takes a partial row in.
_FIELDS = tuple(f.attname for f in School._meta.concrete_fields if f.attname in {"id", "name", "slug", "nation"})


@lru_cache(maxsize=256)
def _sql(db, count):
    """`School.objects.filter(id__in=…).only(*_FIELDS)` in its order (the model's: by name), written once per database
    alias and number of schools from the model's own table and column names: on every page the ORM took longer to
    build the query than the database took to run it (issue 24)."""
    q = connections[db].ops.quote_name
    meta = School._meta
    columns = ", ".join(q(meta.get_field(name).column) for name in _FIELDS)
    order = ", ".join(f"{q(meta.get_field(name.lstrip('-')).column)} {'DESC' if name.startswith('-') else 'ASC'}"
                      for name in meta.ordering)
    places = ", ".join(["%s"] * count)
    return (f"SELECT {columns} FROM {q(meta.db_table)}"  # nosec B608 - names from the model; the ids are parameters
            f" WHERE {q(meta.pk.column)} IN ({places}) ORDER BY {order}")


def switchable_schools(request):
    """Return the schools the user holds any role in (one query, cached on the request)."""
    if not hasattr(request, "_harbour_schools"):
        request._harbour_schools = _schools(request.user.access.school_ids())
    return request._harbour_schools


def _schools(ids):
    if not ids:
        return []  # as the ORM: no query for no schools
    db = router.db_for_read(School)
    with connections[db].cursor() as cursor:
        cursor.execute(_sql(db, len(ids)), list(ids))
        rows = cursor.fetchall()
    # Text and whole numbers: no column here needs the ORM's converters on either database.
    return [School.from_db(db, _FIELDS, row) for row in rows]


def current_school(request):
    schools = switchable_schools(request)
    if not schools:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((s for s in schools if s.id == wanted), schools[0])

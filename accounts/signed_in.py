"""Who is signed in: the user, their second factor and their roles, read in one query per request (issue 24.2).

Django's AuthenticationMiddleware reads the user (one query), django-otp's OTPMiddleware the device the session was
verified with (a second), and `user.access` the roles (two more). `SignedInMiddleware` replaces the first two and
reads all of it in one query: the user's row, whether the session's device still exists, is confirmed and is theirs,
and their school and trust roles joined into two strings by subqueries. Nothing is cached between requests, so
everything that ends or narrows a session takes effect on the very next request exactly as before: a deactivated
account, a removed membership or changed role, a removed or unconfirmed device, a new password (the session's hash no
longer matches: every other session is signed out).

The checks are Django's own (`django.contrib.auth.get_user`: the backend must be listed, the session hash must match,
a fallback secret's hash cycles the key) and django-otp's (`OTPMiddleware`: the device must be confirmed and the
user's, else it is forgotten). A session from a backend that is not a ModelBackend takes Django's path unchanged.
"""

import functools
import weakref
from contextlib import suppress
from functools import lru_cache

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware, is_verified
from django_otp.models import Device

from accounts.access import UserAccess


@lru_cache(maxsize=None)
def _sql(db, device_model):
    """The query, written once per database alias and device model from the models' own table and column names (the ORM
    took longer to build it, subqueries and all, on every request than the database took to run it). Its parameters:
    the device id and True (when there is a device model), then the user id. Its columns: the user's, then their
    school roles as "school:role,…", their trust roles as "trust:role:school,…" (one per school of the trust, the
    school empty for a trust with none), then whether the device verifies them (NULL without a device model)."""
    from accounts.models import Membership, TrustMembership, User

    q, vendor = connections[db].ops.quote_name, connections[db].vendor

    def joined(*columns):
        parts = " || ':' || ".join(f"COALESCE(CAST({c} AS TEXT), '')" for c in columns)
        return f"STRING_AGG({parts}, ',')" if vendor == "postgresql" else f"GROUP_CONCAT({parts}, ',')"

    schools = TrustMembership._meta.get_field("trust").related_model._meta.get_field("schools")
    school_table, school_trust = q(schools.related_model._meta.db_table), q(schools.field.column)
    user_id, uid = q("user_id"), f"u.{q('id')}"
    school_roles = (f"(SELECT {joined('m.' + q('school_id'), 'm.' + q('role'))}"  # nosec B608 - model names
                    f" FROM {q(Membership._meta.db_table)} m WHERE m.{user_id} = {uid})")
    trust_roles = (f"(SELECT {joined('t.' + q('trust_id'), 't.' + q('role'), 's.' + q('id'))}"  # nosec B608 - model names
                   f" FROM {q(TrustMembership._meta.db_table)} t"
                   f" LEFT JOIN {school_table} s ON s.{school_trust} = t.{q('trust_id')} WHERE t.{user_id} = {uid})")
    device = "NULL"
    if device_model is not None:
        device = (f"EXISTS(SELECT 1 FROM {q(device_model._meta.db_table)} d"  # nosec B608 - a model's table name
                  f" WHERE d.{q('id')} = %s AND d.{user_id} = {uid} AND d.{q('confirmed')} = %s)")
    columns = ", ".join(f"u.{q(f.column)}" for f in User._meta.concrete_fields)
    # B608 waived here and above: every name comes from the models; the ids are parameters.
    return (f"SELECT {columns}, {school_roles}, {trust_roles}, {device}"  # nosec B608 - names from the models
            f" FROM {q(User._meta.db_table)} u WHERE {uid} = %s")


def _split(joined, width):
    """"1:dsl,2:staff" → [(1, "dsl"), (2, "staff")]; an empty part is None."""
    rows = []
    for item in (joined or "").split(","):
        if item:
            values = item.split(":")
            assert len(values) == width, joined  # nosec B101 - the query wrote these; another width is a bug
            rows.append(tuple(int(v) if v.isdigit() else (v or None) for v in values))
    return rows


def _user_from_row(db, connection, values):
    """The user's model instance from its columns, converted as the ORM converts them (SQLite's dates, say)."""
    from accounts.models import User

    converted = list(values)
    for i, column, converters in _converters(connection):
        value = converted[i]
        for converter in converters:
            value = converter(value, column, connection)
        converted[i] = value
    return User.from_db(db, _attnames(), converted)


# The ORM's converters of each user column on a connection: a function of the model and the database backend, asked
# for once per connection rather than on every request (~120 function calls). Weakly held: a closed thread's
# connection is forgotten with it.
_user_converters = weakref.WeakKeyDictionary()


def _converters(connection):
    try:
        return _user_converters[connection]
    except KeyError:
        from accounts.models import User

        found = []
        for i, field in enumerate(User._meta.concrete_fields):
            column = field.get_col(User._meta.db_table)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if converters:
                found.append((i, column, converters))
        return _user_converters.setdefault(connection, found)


@lru_cache(maxsize=None)
def _attnames():
    from accounts.models import User

    return tuple(f.attname for f in User._meta.concrete_fields)


def _device_model(persistent_id):
    """(device model, id) named by a session's device id, or None (django-otp's Device.from_persistent_id)."""
    persistent_id = OTPMiddleware._normalize_persistent_id(persistent_id)
    with suppress(ValueError, LookupError):
        label, device_id = persistent_id.rsplit("/", 1)
        model = apps.get_model(*label.split("."))
        if issubclass(model, Device):
            return model, int(device_id)
    return None


def _load(request, backend, user_id):
    """The user with `otp_device` and `access` filled in, from one query; None if there is no such user."""
    from accounts.models import User

    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    device = _device_model(persistent_id) if persistent_id else None
    model, device_id = device or (None, None)
    db = router.db_for_read(User)
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(_sql(db, model), [*([device_id, True] if model else []), user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(User._meta.concrete_fields)
    user = _user_from_row(db, connection, row[:width])
    if not backend.user_can_authenticate(user):
        return None
    school_roles, trust_roles, verified = row[width:]
    user.__dict__["access"] = UserAccess(user, rows=(_split(school_roles, 2), _split(trust_roles, 3)))
    user.otp_device = None
    if verified:
        # Only what the check above read; any other field is read from the database if something asks for it.
        user.otp_device = model.from_db(db, ["id", "user_id", "confirmed"], [device_id, user.pk, True])
    elif persistent_id:
        del request.session[DEVICE_ID_SESSION_KEY]  # as django-otp forgets a device that no longer verifies
    return user


def _verified_session(request, user):
    """Django's session check (django.contrib.auth.get_user): the hash of the user's password must match."""
    session_hash = request.session.get(HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current):
        return True
    if session_hash and any(constant_time_compare(session_hash, fallback)
                            for fallback in user.get_session_auth_fallback_hash()):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = current
        return True
    request.session.flush()
    return False


def _anonymous():
    user = AnonymousUser()
    user.otp_device = None
    user.is_verified = functools.partial(is_verified, user)
    return user


def signed_in_user(request):
    """request.user: the signed-in user (with `otp_device`, `is_verified()` and `access`), or an AnonymousUser."""
    try:
        user_id = get_user_model_pk(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except (KeyError, ValueError):
        return _anonymous()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return _anonymous()
    backend = load_backend(backend_path)
    if not isinstance(backend, ModelBackend):
        return _with_device_the_slow_way(request)
    user = _load(request, backend, user_id)
    if user is None or not _verified_session(request, user):
        return _anonymous()
    user.is_verified = functools.partial(is_verified, user)
    return user


def get_user_model_pk(value):
    from accounts.models import User

    return User._meta.pk.to_python(value)


def _with_device_the_slow_way(request):
    """Django's get_user and django-otp's device check, as their middleware would do them (a few queries)."""
    user = get_user(request)
    OTPMiddleware._init_user_fields(user)
    if user.is_authenticated:
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = Device.from_persistent_id(OTPMiddleware._normalize_persistent_id(persistent_id)) if persistent_id \
            else None
        user.otp_device = OTPMiddleware._finalize_device(request, user, device)
    return user


class SignedInMiddleware(AuthenticationMiddleware):
    """In place of AuthenticationMiddleware and django-otp's OTPMiddleware: request.user as both leave it, read in
    one query when first used."""

    def process_request(self, request):
        super().process_request(request)  # its check that sessions come first
        request.user = SimpleLazyObject(lambda: signed_in_user(request))
        request.auser = functools.partial(_auser, request)


async def _auser(request):
    def load():
        user = request.user
        user.is_authenticated  # noqa: B018 - reading it loads the lazy user
        return user._wrapped

    return await sync_to_async(load)()

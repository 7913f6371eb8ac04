"""Harbour's one settings module, driven by environment variables.

Every variable is read here and nowhere else. A bad value fails loudly at start-up
(healthchecks' `envbool`/`envint` pattern). Production is the default: DEBUG off,
HTTPS on, real second factors. `make run` switches on the clearly marked demo mode
over plain HTTP on 127.0.0.1; demo mode refuses to start anywhere else (harbour/checks.py),
and `manage.py check --deploy` refuses it outright.
"""

from datetime import timedelta
from pathlib import Path
import os

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. `make run` creates var/local.env for a laptop; "
            "a server must set it in its environment."
        )
    return value


DEBUG = envbool("DEBUG", False)
HARBOUR_DEMO_MODE = envbool("HARBOUR_DEMO_MODE", False)
HARBOUR_HTTPS = envbool("HARBOUR_HTTPS", True)

def envkeys(name, *, hex_bytes=None, min_length=32):
    """Comma-separated keys (oldest first), each checked like the current one. Empty: none."""
    keys = [k.strip() for k in env(name, "").split(",") if k.strip()]
    return [_key(name, k, hex_bytes=hex_bytes, min_length=min_length) for k in keys]


def _key(name, value, *, hex_bytes=None, min_length=32):
    if hex_bytes:
        try:
            key = bytes.fromhex(value)
        except ValueError:
            key = b""
        if len(key) != hex_bytes:
            raise ImproperlyConfigured(f"{name} must be {hex_bytes * 2} hexadecimal characters, e.g. "
                                       "python -c 'import secrets;print(secrets.token_hex(32))'")
        return key
    if len(value) < min_length:
        raise ImproperlyConfigured(f"{name} must be at least {min_length} characters long")
    return value.encode()


SECRET_KEY = required("SECRET_KEY")
# The audit chain's HMAC key. It lives only in the environment, never in the database,
# so someone who can edit the database cannot re-sign a tampered trail. It seals the trail and
# nothing else. Each event names the key that sealed it (audit.chain.key_id); after a rotation the
# old keys stay here, oldest first, so `verify_audit` can check the events they sealed (docs/keys.md).
HARBOUR_AUDIT_KEY = _key("HARBOUR_AUDIT_KEY", required("HARBOUR_AUDIT_KEY"))
HARBOUR_AUDIT_RETIRED_KEYS = envkeys("HARBOUR_AUDIT_RETIRED_KEYS")
# Wraps the schools' transfer private keys (transfers/keys.py), and nothing else: 32 random bytes as hex.
# Retired keys are only needed until `manage.py rewrap_transfer_keys` has run (docs/keys.md).
HARBOUR_TRANSFER_KEY = _key("HARBOUR_TRANSFER_KEY", required("HARBOUR_TRANSFER_KEY"), hex_bytes=32)
HARBOUR_TRANSFER_RETIRED_KEYS = envkeys("HARBOUR_TRANSFER_RETIRED_KEYS", hex_bytes=32)
# Seals the client secrets of the school accounts (Microsoft, Google) a trust connects for signing in
# (lib/sealed.py), and nothing else: 32 random bytes as hex. Optional: without it no client secret can be saved, and
# the page that connects an account says so. After a rotation keep the old key among the retired ones until every
# trust has saved its secret again (docs/sign-in.md).
HARBOUR_SECRETS_KEY = _key("HARBOUR_SECRETS_KEY", env("HARBOUR_SECRETS_KEY"), hex_bytes=32) if env(
    "HARBOUR_SECRETS_KEY") else None
HARBOUR_SECRETS_RETIRED_KEYS = envkeys("HARBOUR_SECRETS_RETIRED_KEYS", hex_bytes=32)
# Tests only: a provider's issuer may be plain http on this machine's loopback address (a provider the tests start).
HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP = envbool("HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP", False)
# Where the audit trail's head is appended, hourly and on every backup (audit/head.py), so that events deleted
# from the end of the trail are noticed. Put it where the database's users cannot write. Empty: the log only.
HARBOUR_AUDIT_HEAD_FILE = env("HARBOUR_AUDIT_HEAD_FILE", str(BASE_DIR / "var" / "audit-head.log"))
# Where the daily backup timer writes its encrypted backups (`manage.py run_scheduled backup`), and how many of the
# newest it keeps there; copy them off the server too (docs/deploy.md). The key is HARBOUR_BACKUP_KEY (docs/keys.md).
HARBOUR_BACKUP_DIR = Path(env("HARBOUR_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
HARBOUR_BACKUP_KEEP = envint("HARBOUR_BACKUP_KEEP", 14)
if HARBOUR_BACKUP_KEEP < 0:
    raise ImproperlyConfigured("HARBOUR_BACKUP_KEEP must be 0 (keep all) or more")
if HARBOUR_TRANSFER_KEY in HARBOUR_TRANSFER_RETIRED_KEYS or HARBOUR_AUDIT_KEY in HARBOUR_AUDIT_RETIRED_KEYS:
    raise ImproperlyConfigured("A current key is also listed among the retired ones")

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "lib",
    "audit",
    "schools",
    "accounts",
    "notifications",
    "procedures",
    "concerns",
    "cases",
    "advice",
    "evidence",
    "registers",
    "records",
    "communications",
    "transfers",
    "api",
    "imports",
    "demo",
    "backups",
    "harbour",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # django-csp's, with the policy written once and each response's nonce put in it (harbour/content_policy.py).
    "harbour.content_policy.CSPMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the form: NUL characters removed from submitted values (harbour/input.py).
    "harbour.input.CleanInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware and django-otp's OTPMiddleware in one: the user, their second factor and
    # roles in one query (issue 24.2, accounts/signed_in.py).
    "accounts.signed_in.SignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    # J8: English, or Welsh at a school in Wales for someone who chose it (lib/i18n.py).
    "harbour.middleware.LanguageMiddleware",
    # After the sign-in, second-factor and CSRF checks: a form over the limits is refused kindly (harbour/limits.py).
    "harbour.limits.FormLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "harbour.middleware.NoStoreMiddleware",
    # After the view: a page about a record that wrote no view event gets one (H2).
    "audit.middleware.RecordReadMiddleware",
    # django-axes must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "harbour.urls"
WSGI_APPLICATION = "harbour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "harbour" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "harbour.jinja2.environment",
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "harbour.context_processors.harbour",
                "harbour.jinja2.per_page",
            ],
        },
    },
    {
        # Only for third-party pages Harbour does not render itself (none today).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
    },
]

# --- Database -----------------------------------------------------------------
# PostgreSQL in production from one DATABASE_URL; otherwise an embedded SQLite file.
# SQLite settings measured on this kind of machine: WAL with synchronous=NORMAL lost
# acknowledged commits after simulated power loss, so synchronous=FULL; Django's
# default DEFERRED transactions failed 1,400 of 1,600 concurrent read-then-write
# transactions with "database is locked", IMMEDIATE failed none.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}
DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    import dj_database_url

    DATABASES = {
        # Persistent connections: CONN_MAX_AGE=0 halved PostgreSQL page throughput here.
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("HARBOUR_SQLITE_PATH", str(BASE_DIR / "var" / "harbour.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
            # Persistent connections: opening one and setting its PRAGMAs cost ~12 ms per request (bench/).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches ----------------------------------------------------------------------
# "fragments" keeps what can never change: each chronology entry's HTML (issue 24.1, cases/chronology.py), one key
# per case. Local memory, per server process (no cache server): at most 300 cases, about 75 KB each for 50 entries,
# so at most about 25 MB a process; the least recently used third is dropped when it is full.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "harbour-fragments",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}

# --- Authentication -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if envbool("HARBOUR_FAST_PASSWORD_HASHING", False):  # tests only: MD5 keeps the suite fast
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# H4: allegations against staff are kept until normal retirement age or 10 years, whichever is longer.
HARBOUR_RETIREMENT_AGE = envint("HARBOUR_RETIREMENT_AGE", 67)

# Lockout keyed on username and IP together: a school shares one IP address, so
# locking one user must not lock the whole staff room.
AXES_FAILURE_LIMIT = envint("HARBOUR_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("HARBOUR_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form's field is "username" (it holds the email address). Without this axes
# reads "email", finds nothing, and the lockout silently falls back to the IP address alone.
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
# The number of reverse proxies in front of Harbour (0: none). The client's address is read through them
# (lib/client_ip.py), so that behind a proxy a lockout is still per account *and* per client address.
HARBOUR_PROXY_COUNT = envint("HARBOUR_PROXY_COUNT", 0)
if HARBOUR_PROXY_COUNT < 0:
    raise ImproperlyConfigured("HARBOUR_PROXY_COUNT must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "lib.client_ip.client_ip"

OTP_TOTP_ISSUER = "Harbour"
OTP_TOTP_THROTTLE_FACTOR = 1

# Idle and absolute session limits (minutes). The idle limit is checked by
# accounts.middleware.SessionTimeoutMiddleware; the absolute one also bounds the cookie.
HARBOUR_IDLE_TIMEOUT_MINUTES = envint("HARBOUR_IDLE_TIMEOUT_MINUTES", 30)
HARBOUR_ABSOLUTE_TIMEOUT_MINUTES = envint("HARBOUR_ABSOLUTE_TIMEOUT_MINUTES", 10 * 60)
# Django's database sessions, their read on every request written as plain SQL (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = HARBOUR_ABSOLUTE_TIMEOUT_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "harbour_session"
# J8: a failed CSRF check gets Harbour's own page (harbour/jinja2/errors/403.html), in the school's words.
CSRF_FAILURE_VIEW = "harbour.errors.csrf_failure"
CSRF_COOKIE_HTTPONLY = True

# --- HTTPS and headers ------------------------------------------------------------
SESSION_COOKIE_SECURE = HARBOUR_HTTPS
CSRF_COOKIE_SECURE = HARBOUR_HTTPS
SECURE_SSL_REDIRECT = HARBOUR_HTTPS and envbool("HARBOUR_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 63072000 if HARBOUR_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HARBOUR_HTTPS
SECURE_HSTS_PRELOAD = HARBOUR_HTTPS
if envbool("HARBOUR_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
# Where `collectstatic` puts the static files the web server serves (whitenoise).
STATIC_ROOT = Path(env("HARBOUR_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "HARBOUR_STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the app folders when there is no collectstatic step (laptop, tests).
WHITENOISE_USE_FINDERS = envbool("HARBOUR_STATIC_FROM_FINDERS", DEBUG or HARBOUR_DEMO_MODE)
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Rule A3: uploads are held in memory only and checked by content before anything keeps
# them; Django's default handlers would spill larger files to a temporary file on disk.
FILE_UPLOAD_HANDLERS = ["lib.uploads.StatementUploadHandler"]
# What one form or API call may send: text (files aside) and files. More is refused kindly, never with a bare
# "Bad Request" (harbour/limits.py): the report page comes back with everything typed; the API answers 413.
HARBOUR_MAX_TEXT_BYTES = 2_621_440  # 2.5 MB, Django's own default
HARBOUR_MAX_FILES = 5  # each is held in memory, up to 10 MB (lib/uploads.py)
# Django's hard caps, beyond which it stops reading: four times the limits above, so that a form a little over
# them is still read and can be shown again with what was typed. Files past HARBOUR_MAX_FILES are not held.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * HARBOUR_MAX_TEXT_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = 4 * HARBOUR_MAX_FILES

# --- Background work and email ---------------------------------------------------
TASKS = {"default": {"BACKEND": env("HARBOUR_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# /healthz (harbour/health.py): the worker (`manage.py worker`) records that it is alive every
# HARBOUR_WORKER_HEARTBEAT_SECONDS; it counts as down when not seen for HARBOUR_HEALTH_WORKER_SECONDS, and the
# queue as stuck when a job due to run has waited HARBOUR_HEALTH_QUEUE_SECONDS.
HARBOUR_WORKER_HEARTBEAT_SECONDS = envint("HARBOUR_WORKER_HEARTBEAT_SECONDS", 30)
HARBOUR_HEALTH_WORKER_SECONDS = envint("HARBOUR_HEALTH_WORKER_SECONDS", 300)
HARBOUR_HEALTH_QUEUE_SECONDS = envint("HARBOUR_HEALTH_QUEUE_SECONDS", 600)
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# Who emails come from and where a reply goes (a monitored address at the school or trust, not a person's).
DEFAULT_FROM_EMAIL = env("HARBOUR_EMAIL_FROM", env("DEFAULT_FROM_EMAIL", "Harbour <harbour@localhost>"))
HARBOUR_EMAIL_REPLY_TO = env("HARBOUR_EMAIL_REPLY_TO", "")
# When the digest of notices that can wait is sent, on school days, unless a school sets its own times.
HARBOUR_DIGEST_TIMES = [t for t in env("HARBOUR_DIGEST_TIMES", "07:30,15:30").split(",") if t.strip()]
# Rule A1: a concern not acknowledged within this time is escalated.
HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES = envint("HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES", 60)
# P7: monitoring alerts with the same matched term about this many pupils or more, within this many minutes of the
# latest, are gathered into one inbox item (concerns/alert_groups.py).
HARBOUR_ALERT_GROUP_PUPILS = envint("HARBOUR_ALERT_GROUP_PUPILS", 3)
HARBOUR_ALERT_GROUP_MINUTES = envint("HARBOUR_ALERT_GROUP_MINUTES", 60)
HARBOUR_SUPPRESS_BELOW = envint("HARBOUR_SUPPRESS_BELOW", 5)  # governor report: smaller numbers are hidden (G4)
SITE_URL = env("HARBOUR_SITE_URL", "http://127.0.0.1:8000")
# Who runs this Harbour, and where to report a problem using it: the accessibility statement (/accessibility/)
# names them. The contact is an email address (the reply-to address unless set) or a sentence saying whom to ask.
HARBOUR_OPERATOR_NAME = env("HARBOUR_OPERATOR_NAME", "")
HARBOUR_ACCESSIBILITY_CONTACT = env("HARBOUR_ACCESSIBILITY_CONTACT", "") or HARBOUR_EMAIL_REPLY_TO

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# J8: the interface is ready for translation, and offered in Welsh at schools in Wales (lib/i18n.py chooses the
# language per request from the school's nation and the person's choice: harbour.middleware.LanguageMiddleware).
# The catalogue is locale/cy/LC_MESSAGES/django.po; its compiled .mo is committed beside it (docs/translation.md).
USE_I18N = True
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# Logs go to standard error (systemd's journal on a server), one JSON object a line with the request id (lib/logs.py):
# never a query string, never an exception's message unless HARBOUR_LOG_EXCEPTION_DETAIL=1 on a developer's machine.
HARBOUR_LOG_FORMAT = env("HARBOUR_LOG_FORMAT", "json")
if HARBOUR_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"HARBOUR_LOG_FORMAT must be json or text, not {HARBOUR_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"withhold": {"()": "lib.logs.WithholdExceptionDetail"},
                "no_query_strings": {"()": "lib.logs.WithholdQueryStrings"}},
    "formatters": {"harbour": {"()": "lib.logs.formatter", "log_format": HARBOUR_LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "harbour",
                             "filters": ["no_query_strings"] + ([] if envbool("HARBOUR_LOG_EXCEPTION_DETAIL", False)
                                                                else ["withhold"])}},
    "root": {"handlers": ["console"], "level": env("HARBOUR_LOG_LEVEL", "WARNING")},
    # The audit trail's head, hourly and on each backup (audit/head.py): a record outside the database.
    "loggers": {"harbour.audit": {"level": "INFO"}},
}

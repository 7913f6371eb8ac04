"""Environment for the test suite, set before Django's settings load (`-p tests.env`).

Real deployments set these in their environment; tests use throwaway values.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-any-real-use-0123456789")
os.environ.setdefault("HARBOUR_AUDIT_KEY", "test-audit-key-not-for-any-real-use-0123456789abcdef")
os.environ.setdefault("HARBOUR_TRANSFER_KEY", "7e57" * 16)  # 32 bytes as hex, for tests only
os.environ.setdefault("HARBOUR_SECRETS_KEY", "5ec7" * 16)  # seals school account client secrets, tests only
os.environ.setdefault("HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP", "1")  # the tests' OpenID provider is http on 127.0.0.1
# Tests that record the trail's head give their own file; heads of one test's trail must not meet another's.
os.environ.setdefault("HARBOUR_AUDIT_HEAD_FILE", "")
os.environ.setdefault("HARBOUR_HTTPS", "0")
os.environ.setdefault("HARBOUR_DEMO_MODE", "0")
os.environ.setdefault("HARBOUR_FAST_PASSWORD_HASHING", "1")
os.environ.setdefault("HARBOUR_STATIC_FROM_FINDERS", "1")
os.environ.setdefault("HARBOUR_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
# Browser tests run Django's live server in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Servers a test starts (gunicorn, a worker) make no PDF: they skip loading WeasyPrint at start (lib/pdf.py).
os.environ.setdefault("HARBOUR_PDF_WARM_UP", "0")

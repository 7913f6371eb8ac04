"""The schools' transfer private keys get their own wrapping key, HARBOUR_TRANSFER_KEY, and the id of that key.

Until now they were sealed with AES-256-GCM under a key derived (HKDF-SHA256) from HARBOUR_AUDIT_KEY, so the audit
key could not be rotated without losing them. This unwraps each such row with the audit key and wraps it with
PyNaCl's SecretBox under HARBOUR_TRANSFER_KEY, recording that key's id. Self-contained: it does not import Harbour's
code, which may change after it.
"""

import hashlib

from django.conf import settings
from django.db import migrations, models


def _legacy_key(audit_key):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"harbour-transfer-keys",
                info=b"seal school private keys v1").derive(audit_key)


def _key_id(key):
    return hashlib.sha256(b"harbour-transfer-key-id\n" + key).hexdigest()[:16]


def rewrap_legacy(apps, schema_editor):
    import nacl.secret
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    SchoolKeys = apps.get_model("api", "SchoolKeys")
    rows = list(SchoolKeys.objects.filter(wrap_key_id=""))
    if not rows:
        return
    legacy = AESGCM(_legacy_key(settings.HARBOUR_AUDIT_KEY))
    box = nacl.secret.SecretBox(settings.HARBOUR_TRANSFER_KEY)
    for row in rows:
        sealed = bytes(row.sealed_private)
        private = legacy.decrypt(sealed[:12], sealed[12:], str(row.school_id).encode())
        row.sealed_private = bytes(box.encrypt(private))
        row.wrap_key_id = _key_id(settings.HARBOUR_TRANSFER_KEY)
        row.save(update_fields=["sealed_private", "wrap_key_id"])


def back_to_legacy(apps, schema_editor):
    import os

    import nacl.secret
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    SchoolKeys = apps.get_model("api", "SchoolKeys")
    legacy = AESGCM(_legacy_key(settings.HARBOUR_AUDIT_KEY))
    box = nacl.secret.SecretBox(settings.HARBOUR_TRANSFER_KEY)
    for row in SchoolKeys.objects.exclude(wrap_key_id=""):
        private = box.decrypt(bytes(row.sealed_private))
        nonce = os.urandom(12)
        row.sealed_private = nonce + legacy.encrypt(nonce, private, str(row.school_id).encode())
        row.wrap_key_id = ""
        row.save(update_fields=["sealed_private", "wrap_key_id"])


class Migration(migrations.Migration):
    dependencies = [("api", "0003_transfer_trust")]

    operations = [
        migrations.AddField(model_name="schoolkeys", name="wrap_key_id",
                            field=models.CharField(blank=True, default="", max_length=16), preserve_default=False),
        migrations.RunPython(rewrap_legacy, back_to_legacy),
    ]

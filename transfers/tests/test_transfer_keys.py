"""H5: the schools' transfer private keys are wrapped by their own key, HARBOUR_TRANSFER_KEY, never the audit key.

Each wrapped key records the id of the key that wrapped it, so the key can be rotated: put the old one in
HARBOUR_TRANSFER_RETIRED_KEYS, run `manage.py rewrap_transfer_keys`, then drop the old one.
"""

import importlib
import secrets

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from cases.tests.helpers import make_case
from tests.people import make_pupil, make_user
from transfers import actions
from transfers import keys as school_keys
from transfers.models import SchoolKeys

pytestmark = pytest.mark.django_db


def new_key():
    return bytes.fromhex(secrets.token_hex(32))


def test_r_h5_rotating_the_audit_key_leaves_the_transfer_keys_working(world, settings):
    before = school_keys.keys_for(world.oakfield)
    settings.HARBOUR_AUDIT_KEY = b"a-completely-different-audit-key-0123456789abcdef"
    after = school_keys.keys_for(world.oakfield)
    assert after.fingerprint == before.fingerprint
    assert after.signer.sign(b"x") == before.signer.sign(b"x")  # Ed25519 signatures are deterministic


def test_r_h5_each_wrapped_key_names_the_key_that_wrapped_it_and_holds_no_private_key_in_clear(world, settings):
    keys = school_keys.keys_for(world.oakfield)
    row = SchoolKeys.objects.get(school=world.oakfield)
    assert row.wrap_key_id == school_keys.key_id(settings.HARBOUR_TRANSFER_KEY)
    raw = bytes(keys.signer)  # the Ed25519 seed
    assert raw not in bytes(row.sealed_private) and settings.HARBOUR_TRANSFER_KEY not in bytes(row.sealed_private)


def test_r_h5_the_transfer_key_is_rotated_by_rewrapping_and_files_still_open(world, settings, capsys):
    make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    make_pupil(world.riverside, "Quentin", "Puddlewick", world.pupil.upn, year_group=5)
    rita = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")
    transfer = actions.start_transfer(user=world.diana, pupil=world.pupil, to=f"school:{world.riverside.id}",
                                      started_on=timezone.localdate())  # both schools' keys made under the old key
    old, new = settings.HARBOUR_TRANSFER_KEY, new_key()

    settings.HARBOUR_TRANSFER_KEY = new  # the new key, but the old one forgotten: a clear refusal, not a crash
    with pytest.raises(school_keys.TransferKeyMissing, match=school_keys.key_id(old)):
        school_keys.keys_for(world.riverside)

    settings.HARBOUR_TRANSFER_RETIRED_KEYS = [old]
    assert school_keys.keys_for(world.riverside)  # opened with the retired key until rewrapped
    call_command("rewrap_transfer_keys")
    assert "2 schools' transfer keys rewrapped" in capsys.readouterr().out
    assert set(SchoolKeys.objects.values_list("wrap_key_id", flat=True)) == {school_keys.key_id(new)}
    assert AuditEvent.objects.filter(object_type="school_keys", action="update",
                                     changed_fields=["sealed_private"]).count() == 2
    call_command("rewrap_transfer_keys")  # twice changes nothing
    assert "0 schools' transfer keys rewrapped" in capsys.readouterr().out

    settings.HARBOUR_TRANSFER_RETIRED_KEYS = []  # the old key can now be destroyed
    received = actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())
    assert received.pupil is not None


def test_rewrapping_without_the_old_key_names_the_missing_key(world, settings):
    school_keys.keys_for(world.oakfield)
    old = settings.HARBOUR_TRANSFER_KEY
    settings.HARBOUR_TRANSFER_KEY = new_key()
    with pytest.raises(CommandError, match=school_keys.key_id(old)):
        call_command("rewrap_transfer_keys")


def test_r_h5_a_wrapped_key_moved_to_another_school_is_refused(world):
    school_keys.keys_for(world.oakfield)
    school_keys.keys_for(world.riverside)
    oak = SchoolKeys.objects.get(school=world.oakfield)
    SchoolKeys.objects.filter(school=world.riverside).update(sealed_private=oak.sealed_private)
    with pytest.raises(school_keys.TransferKeyMismatch):
        school_keys.keys_for(world.riverside)


def test_keys_sealed_under_the_audit_key_before_the_split_are_rewrapped_by_the_migration(world, settings):
    """Installations from before the split kept the private keys sealed with AES-GCM under a key derived from
    HARBOUR_AUDIT_KEY; the migration unwraps them with it and wraps them under HARBOUR_TRANSFER_KEY."""
    import os

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    keys = school_keys.keys_for(world.oakfield)
    private = school_keys.private_bytes(keys)
    legacy = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"harbour-transfer-keys",
                  info=b"seal school private keys v1").derive(settings.HARBOUR_AUDIT_KEY)
    nonce = os.urandom(12)
    SchoolKeys.objects.filter(school=world.oakfield).update(
        sealed_private=nonce + AESGCM(legacy).encrypt(nonce, private, str(world.oakfield.id).encode()),
        wrap_key_id="")
    migration = importlib.import_module("api.migrations.0004_transfer_key_wrapping")

    class AsBeforeTheMove:  # the migration ran while the model was api's (transfers.0001 moved it)
        @staticmethod
        def get_model(app_label, model_name):
            assert (app_label, model_name) == ("api", "SchoolKeys")
            return SchoolKeys

    migration.rewrap_legacy(AsBeforeTheMove, None)
    row = SchoolKeys.objects.get(school=world.oakfield)
    assert row.wrap_key_id == school_keys.key_id(settings.HARBOUR_TRANSFER_KEY)
    settings.HARBOUR_AUDIT_KEY = b"a-completely-different-audit-key-0123456789abcdef"
    assert school_keys.keys_for(world.oakfield).fingerprint == keys.fingerprint


def test_r_h5_keys_made_by_earlier_versions_keep_their_fingerprint_and_still_send_and_receive(world, rita):
    """Earlier versions made the key pairs with `cryptography`; they are now libsodium's. The stored bytes (Ed25519
    seed, X25519 private key) mean the same to both, so a school's keys, its fingerprint and the key cards other
    installations hold are unchanged by the switch."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    raw = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw_private = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    signer, opener = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    sign_public, box_public = signer.public_key().public_bytes(*raw), opener.public_key().public_bytes(*raw)
    sealed, wrapped_by = school_keys.wrap(signer.private_bytes(*raw_private) + opener.private_bytes(*raw_private))
    SchoolKeys.objects.create(school=world.riverside, sign_public=sign_public, box_public=box_public,
                              sealed_private=sealed, wrap_key_id=wrapped_by, created_at=timezone.now())
    card_fingerprint = school_keys.fingerprint(sign_public, box_public)  # what other installations were told

    keys = school_keys.keys_for(world.riverside)
    assert keys.fingerprint == card_fingerprint
    assert bytes(keys.signer.verify_key) == sign_public and bytes(keys.opener.public_key) == box_public
    assert keys.signer.sign(b"x").signature == signer.sign(b"x")  # the same Ed25519 key: the same signature
    assert school_keys.read_key_card(school_keys.key_card(world.riverside))["fingerprint"] == card_fingerprint
    # A file sealed to the key pair made the old way opens.
    transfer = actions.start_transfer(user=world.diana, pupil=world.pupil, to=f"school:{world.riverside.id}",
                                      started_on=timezone.localdate())
    received = actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())
    assert received.pupil is not None


@pytest.fixture
def rita(world):
    """Riverside's DSL, waiting for Quentin's file."""
    make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    make_pupil(world.riverside, "Quentin", "Puddlewick", world.pupil.upn, year_group=5)
    return make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")

"""Secrets Harbour keeps but never shows (a trust's client secret for its school accounts): sealed with PyNaCl under
HARBOUR_SECRETS_KEY, which seals nothing else, and rotated through HARBOUR_SECRETS_RETIRED_KEYS (issue 22.1)."""

import pytest

from lib.sealed import SecretsKeyMissing, can_seal, key_id, seal, unseal

OLD, NEW = bytes.fromhex("01" * 32), bytes.fromhex("02" * 32)


def test_a_sealed_secret_opens_only_with_its_key_and_never_shows_in_the_sealed_bytes(settings):
    settings.HARBOUR_SECRETS_KEY = NEW
    sealed, sealed_with = seal("the client secret")
    assert b"the client secret" not in sealed and sealed_with == key_id(NEW)
    assert unseal(sealed, sealed_with) == "the client secret"
    assert seal("the client secret")[0] != sealed  # a new nonce each time


def test_after_a_rotation_a_secret_sealed_with_the_retired_key_still_opens(settings):
    settings.HARBOUR_SECRETS_KEY = OLD
    sealed, sealed_with = seal("made before the rotation")
    settings.HARBOUR_SECRETS_KEY, settings.HARBOUR_SECRETS_RETIRED_KEYS = NEW, [OLD]
    assert unseal(sealed, sealed_with) == "made before the rotation"
    settings.HARBOUR_SECRETS_RETIRED_KEYS = []
    with pytest.raises(SecretsKeyMissing):
        unseal(sealed, sealed_with)


def test_without_the_key_nothing_is_sealed_and_a_damaged_secret_is_refused(settings):
    settings.HARBOUR_SECRETS_KEY = None
    assert not can_seal()
    with pytest.raises(SecretsKeyMissing):
        seal("anything")
    settings.HARBOUR_SECRETS_KEY = NEW
    sealed, sealed_with = seal("intact")
    with pytest.raises(SecretsKeyMissing):
        unseal(sealed[:-1] + bytes([sealed[-1] ^ 1]), sealed_with)


def test_the_tests_loopback_provider_setting_fails_the_deployment_checks(settings):
    from harbour.checks import school_account_issuers_use_https

    settings.HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP = False
    assert school_account_issuers_use_https(None) == []
    settings.HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP = True
    assert [e.id for e in school_account_issuers_use_https(None)] == ["harbour.E022"]

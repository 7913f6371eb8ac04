"""H5: whose files a school trusts. A key card is registered only once the DSL has typed back the fingerprint the
other school read to them by phone; a card that names a school already on this Harbour is flagged; a card can be
revoked, and a revoked card's files are refused. Package ids belong to the receiving school, and a package is
checked for replay only once it has verified, so nobody can open "their" copy of a file first to block it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.tests.helpers import make_case
from tests.people import make_pupil, make_user, sign_in
from transfers import actions
from transfers import keys as school_keys
from transfers.models import KnownSchool, ReceivedFile
from transfers.package import PackageRefused, seal

pytestmark = pytest.mark.django_db


def other_harbour_school(name="Hill Top Academy"):
    """A school on another Harbour installation: its keys exist only there; here we have its key card."""
    keys = school_keys.Keys.generate()
    return keys, school_keys.card_text(name, keys)


def package_from(keys, to_school, *, name="Hill Top Academy", package_id=None, upn="H999000000001"):
    recipient = school_keys.keys_for(to_school)
    text, _ = seal(sender=keys, sender_name=name, recipient_sign_public=recipient.sign_public,
                   recipient_box_public=recipient.box_public, recipient_name=to_school.name,
                   file={"pupil": {"unique_pupil_number": upn, "name": "Ada Lovelace"}},
                   created_at=timezone.now().isoformat(), code="ACDE-FGHJ-KMNP", package_id=package_id)
    return text.encode()


def denied(reason):
    return AuditEvent.objects.filter(action="denied", detail__reason=reason).count()


def test_r_h5_a_key_card_is_registered_only_when_the_fingerprint_read_by_phone_matches(world):
    keys, card = other_harbour_school()
    with pytest.raises(actions.TransferError) as refused:
        actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint="")
    assert "fingerprint" in refused.value.message_dict
    wrong = "0000 1111 2222 3333 4444"
    with pytest.raises(actions.TransferError) as refused:
        actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=wrong)
    assert "does not match" in refused.value.message_dict["fingerprint"][0]
    assert not KnownSchool.objects.exists()
    assert denied("fingerprint_mismatch") == 1  # a swapped card is worth knowing about
    typed = keys.fingerprint.replace(" ", "").lower()  # as typed from the phone, without the spaces
    known = actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=typed)
    assert known.name == "Hill Top Academy" and not known.name_clash and known.registered_by == world.diana
    assert AuditEvent.objects.filter(object_type="known_school", action="create", object_id=str(known.id)).exists()


def test_r_h5_the_key_card_page_asks_for_the_fingerprint_read_out_by_phone(client, world):
    keys, card = other_harbour_school()
    sign_in(client, world.diana)
    page = client.get(reverse("transfers:key_card")).content.decode()
    assert "phone" in page and 'name="fingerprint"' in page
    missing = client.post(reverse("transfers:key_card"), {"card_text": card})
    assert missing.status_code == 422 and "Type the fingerprint" in missing.content.decode()
    assert keys.fingerprint not in missing.content.decode()  # the page never shows the card's own fingerprint
    done = client.post(reverse("transfers:key_card"), {"card_text": card, "fingerprint": keys.fingerprint})
    assert done.status_code == 302 and KnownSchool.objects.get().fingerprint == keys.fingerprint


def test_r_h5_a_card_naming_a_school_on_this_harbour_is_flagged(client, world):
    """Someone sends a card named "Riverside Academy": Riverside is on this Harbour, so files to it never need one."""
    keys, card = other_harbour_school(name="riverside  academy")
    with pytest.raises(actions.TransferError) as flagged:
        actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=keys.fingerprint)
    assert "same_name_checked" in flagged.value.message_dict
    assert "uses this Harbour" in flagged.value.message_dict["same_name_checked"][0]
    assert not KnownSchool.objects.exists()
    known = actions.register_key_card(user=world.diana, school=world.oakfield, text=card,
                                      fingerprint=keys.fingerprint, same_name_checked=True)
    assert known.name_clash
    event = AuditEvent.objects.get(object_type="known_school", action="create")
    assert event.detail["name_matches_a_school_here"] is True
    sign_in(client, world.diana)
    assert "Same name as a school on this Harbour" in client.get(reverse("transfers:key_card")).content.decode()
    start = client.get(reverse("transfers:start", args=[world.pupil.id])).content.decode()
    assert "Same name as a school on this Harbour" in start
    received = actions.receive_package(user=world.diana, school=world.oakfield, data=package_from(keys, world.oakfield))
    assert received.from_name != "Riverside Academy" and "another Harbour" in received.from_name


def test_r_h5_a_revoked_card_is_audited_and_its_files_are_refused_with_a_clear_message(client, world):
    keys, card = other_harbour_school()
    known = actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=keys.fingerprint)
    before = package_from(keys, world.oakfield)
    sign_in(client, world.diana)
    no_reason = client.post(reverse("transfers:key_card"), {"revoke": known.id, "reason": ""})
    assert no_reason.status_code == 422 and "Say why" in no_reason.content.decode()
    done = client.post(reverse("transfers:key_card"),
                       {"revoke": known.id, "reason": "Their DSL says the card was sent from a hacked mailbox."})
    assert done.status_code == 302
    known.refresh_from_db()
    assert known.revoked_at and known.revoked_by == world.diana and "hacked" in known.revoke_reason
    assert AuditEvent.objects.filter(object_type="known_school", object_id=str(known.id), action="update",
                                     changed_fields=["revoked_at"]).count() == 1
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=world.diana, school=world.oakfield, data=before)
    assert refused.value.code == "revoked_sender" and "revoked" in str(refused.value)
    assert denied("revoked_sender") == 1 and not ReceivedFile.objects.exists()
    # Nor can anything be sent to it, and the same card cannot simply be registered again.
    assert known not in actions.destinations(world.oakfield)[1]
    with pytest.raises(actions.TransferError):
        actions.start_transfer(user=world.diana, pupil=world.pupil, to=f"known:{known.id}",
                               started_on=timezone.localdate())
    with pytest.raises(actions.TransferError) as again:
        actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=keys.fingerprint)
    assert "revoked" in again.value.message_dict["card"][0]
    page = client.get(reverse("transfers:key_card")).content.decode()
    assert "Revoked" in page


def test_r_h5_only_the_trusts_own_dsl_team_can_revoke_its_cards(client, world):
    keys, card = other_harbour_school()
    known = actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=keys.fingerprint)
    sign_in(client, world.eve)  # another trust's DSL
    assert client.post(reverse("transfers:key_card"), {"revoke": known.id, "reason": "x"}).status_code == 404
    known.refresh_from_db()
    assert known.revoked_at is None


def test_r_h5_another_schools_package_with_the_same_id_cannot_block_a_genuine_transfer(world):
    """Eve (another trust, same installation) learns the id of Quentin's file to Riverside and opens a package of
    her own with that id first. Ids belong to the receiving school, so Riverside still opens the real one."""
    make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    make_pupil(world.riverside, "Quentin", "Puddlewick", world.pupil.upn, year_group=5)
    rita = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")
    transfer = actions.start_transfer(user=world.diana, pupil=world.pupil, to=f"school:{world.riverside.id}",
                                      started_on=timezone.localdate())
    elmtree = school_keys.keys_for(world.elmtree)
    decoy, _ = seal(sender=elmtree, sender_name="Elmtree High", recipient_sign_public=elmtree.sign_public,
                    recipient_box_public=elmtree.box_public, recipient_name="Elmtree High", file={"pupil": {}},
                    created_at=timezone.now().isoformat(), code="ACDE-FGHJ-KMNP", package_id=transfer.package_id)
    actions.receive_package(user=world.eve, school=world.elmtree, data=decoy.encode())
    received = actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())
    assert received.pupil.upn == world.pupil.upn
    transfer.refresh_from_db()
    assert transfer.received_at is not None


def test_r_h5_a_changed_copy_of_an_opened_file_is_refused_as_changed_not_as_opened(world):
    """The replay check runs after the package has verified: a forgery is named as one, whatever its id."""
    keys, card = other_harbour_school()
    actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=keys.fingerprint)
    data = package_from(keys, world.oakfield)
    actions.receive_package(user=world.diana, school=world.oakfield, data=data)
    lines = data.decode().splitlines()
    lines[2] = ("A" if lines[2][0] != "A" else "B") + lines[2][1:]
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=world.diana, school=world.oakfield, data=("\n".join(lines) + "\n").encode())
    assert refused.value.code == "tampered"
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=world.diana, school=world.oakfield, data=data)
    assert refused.value.code == "already_opened"


def test_r_h5_a_package_claiming_a_registered_card_but_signed_with_another_key_is_refused(world):
    """Someone who has Hill Top's key card (it is public) makes a file that claims to come from Hill Top. They do
    not have Hill Top's signing key, so the envelope does not verify against the registered card."""
    keys, card = other_harbour_school()
    actions.register_key_card(user=world.diana, school=world.oakfield, text=card, fingerprint=keys.fingerprint)
    impostor = school_keys.Keys.generate()
    impostor.sign_public, impostor.box_public = keys.sign_public, keys.box_public  # Hill Top's fingerprint
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=world.diana, school=world.oakfield, data=package_from(impostor, world.oakfield))
    assert refused.value.code == "tampered" and denied("tampered") == 1 and not ReceivedFile.objects.exists()
    assert actions.receive_package(user=world.diana, school=world.oakfield, data=package_from(keys, world.oakfield))


@pytest.mark.parametrize("damage", ["an Ed25519 key of small order", "an X25519 key of small order", "a short key"])
def test_r_h5_a_key_card_with_keys_libsodium_refuses_is_damaged(world, damage):
    """A card whose keys are not usable public keys is refused when pasted, not when a file is sealed to it."""
    import base64
    import json

    keys, card = other_harbour_school()
    body = json.loads(card.splitlines()[1])
    if damage == "an Ed25519 key of small order":
        body["sign"] = base64.b64encode(bytes([1]) + bytes(31)).decode()  # the identity point
    elif damage == "an X25519 key of small order":
        body["box"] = base64.b64encode(bytes(32)).decode()
    else:
        body["box"] = base64.b64encode(keys.box_public[:31]).decode()
    with pytest.raises(school_keys.CardRefused, match="damaged"):
        school_keys.read_key_card(f"{school_keys.CARD_HEADER}\n{json.dumps(body)}\n")
